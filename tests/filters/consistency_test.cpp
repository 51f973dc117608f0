// The selections against independent brute force on seeded random data: CUR's residual after each pick is
// X minus its projection onto the picked columns (Gram–Schmidt here, no LAPACK), the SVD and Gram solvers
// agree, FPS distances are the squared column distances, PC scores are the Pearson ρ computed directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "agl/filters.hpp"
#include "filter_fixtures.hpp"

using namespace agl::filters;
using agl::test::Matrix;

namespace {

std::vector<double> column(const Matrix& X, std::size_t j) {
    std::vector<double> c(X.rows);
    for (std::size_t r = 0; r < X.rows; ++r) c[r] = X.at(r, j);
    return c;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

// ‖X − Q Qᵀ X‖_F² with Q an orthonormal basis of the picked columns (modified Gram–Schmidt, twice).
double projectionResidual(const Matrix& X, const std::vector<int>& picks) {
    std::vector<std::vector<double>> Q;
    for (int p : picks) {
        std::vector<double> q = column(X, static_cast<std::size_t>(p));
        for (int pass = 0; pass < 2; ++pass)
            for (const auto& b : Q) {
                const double c = dot(q, b);
                for (std::size_t i = 0; i < q.size(); ++i) q[i] -= c * b[i];
            }
        const double len = std::sqrt(dot(q, q));
        for (double& x : q) x /= len;
        Q.push_back(q);
    }
    double total = 0;
    for (std::size_t j = 0; j < X.cols; ++j) {
        std::vector<double> x = column(X, j);
        for (const auto& b : Q) {
            const double c = dot(x, b);
            for (std::size_t i = 0; i < x.size(); ++i) x[i] -= c * b[i];
        }
        total += dot(x, x);
    }
    return total;
}

}  // namespace

// Tall matrices go through the QR reduction of selectCurSvd, the wide one (6 × 12, rank 6) does not.
TEST(FilterConsistency, CurResidualIsTheProjectionResidualAndSolversAgree) {
    for (std::uint64_t seed : {21u, 22u, 23u}) {
        const std::size_t rows = seed == 23u ? 6 : 200;
        const int n = seed == 23u ? 6 : 10;
        Matrix X = agl::test::randomMatrix(rows, 12, seed);
        for (std::size_t r = 0; r < X.rows; ++r)  // some correlation, unequal scales
            for (std::size_t j = 1; j < X.cols; ++j) X.at(r, j) = (1.0 + 0.3 * j) * X.at(r, j) + 0.5 * X.at(r, j - 1);
        for (int k : {1, 2}) {
            CurOptions o;
            o.k = k;
            const Selection svd = selectCurSvd(agl::test::columnMajor(X), X.rows, X.cols, n, o);
            const Selection gram = selectCurGram(agl::test::naiveGram(X), X.cols, n, o);
            ASSERT_EQ(svd.picks.size(), static_cast<std::size_t>(n));
            EXPECT_EQ(svd.picks, gram.picks) << "seed " << seed << " k " << k;
            for (std::size_t i = 0; i < svd.picks.size(); ++i) {
                const std::vector<int> first(svd.picks.begin(), svd.picks.begin() + i + 1);
                const double want = projectionResidual(X, first);
                const double scale = svd.residualNorm2.front() + 1.0;  // the last residual of the wide case is ~0
                EXPECT_NEAR(svd.residualNorm2[i], want, 1e-10 * scale);
                EXPECT_NEAR(gram.residualNorm2[i], want, 1e-8 * scale);
                EXPECT_NEAR(svd.scores[i], gram.scores[i], 1e-8);
                EXPECT_GT(svd.scores[i], 0.0);
                EXPECT_LE(svd.scores[i], k + 1e-12);
            }
        }
    }
}

TEST(FilterConsistency, FpsDistancesAreSquaredColumnDistances) {
    const Matrix X = agl::test::randomMatrix(80, 9, 23);
    const Selection s = selectFps(agl::test::naiveGram(X), X.cols, 9, 4);
    ASSERT_EQ(s.picks.size(), 9u);
    EXPECT_EQ(s.picks[0], 4);
    for (std::size_t i = 1; i < s.picks.size(); ++i) {
        // brute force: the farthest column from the earlier picks, and its distance
        double bestH = -1;
        int best = -1;
        for (std::size_t j = 0; j < X.cols; ++j) {
            if (std::find(s.picks.begin(), s.picks.begin() + i, static_cast<int>(j)) != s.picks.begin() + i) continue;
            double h = INFINITY;
            for (std::size_t p = 0; p < i; ++p) {
                const auto a = column(X, j), b = column(X, static_cast<std::size_t>(s.picks[p]));
                double d = 0;
                for (std::size_t r = 0; r < a.size(); ++r) d += (a[r] - b[r]) * (a[r] - b[r]);
                h = std::min(h, d);
            }
            if (h > bestH) bestH = h, best = static_cast<int>(j);
        }
        EXPECT_EQ(s.picks[i], best);
        EXPECT_NEAR(s.scores[i], bestH, 1e-10 * bestH);
    }
}

TEST(FilterConsistency, PcScoresAreDirectPearsonCorrelations) {
    Matrix X = agl::test::randomMatrix(120, 8, 24);
    for (std::size_t r = 0; r < X.rows; ++r) X.at(r, 3) = 10.0 + 2.0 * X.at(r, 3) - X.at(r, 1);
    FilterOptions o;
    o.method = Method::Pc;
    o.n = 8;
    const Selection s = runFilter(X.v.data(), X.rows, X.cols, o).selection;
    ASSERT_EQ(s.picks.size(), 8u);
    auto pearson = [&](std::size_t a, std::size_t b) {
        auto x = column(X, a), y = column(X, b);
        double mx = 0, my = 0;
        for (std::size_t r = 0; r < x.size(); ++r) mx += x[r], my += y[r];
        mx /= x.size(), my /= y.size();
        double sxy = 0, sxx = 0, syy = 0;
        for (std::size_t r = 0; r < x.size(); ++r)
            sxy += (x[r] - mx) * (y[r] - my), sxx += (x[r] - mx) * (x[r] - mx), syy += (y[r] - my) * (y[r] - my);
        return sxy / std::sqrt(sxx * syy);
    };
    // default start: the column whose largest |ρ| to any other is smallest
    std::size_t start = 0;
    double startValue = INFINITY;
    for (std::size_t j = 0; j < X.cols; ++j) {
        double worst = 0;
        for (std::size_t i = 0; i < X.cols; ++i) if (i != j) worst = std::max(worst, std::fabs(pearson(i, j)));
        if (worst < startValue) startValue = worst, start = j;
    }
    EXPECT_EQ(s.picks[0], static_cast<int>(start));
    for (std::size_t i = 1; i < s.picks.size(); ++i) {
        double m = 0;
        for (std::size_t p = 0; p < i; ++p)
            m = std::max(m, std::fabs(pearson(static_cast<std::size_t>(s.picks[i]), static_cast<std::size_t>(s.picks[p]))));
        EXPECT_NEAR(s.scores[i], m, 1e-12);
        // and no other unpicked column had a smaller maximum
        for (std::size_t j = 0; j < X.cols; ++j) {
            if (std::find(s.picks.begin(), s.picks.begin() + i + 1, static_cast<int>(j)) != s.picks.begin() + i + 1) continue;
            double mj = 0;
            for (std::size_t p = 0; p < i; ++p)
                mj = std::max(mj, std::fabs(pearson(j, static_cast<std::size_t>(s.picks[p]))));
            EXPECT_GE(mj, m - 1e-12);
        }
    }
}

TEST(FilterConsistency, CurRowSamplingIsSeededAndReported) {
    const Matrix X = agl::test::randomMatrix(3000, 6, 25);
    FilterOptions o;
    o.method = Method::Cur;
    o.n = 4;
    o.maxRows = 500;
    o.seed = 3;
    const FilterRun a = runFilter(X.v.data(), X.rows, X.cols, o), b = runFilter(X.v.data(), X.rows, X.cols, o);
    EXPECT_EQ(a.rowsUsed, 500u);
    EXPECT_EQ(a.curSolverUsed, CurSolver::Svd);
    EXPECT_EQ(a.selection.picks, b.selection.picks);
    EXPECT_EQ(a.selection.scores, b.selection.scores);
    o.curSolver = CurSolver::Gram;  // same rows, other solver: same picks
    EXPECT_EQ(runFilter(X.v.data(), X.rows, X.cols, o).selection.picks, a.selection.picks);
    o.svdMaxRows = 100;  // Auto falls back to Gram above svdMaxRows
    o.curSolver = CurSolver::Auto;
    EXPECT_EQ(runFilter(X.v.data(), X.rows, X.cols, o).curSolverUsed, CurSolver::Gram);
}
