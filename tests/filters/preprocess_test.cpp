// Preprocessing and the data paths (column statistics, blocked Gram matrix, dense copy, row sampling), each
// against brute force; and that preprocessing changes the picks exactly as include/agl/filters.hpp says.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "agl/filters.hpp"
#include "filter_fixtures.hpp"

using namespace agl::filters;
using agl::test::Matrix;

TEST(FilterPreprocess, ColumnStatsMatchTwoPassFormulas) {
    Matrix X = agl::test::randomMatrix(1000, 4, 11);
    for (std::size_t r = 0; r < X.rows; ++r) X.at(r, 1) = 1e6 + 1e-3 * X.at(r, 1);  // |mean| ≫ std
    for (std::size_t r = 0; r < X.rows; ++r) X.at(r, 3) = 0.1;                       // constant
    const ColumnStats s = columnStats(X.v.data(), X.rows, X.cols);
    for (std::size_t j = 0; j < X.cols; ++j) {
        double mean = 0, var = 0;
        for (std::size_t r = 0; r < X.rows; ++r) mean += X.at(r, j);
        mean /= X.rows;
        for (std::size_t r = 0; r < X.rows; ++r) var += (X.at(r, j) - mean) * (X.at(r, j) - mean);
        var /= (X.rows - 1);
        EXPECT_NEAR(s.mean[j], mean, 1e-12 * (1 + std::fabs(mean)));
        if (j == 3) EXPECT_EQ(s.stddev[j], 0.0);
        // column 1 is stored to ~1e-10 absolute (ulp of 1e6) against a spread of 1e-3, so any two methods
        // agree only to ~1e-7 relative there; the others to rounding
        else EXPECT_NEAR(s.stddev[j], std::sqrt(var), (j == 1 ? 1e-7 : 1e-12) * std::sqrt(var));
    }
    EXPECT_EQ(s.constant, (std::vector<char>{0, 0, 0, 1}));
    EXPECT_EQ(s.numConstant(), 1u);
}

TEST(FilterPreprocess, ZScoreGivesZeroMeanUnitSampleStdAndZeroConstantColumns) {
    Matrix X = agl::test::randomMatrix(300, 3, 12);
    for (std::size_t r = 0; r < X.rows; ++r) X.at(r, 0) = 5.0 + 3.0 * X.at(r, 0), X.at(r, 2) = 7.25;
    const ColumnStats s = columnStats(X.v.data(), X.rows, X.cols);
    const auto Z = preprocessedColumns(X.v.data(), X.rows, X.cols, columnTransform(s, Preprocess::ZScore));
    for (std::size_t j = 0; j < 2; ++j) {
        double mean = 0, ss = 0;
        for (std::size_t r = 0; r < X.rows; ++r) mean += Z[j * X.rows + r];
        for (std::size_t r = 0; r < X.rows; ++r) ss += Z[j * X.rows + r] * Z[j * X.rows + r];
        EXPECT_NEAR(mean / X.rows, 0.0, 1e-13);
        EXPECT_NEAR(ss / (X.rows - 1), 1.0, 1e-12);
    }
    for (std::size_t r = 0; r < X.rows; ++r) EXPECT_EQ(Z[2 * X.rows + r], 0.0);
    const auto C = preprocessedColumns(X.v.data(), X.rows, X.cols, columnTransform(s, Preprocess::Center));
    for (std::size_t r = 0; r < X.rows; ++r) EXPECT_EQ(C[2 * X.rows + r], 0.0);
    const auto N = preprocessedColumns(X.v.data(), X.rows, X.cols, columnTransform(s, Preprocess::None));
    for (std::size_t r = 0; r < X.rows; ++r) EXPECT_EQ(N[2 * X.rows + r], 7.25);
}

TEST(FilterPreprocess, BlockedGramMatchesBruteForceWithAndWithoutSubset) {
    const Matrix X = agl::test::randomMatrix(5000, 7, 13);  // several 2048-row blocks
    const ColumnStats s = columnStats(X.v.data(), X.rows, X.cols);
    const ColumnTransform t = columnTransform(s, Preprocess::None);
    const auto G = gramMatrix(X.v.data(), X.rows, X.cols, t);
    const auto want = agl::test::naiveGram(X);
    for (std::size_t i = 0; i < G.size(); ++i) EXPECT_NEAR(G[i], want[i], 1e-9 * 5000);

    const auto subset = sampleRows(X.rows, 100, 99);
    Matrix Xs{100, X.cols, {}};
    for (std::size_t r : subset)
        Xs.v.insert(Xs.v.end(), X.v.begin() + r * X.cols, X.v.begin() + (r + 1) * X.cols);
    const auto Gs = gramMatrix(X.v.data(), X.rows, X.cols, t, &subset);
    const auto wantS = agl::test::naiveGram(Xs);
    for (std::size_t i = 0; i < Gs.size(); ++i) EXPECT_NEAR(Gs[i], wantS[i], 1e-11 * 100);
    EXPECT_EQ(preprocessedColumns(X.v.data(), X.rows, X.cols, t, &subset), agl::test::columnMajor(Xs));
}

TEST(FilterPreprocess, SampleRowsIsSeededDistinctAndSorted) {
    const auto a = sampleRows(1000, 50, 7), b = sampleRows(1000, 50, 7), c = sampleRows(1000, 50, 8);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(std::set<std::size_t>(a.begin(), a.end()).size(), 50u);
    EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
    EXPECT_LT(a.back(), 1000u);
    EXPECT_EQ(sampleRows(10, 20, 1).size(), 10u);
}

// Diabetes X is already centred with unit-norm columns: center changes nothing and zscore multiplies every
// column by the same sqrt(441), so the CUR and FPS picks are those of the reference table.
TEST(FilterPreprocess, CentredUnitNormDataGivesTheSamePicksUnderEveryPreprocessing) {
    const Matrix X = agl::test::diabetes();
    FilterOptions o;
    o.n = 9;
    for (Preprocess p : {Preprocess::None, Preprocess::Center, Preprocess::ZScore}) {
        o.preprocess = p;
        o.method = Method::Cur;
        EXPECT_EQ(runFilter(X.v.data(), X.rows, X.cols, o).selection.picks,
                  (std::vector<int>{7, 3, 4, 9, 1, 0, 2, 8, 6}))
            << toString(p);
        o.method = Method::Fps;
        const Selection f = runFilter(X.v.data(), X.rows, X.cols, o).selection;
        EXPECT_EQ(f.picks, (std::vector<int>{0, 6, 1, 2, 4, 9, 3, 8, 7})) << toString(p);
        const double scale = p == Preprocess::ZScore ? 441.0 : 1.0;
        EXPECT_NEAR(f.scores[1], 2.150362 * scale, 1e-5 * scale);
    }
}

// Shifting one column by a constant changes FPS/CUR on raw data but not after centring; scaling one column
// changes CUR after centring but not after z-scoring; PC never changes.
TEST(FilterPreprocess, ShiftAndScaleInvariancesAreAsDocumented) {
    const Matrix X = agl::test::diabetes();
    Matrix shifted = X, scaled = X;
    for (std::size_t r = 0; r < X.rows; ++r) shifted.at(r, 2) += 3.0, scaled.at(r, 5) *= 40.0;
    auto picks = [](const Matrix& M, Method m, Preprocess p) {
        FilterOptions o;
        o.method = m;
        o.preprocess = p;
        o.n = 9;
        return runFilter(M.v.data(), M.rows, M.cols, o).selection.picks;
    };
    for (Method m : {Method::Cur, Method::Fps}) {
        EXPECT_NE(picks(shifted, m, Preprocess::None), picks(X, m, Preprocess::None)) << toString(m);
        EXPECT_EQ(picks(shifted, m, Preprocess::Center), picks(X, m, Preprocess::Center)) << toString(m);
        EXPECT_EQ(picks(shifted, m, Preprocess::ZScore), picks(X, m, Preprocess::ZScore)) << toString(m);
        EXPECT_NE(picks(scaled, m, Preprocess::Center), picks(X, m, Preprocess::Center)) << toString(m);
        EXPECT_EQ(picks(scaled, m, Preprocess::ZScore), picks(X, m, Preprocess::ZScore)) << toString(m);
    }
    for (Preprocess p : {Preprocess::None, Preprocess::Center, Preprocess::ZScore}) {
        EXPECT_EQ(picks(shifted, Method::Pc, p), picks(X, Method::Pc, Preprocess::None));
        EXPECT_EQ(picks(scaled, Method::Pc, p), picks(X, Method::Pc, Preprocess::None));
    }
}
