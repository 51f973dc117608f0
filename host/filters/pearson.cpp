// Greedy min–max Pearson correlation (PC; a reconstruction of Imbalzano et al.'s method, filters.md):
//   ρ from the Gram matrix of the centred columns; constant columns are never picked;
//   start = user column, else argmin_j max_{i≠j} |ρ_ij|;
//   m_j = max_{s picked} |ρ_js|; next pick = argmin m over candidates (lowest index on ties).
// Candidates also exclude columns in the span of the picks (relative squared residual after projecting onto
// the picks ≤ rankTolerance): correlation with each single pick cannot see such a dependence. The residuals
// come from deflating a copy of the Gram matrix exactly as CUR does. The signed variant uses ρ instead of |ρ|.
#include <cblas.h>

#include <cmath>
#include <limits>

#include "agl/error.hpp"
#include "agl/filters.hpp"
#include "agl/log.hpp"

namespace agl::filters {
namespace {

struct Correlation {
    std::size_t d;
    const std::vector<double>& Cc;
    bool isSigned;
    bool valid(std::size_t j) const { return Cc[j * d + j] > 0.0; }
    double operator()(std::size_t i, std::size_t j) const {
        const double rho = Cc[i * d + j] / std::sqrt(Cc[i * d + i] * Cc[j * d + j]);
        return isSigned ? rho : std::fabs(rho);
    }
};

int defaultStart(const Correlation& rho) {
    int best = -1;
    double bestValue = 0.0;
    for (std::size_t j = 0; j < rho.d; ++j) {
        if (!rho.valid(j)) continue;
        double worst = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < rho.d; ++i)
            if (i != j && rho.valid(i)) worst = std::max(worst, rho(i, j));
        if (best < 0 || worst < bestValue) best = static_cast<int>(j), bestValue = worst;
    }
    return best;
}

}  // namespace

Selection selectPc(const std::vector<double>& Cc, std::size_t cols, int n, const PcOptions& o) {
    AGL_CHECK(Cc.size() == cols * cols, "Cc must be (cols × cols)");
    AGL_CHECK(n >= 0 && static_cast<std::size_t>(n) <= cols, "picks must lie in [0, number of columns]");
    const Correlation rho{cols, Cc, o.signedCorrelation};
    Selection sel;
    if (n == 0) return sel;
    int start = o.start;
    if (start >= 0) {
        if (static_cast<std::size_t>(start) >= cols)
            throw Error("PC: start column " + std::to_string(start) + " is outside [0, " + std::to_string(cols) + ")");
        if (!rho.valid(static_cast<std::size_t>(start)))
            throw Error("PC: start column " + std::to_string(start) + " is constant (no correlation defined)");
    } else {
        start = defaultStart(rho);
        if (start < 0) {
            sel.stopReason = "PC: every column is constant; nothing to select";
            logWarn(sel.stopReason);
            return sel;
        }
    }

    std::vector<double> residual(Cc);  // Gram matrix of the columns after projecting out the picks
    std::vector<double> m(cols, -std::numeric_limits<double>::infinity());
    std::vector<char> picked(cols, 0);
    std::size_t pick = static_cast<std::size_t>(start);
    double score = std::numeric_limits<double>::quiet_NaN();
    while (true) {
        picked[pick] = 1;
        sel.picks.push_back(static_cast<int>(pick));
        sel.scores.push_back(score);
        if (static_cast<int>(sel.picks.size()) == n) break;
        const std::vector<double> g(residual.begin() + static_cast<std::ptrdiff_t>(pick * cols),
                                    residual.begin() + static_cast<std::ptrdiff_t>((pick + 1) * cols));
        cblas_dger(CblasRowMajor, static_cast<int>(cols), static_cast<int>(cols), -1.0 / g[pick], g.data(), 1,
                   g.data(), 1, residual.data(), static_cast<int>(cols));
        int best = -1;
        bool sawDependent = false;
        for (std::size_t j = 0; j < cols; ++j) {
            if (picked[j] || !rho.valid(j)) continue;
            m[j] = std::max(m[j], rho(j, pick));
            if (!(residual[j * cols + j] > o.rankTolerance * Cc[j * cols + j])) {
                sawDependent = true;
                continue;
            }
            if (best < 0 || m[j] < m[static_cast<std::size_t>(best)]) best = static_cast<int>(j);
        }
        if (best < 0) {
            sel.stopReason = sawDependent
                ? "PC: rank exhausted after " + std::to_string(sel.picks.size()) +
                      " picks (every other column lies in the span of the picks); stopping with fewer picks"
                : "PC: no non-constant column left after " + std::to_string(sel.picks.size()) + " picks";
            logWarn(sel.stopReason);
            break;
        }
        pick = static_cast<std::size_t>(best);
        score = m[pick];
    }
    return sel;
}

}  // namespace agl::filters
