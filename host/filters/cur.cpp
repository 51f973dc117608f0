// CUR column selection (filters.md): π_j = Σ_{i<k} V_ji² from the top-k right singular vectors of the
// residual R, pick argmax π over unpicked columns, remove the picked column's direction from every column
// (R ← R − c cᵀR, c = R e_j / ‖R e_j‖), repeat. Two solvers: SVD of R, or eigenvectors of RᵀR (same picks,
// squared condition number; see include/agl/filters.hpp).
#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

#include "agl/error.hpp"
#include "agl/filters.hpp"
#include "agl/log.hpp"

namespace agl::filters {
namespace {

// π values closer than this count as a tie (π ∈ [0, k]; LAPACK's rounding is ~1e-15). Exact ties do occur:
// once the residual's rank r ≤ k every remaining column has π = 1.
constexpr double kTieTolerance = 1e-12;

// argmax of π over columns not yet picked; lowest index on ties; −1 when none is left.
int argmaxUnpicked(const std::vector<double>& pi, const std::vector<char>& picked) {
    int best = -1;
    for (std::size_t j = 0; j < pi.size(); ++j)
        if (!picked[j] && (best < 0 || pi[j] > pi[static_cast<std::size_t>(best)] + kTieTolerance))
            best = static_cast<int>(j);
    return best;
}

// Number of singular directions used: at most k, and only those whose σ² is resolved (above tol·‖X‖²);
// beyond the rank the singular vectors are arbitrary and would make π depend on the LAPACK routine.
int effectiveK(const std::vector<double>& sigma2Descending, int k, double floor) {
    int used = 0;
    for (int i = 0; i < k && i < static_cast<int>(sigma2Descending.size()); ++i)
        if (sigma2Descending[static_cast<std::size_t>(i)] > floor) ++used;
    return used;
}

void warnIfTie(const std::vector<double>& sigma2Descending, int k) {
    if (k < 1 || static_cast<std::size_t>(k) >= sigma2Descending.size()) return;
    const double a = sigma2Descending[static_cast<std::size_t>(k - 1)];
    const double b = sigma2Descending[static_cast<std::size_t>(k)];
    if (a > 0 && (a - b) <= 1e-10 * a)
        logWarn("CUR: singular values " + std::to_string(k) + " and " + std::to_string(k + 1) +
                " of the residual are (nearly) equal; the pick is not unique and may differ between SVD routines");
}

// Top-k leverage scores of a (rows × cols) column-major R via dgesvd (right vectors only).
// Also returns σ² in descending order.
std::vector<double> leverageSvd(const std::vector<double>& R, std::size_t rows, std::size_t cols, int k,
                                double floor, std::vector<double>& sigma2) {
    std::vector<double> a(R);  // dgesvd destroys its input
    const std::size_t m = std::min(rows, cols);
    std::vector<double> s(m), vt(m * cols), superb(m > 1 ? m - 1 : 1);
    double udummy = 0.0;
    const lapack_int info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'N', 'S', static_cast<lapack_int>(rows),
                                           static_cast<lapack_int>(cols), a.data(), static_cast<lapack_int>(rows),
                                           s.data(), &udummy, 1, vt.data(), static_cast<lapack_int>(m),
                                           superb.data());
    if (info != 0) throw Error("CUR: LAPACKE_dgesvd failed (info " + std::to_string(info) + ")");
    sigma2.resize(m);
    for (std::size_t i = 0; i < m; ++i) sigma2[i] = s[i] * s[i];
    const int used = effectiveK(sigma2, k, floor);
    warnIfTie(sigma2, used);
    std::vector<double> pi(cols, 0.0);
    for (int i = 0; i < used; ++i)  // VT is (m × cols) column-major: row i = i-th right singular vector
        for (std::size_t j = 0; j < cols; ++j) pi[j] += vt[j * m + i] * vt[j * m + i];
    return pi;
}

// Top-k leverage scores from the Gram matrix G = RᵀR (cols × cols) via dsyevd; σ² = eigenvalues.
std::vector<double> leverageGram(const std::vector<double>& G, std::size_t cols, int k, double floor,
                                 std::vector<double>& sigma2) {
    std::vector<double> a(G), w(cols);
    const lapack_int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'V', 'U', static_cast<lapack_int>(cols), a.data(),
                                           static_cast<lapack_int>(cols), w.data());
    if (info != 0) throw Error("CUR: LAPACKE_dsyevd failed (info " + std::to_string(info) + ")");
    sigma2.assign(w.rbegin(), w.rend());  // eigenvalues come ascending
    const int used = effectiveK(sigma2, k, floor);
    warnIfTie(sigma2, used);
    std::vector<double> pi(cols, 0.0);
    for (int i = 0; i < used; ++i) {
        const double* v = a.data() + (cols - 1 - static_cast<std::size_t>(i)) * cols;  // eigenvector column
        for (std::size_t j = 0; j < cols; ++j) pi[j] += v[j] * v[j];
    }
    return pi;
}

// One-shot: π on X once, columns by descending π (stable: lowest index first on ties).
Selection oneShot(const std::vector<double>& pi, int n) {
    std::vector<int> order(pi.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return pi[static_cast<std::size_t>(a)] > pi[static_cast<std::size_t>(b)];
    });
    Selection sel;
    for (int i = 0; i < n; ++i) {
        sel.picks.push_back(order[static_cast<std::size_t>(i)]);
        sel.scores.push_back(pi[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])]);
    }
    return sel;
}

void checkArgs(std::size_t cols, int n, const CurOptions& o) {
    AGL_CHECK(n >= 0, "number of picks must be >= 0");
    AGL_CHECK(static_cast<std::size_t>(n) <= cols, "more picks requested than there are columns");
    AGL_CHECK(o.k >= 1, "CUR needs k >= 1 singular vectors");
}

std::string exhaustedMessage(std::size_t picks, double residual, double total) {
    std::ostringstream m;
    m << "CUR: rank exhausted after " << picks << " picks (‖R‖_F² = " << std::setprecision(3) << residual << " of "
      << total << "); stopping with fewer picks than requested";
    return m.str();
}

// The tolerance actually used: the caller's, or the solver's resolution. An SVD of R resolves σ² down to
// ~(ε‖X‖)², so 1e-20 relative is safely above its noise; the Gram matrix already holds squares, rounded at
// ~ε‖X‖², so 1e-12.
double tolerance(const CurOptions& o, CurSolver solver) {
    if (o.rankTolerance > 0) return o.rankTolerance;
    return solver == CurSolver::Svd ? 1e-20 : 1e-12;
}

// The iterative loop shared by both solvers. `leverage()` gives π of the current residual, `deflate(j)`
// removes column j's direction and returns the new ‖R‖_F².
template <class Leverage, class Deflate>
Selection iterate(std::size_t cols, int n, double norm0, double tol, Leverage leverage, Deflate deflate) {
    Selection sel;
    std::vector<char> picked(cols, 0);
    double residual = norm0;
    while (static_cast<int>(sel.picks.size()) < n) {
        if (!(residual > tol * norm0)) {
            sel.stopReason = exhaustedMessage(sel.picks.size(), residual, norm0);
            logWarn(sel.stopReason);
            break;
        }
        const std::vector<double> pi = leverage();
        const int j = argmaxUnpicked(pi, picked);
        if (j < 0 || !(pi[static_cast<std::size_t>(j)] > 0.0)) {
            sel.stopReason = exhaustedMessage(sel.picks.size(), residual, norm0);
            logWarn(sel.stopReason);
            break;
        }
        picked[static_cast<std::size_t>(j)] = 1;
        sel.picks.push_back(j);
        sel.scores.push_back(pi[static_cast<std::size_t>(j)]);
        residual = deflate(static_cast<std::size_t>(j));
        sel.residualNorm2.push_back(residual);
    }
    return sel;
}

// Tall R: replace it by T of its thin QR, R = Q T (T: cols × cols, column-major). Every step of CUR acts
// on R from the left with projectors onto directions inside range(Q) (c = R e_j / ‖R e_j‖ = Q c̃), so
// (I − c cᵀ) Q T = Q (I − c̃ c̃ᵀ) T: running the loop on T gives the same π, norms and picks, with SVD
// accuracy (Householder QR is backward stable) at O(rows · cols²) once instead of per pick.
std::vector<double> triangularFactor(std::vector<double> R, std::size_t rows, std::size_t cols) {
    std::vector<double> tau(cols);
    const lapack_int info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, static_cast<lapack_int>(rows),
                                           static_cast<lapack_int>(cols), R.data(), static_cast<lapack_int>(rows),
                                           tau.data());
    if (info != 0) throw Error("CUR: LAPACKE_dgeqrf failed (info " + std::to_string(info) + ")");
    std::vector<double> T(cols * cols, 0.0);
    for (std::size_t j = 0; j < cols; ++j)
        for (std::size_t i = 0; i <= j; ++i) T[j * cols + i] = R[j * rows + i];
    return T;
}

}  // namespace

Selection selectCurSvd(std::vector<double> R, std::size_t rows, std::size_t cols, int n, const CurOptions& o) {
    checkArgs(cols, n, o);
    AGL_CHECK(R.size() == rows * cols, "R must be (rows × cols)");
    if (rows > cols) {
        R = triangularFactor(std::move(R), rows, cols);
        rows = cols;
    }
    const double norm0 = cblas_ddot(static_cast<int>(R.size()), R.data(), 1, R.data(), 1);
    const double tol = tolerance(o, CurSolver::Svd);
    const double floor = tol * norm0;
    std::vector<double> sigma2;
    if (!o.iterative) return oneShot(leverageSvd(R, rows, cols, o.k, floor, sigma2), n);
    std::vector<double> w(cols);
    auto leverage = [&] { return leverageSvd(R, rows, cols, o.k, floor, sigma2); };
    auto deflate = [&](std::size_t j) {
        double* col = R.data() + j * rows;
        const double len = cblas_dnrm2(static_cast<int>(rows), col, 1);
        std::vector<double> c(col, col + rows);
        cblas_dscal(static_cast<int>(rows), 1.0 / len, c.data(), 1);
        // w = Rᵀc;  R ← R − c wᵀ
        cblas_dgemv(CblasColMajor, CblasTrans, static_cast<int>(rows), static_cast<int>(cols), 1.0, R.data(),
                    static_cast<int>(rows), c.data(), 1, 0.0, w.data(), 1);
        cblas_dger(CblasColMajor, static_cast<int>(rows), static_cast<int>(cols), -1.0, c.data(), 1, w.data(), 1,
                   R.data(), static_cast<int>(rows));
        std::fill(col, col + rows, 0.0);  // exactly zero in exact arithmetic
        return cblas_ddot(static_cast<int>(R.size()), R.data(), 1, R.data(), 1);
    };
    return iterate(cols, n, norm0, tol, leverage, deflate);
}

Selection selectCurGram(std::vector<double> G, std::size_t cols, int n, const CurOptions& o) {
    checkArgs(cols, n, o);
    AGL_CHECK(G.size() == cols * cols, "G must be (cols × cols)");
    auto trace = [&] {
        double t = 0.0;
        for (std::size_t j = 0; j < cols; ++j) t += G[j * cols + j];
        return t;
    };
    const double norm0 = trace();
    const double tol = tolerance(o, CurSolver::Gram);
    const double floor = tol * norm0;
    std::vector<double> sigma2;
    if (!o.iterative) return oneShot(leverageGram(G, cols, o.k, floor, sigma2), n);
    auto leverage = [&] { return leverageGram(G, cols, o.k, floor, sigma2); };
    auto deflate = [&](std::size_t j) {
        // (R − c cᵀR)ᵀ(R − c cᵀR) = G − g gᵀ / G_jj with g = G e_j
        const std::vector<double> g(G.begin() + static_cast<std::ptrdiff_t>(j * cols),
                                    G.begin() + static_cast<std::ptrdiff_t>((j + 1) * cols));
        cblas_dger(CblasRowMajor, static_cast<int>(cols), static_cast<int>(cols), -1.0 / g[j], g.data(), 1,
                   g.data(), 1, G.data(), static_cast<int>(cols));
        for (std::size_t i = 0; i < cols; ++i) G[i * cols + j] = G[j * cols + i] = 0.0;
        return trace();
    };
    return iterate(cols, n, norm0, tol, leverage, deflate);
}

}  // namespace agl::filters
