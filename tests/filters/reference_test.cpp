// The reference cases of ../shared/reference/filters.md on scikit-learn's diabetes X (442 × 10, columns
// centred and of unit norm), with no further preprocessing. Picks exact; scores, ‖R‖_F² and FPS distances
// to 1e-5 (the reference prints six significant digits).
#include <gtest/gtest.h>

#include <cmath>

#include "agl/filters.hpp"
#include "filter_fixtures.hpp"

using namespace agl::filters;
using agl::test::Matrix;

namespace {

const std::vector<int> kCurK1 = {7, 3, 4, 9, 1, 0, 2, 8, 6};
const std::vector<double> kCurK1Scores = {0.183898, 0.237254, 0.404197, 0.346776, 0.55622,
                                          0.933224, 0.783188, 0.825871, 0.769259};
const std::vector<double> kCurK1Residual = {6.779995, 5.489188, 3.987579, 3.187432, 2.33302,
                                            1.506171, 0.786128, 0.212253, 0.025515};

Selection curSvd(const Matrix& X, int n, int k, bool iterative) {
    CurOptions o;
    o.k = k;
    o.iterative = iterative;
    return selectCurSvd(agl::test::columnMajor(X), X.rows, X.cols, n, o);
}

Selection curGram(const Matrix& X, int n, int k, bool iterative) {
    CurOptions o;
    o.k = k;
    o.iterative = iterative;
    return selectCurGram(agl::test::naiveGram(X), X.cols, n, o);
}

void expectNear(const std::vector<double>& got, const std::vector<double>& want, double tol) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "step " << i;
}

}  // namespace

TEST(FilterReference, DiabetesDataIsCentredUnitNorm) {
    const Matrix X = agl::test::diabetes();
    ASSERT_EQ(X.rows, 442u);
    ASSERT_EQ(X.cols, 10u);
    const auto G = agl::test::naiveGram(X);
    for (std::size_t j = 0; j < 10; ++j) EXPECT_NEAR(G[j * 10 + j], 1.0, 1e-12);
}

TEST(FilterReference, CurIterativeK1Svd) {
    const Selection s = curSvd(agl::test::diabetes(), 9, 1, true);
    EXPECT_EQ(s.picks, kCurK1);
    expectNear(s.scores, kCurK1Scores, 1e-5);
    expectNear(s.residualNorm2, kCurK1Residual, 1e-5);
    EXPECT_TRUE(s.stopReason.empty());
}

TEST(FilterReference, CurIterativeK1Gram) {
    const Selection s = curGram(agl::test::diabetes(), 9, 1, true);
    EXPECT_EQ(s.picks, kCurK1);
    expectNear(s.scores, kCurK1Scores, 1e-5);
    expectNear(s.residualNorm2, kCurK1Residual, 1e-5);
}

TEST(FilterReference, CurOneShot) {
    const std::vector<int> want = {7, 8, 5, 4, 9, 2, 6, 3, 0};
    EXPECT_EQ(curSvd(agl::test::diabetes(), 9, 1, false).picks, want);
    EXPECT_EQ(curGram(agl::test::diabetes(), 9, 1, false).picks, want);
}

// Picks 8 and 9 are exact ties: after 7 picks the residual has rank 3 = k, so every remaining column has
// π = 1 (and after 8, rank 2 with π = 1 again). They are decided by the documented lowest-index rule with
// a 1e-12 tie tolerance, not by LAPACK rounding; the test asserts that rule and the tie itself.
TEST(FilterReference, CurIterativeK3) {
    const std::vector<int> want = {6, 1, 0, 9, 2, 3, 7, 4, 5};
    for (const Selection& s : {curSvd(agl::test::diabetes(), 9, 3, true), curGram(agl::test::diabetes(), 9, 3, true)}) {
        EXPECT_EQ(s.picks, want);
        ASSERT_EQ(s.scores.size(), 9u);
        EXPECT_NEAR(s.scores[7], 1.0, 1e-10);
        EXPECT_NEAR(s.scores[8], 1.0, 1e-10);
        EXPECT_LT(s.scores[6], 1.0 - 1e-3);
    }
}

TEST(FilterReference, FpsStart0) {
    const Matrix X = agl::test::diabetes();
    const Selection s = selectFps(agl::test::naiveGram(X), X.cols, 10, 0);
    EXPECT_EQ(s.picks, (std::vector<int>{0, 6, 1, 2, 4, 9, 3, 8, 7, 5}));
    ASSERT_EQ(s.scores.size(), 10u);
    EXPECT_TRUE(std::isinf(s.scores[0]));
    const std::vector<double> want = {2.150362, 1.652526, 1.629831, 1.479878, 1.222640,
                                      1.209178, 0.968994, 0.764282, 0.206674};
    expectNear(std::vector<double>(s.scores.begin() + 1, s.scores.end()), want, 1e-5);
}

TEST(FilterReference, PcMinMaxAbsoluteStart0) {
    const Matrix X = agl::test::diabetes();
    PcOptions o;
    o.start = 0;
    const Selection s = selectPc(agl::test::naiveGram(X), X.cols, 10, o);
    EXPECT_EQ(s.picks, (std::vector<int>{0, 6, 5, 9, 1, 2, 3, 8, 7, 4}));
    EXPECT_TRUE(std::isnan(s.scores[0]));
}

TEST(FilterReference, PcMinMaxSignedStart0EqualsFps) {
    const Matrix X = agl::test::diabetes();
    PcOptions o;
    o.start = 0;
    o.signedCorrelation = true;
    const auto G = agl::test::naiveGram(X);
    const Selection s = selectPc(G, X.cols, 10, o);
    EXPECT_EQ(s.picks, (std::vector<int>{0, 6, 1, 2, 4, 9, 3, 8, 7, 5}));
    EXPECT_EQ(s.picks, selectFps(G, X.cols, 10, 0).picks);
    // centred unit-norm columns: FPS distance = 2(1 − ρ)
    const Selection f = selectFps(G, X.cols, 10, 0);
    for (std::size_t i = 1; i < s.picks.size(); ++i) EXPECT_NEAR(f.scores[i], 2.0 * (1.0 - s.scores[i]), 1e-12);
}

TEST(FilterReference, RunFilterFromRowMajorMatchesWithNoPreprocessing) {
    const Matrix X = agl::test::diabetes();
    FilterOptions o;
    o.preprocess = Preprocess::None;
    o.n = 9;
    o.method = Method::Cur;
    for (CurSolver solver : {CurSolver::Svd, CurSolver::Gram}) {
        o.curSolver = solver;
        const FilterRun run = runFilter(X.v.data(), X.rows, X.cols, o);
        EXPECT_EQ(run.selection.picks, kCurK1) << toString(solver);
        EXPECT_EQ(run.curSolverUsed, solver);
        EXPECT_EQ(run.rowsUsed, 442u);
    }
    o.method = Method::Fps;
    o.n = 10;
    EXPECT_EQ(runFilter(X.v.data(), X.rows, X.cols, o).selection.picks,
              (std::vector<int>{0, 6, 1, 2, 4, 9, 3, 8, 7, 5}));
    o.method = Method::Pc;
    o.start = 0;
    EXPECT_EQ(runFilter(X.v.data(), X.rows, X.cols, o).selection.picks,
              (std::vector<int>{0, 6, 5, 9, 1, 2, 3, 8, 7, 4}));
}

TEST(FilterReference, TinyCase) {
    Matrix X{3, 3, {0.12, 0.21, 0.02, -0.09, 0.32, -0.10, -0.03, -0.53, 0.08}};
    EXPECT_EQ(curSvd(X, 2, 1, true).picks, (std::vector<int>{1, 0}));
    EXPECT_EQ(curGram(X, 2, 1, true).picks, (std::vector<int>{1, 0}));
    EXPECT_EQ(selectFps(agl::test::naiveGram(X), 3, 2, 0).picks, (std::vector<int>{0, 1}));
}
