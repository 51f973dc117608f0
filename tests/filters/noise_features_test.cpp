// Noise features: folded-normal moment matching (against the closed-form moments and against samples),
// reproducibility with the seed, marking of the appended functions, and untouched real columns.
#include <gtest/gtest.h>

#include <cmath>

#include "agl/error.hpp"
#include "agl/filters.hpp"
#include "agl/noise_features.hpp"
#include "filter_fixtures.hpp"

using namespace agl;

namespace {

// Closed-form moments of |Y|, Y ~ N(μ, σ²).
double foldedMean(double mu, double sigma) {
    if (sigma == 0) return std::fabs(mu);
    return sigma * std::sqrt(2.0 / M_PI) * std::exp(-mu * mu / (2 * sigma * sigma)) +
           mu * std::erf(mu / (sigma * std::sqrt(2.0)));
}

// Two elements with positive features of different means and spreads; one constant column in element 1.
FeatureTable makeTable(std::size_t rows0, std::size_t rows1) {
    FeatureTable t;
    std::mt19937_64 rng(5);
    std::gamma_distribution<double> gamma(2.0, 1.0);
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    auto fill = [&](int z, std::size_t rows, std::size_t cols, bool constantColumn) {
        ElementFeatures ef;
        ef.element = z;
        for (std::size_t j = 0; j < cols; ++j) {
            SymmetryFunction sf;
            sf.centre = sf.e1 = z;
            sf.eta = 0.1 * (j + 1);
            sf.rc = 6.0;
            ef.functions.push_back(sf);
        }
        for (std::size_t r = 0; r < rows; ++r) {
            ef.structure.push_back(static_cast<std::uint32_t>(r / 4));
            ef.atom.push_back(static_cast<std::uint32_t>(r % 4));
            for (std::size_t j = 0; j < cols; ++j) {
                double v = j % 2 ? 10.0 + uni(rng) : 0.05 * gamma(rng) * (j + 1);  // low and high CV columns
                if (constantColumn && j == 1) v = 3.0;
                ef.values.push_back(v);
            }
        }
        t.elements.push_back(ef);
    };
    fill(1, rows0, 4, false);
    fill(8, rows1, 3, true);
    return t;
}

}  // namespace

TEST(NoiseFeatures, FoldedNormalMatchesMeanAndVarianceExactly) {
    for (auto [m, s] : {std::pair{1.0, 0.1}, {1.0, 0.5}, {1.0, 0.75}, {2.5, 1.0}, {4.0, 0.001}}) {
        const FoldedNormal f = foldedNormalFor(m, s);
        EXPECT_TRUE(f.exact) << m << " " << s;
        EXPECT_NEAR(foldedMean(f.mu, f.sigma), m, 1e-12 * m);
        const double var = f.mu * f.mu + f.sigma * f.sigma - m * m;  // E|Y|² − (E|Y|)²
        EXPECT_NEAR(std::sqrt(std::max(var, 0.0)), s, 1e-9 * m);
    }
}

TEST(NoiseFeatures, FoldedNormalFallsBackToHalfNormalWhenSpreadIsTooLarge) {
    const FoldedNormal f = foldedNormalFor(1.0, 2.0);  // CV 2 > 0.7555: no folded normal has these moments
    EXPECT_FALSE(f.exact);
    EXPECT_EQ(f.mu, 0.0);
    EXPECT_NEAR(foldedMean(f.mu, f.sigma), 1.0, 1e-12);
}

TEST(NoiseFeatures, AppendsMarkedColumnsAndKeepsRealOnes) {
    const FeatureTable before = makeTable(400, 300);
    FeatureTable t = before;
    const auto info = addNoiseFeatures(t, 5, 42);
    ASSERT_EQ(info.size(), 2u);
    for (std::size_t e = 0; e < 2; ++e) {
        const ElementFeatures &a = before.elements[e], &b = t.elements[e];
        const std::size_t d = a.numFunctions();
        ASSERT_EQ(b.numFunctions(), d + 5);
        ASSERT_EQ(b.values.size(), b.numAtoms() * (d + 5));
        for (std::size_t j = 0; j < d; ++j) EXPECT_FALSE(b.functions[j].isNoise());
        for (std::size_t j = d; j < d + 5; ++j) {
            EXPECT_TRUE(b.functions[j].isNoise());
            EXPECT_EQ(b.functions[j].centre, a.element);
            EXPECT_FALSE(validationProblem(b.functions[j]).empty());
            EXPECT_EQ(b.functions[j].settingsLine().rfind("#", 0), 0u);
        }
        for (std::size_t r = 0; r < a.numAtoms(); ++r)
            for (std::size_t j = 0; j < d; ++j) ASSERT_EQ(b.at(r, j), a.at(r, j));
        for (double v : b.values) EXPECT_GE(v, 0.0);
    }
    // element 8 has column 1 constant: noise imitates columns 0, 2, 0, 2, 0 (round-robin over non-constant)
    EXPECT_EQ(info[1].imitates, (std::vector<int>{0, 2, 0, 2, 0}));
    EXPECT_EQ(info[0].imitates, (std::vector<int>{0, 1, 2, 3, 0}));
}

TEST(NoiseFeatures, ReproducibleWithSeedAndDifferentOtherwise) {
    FeatureTable a = makeTable(100, 50), b = makeTable(100, 50), c = makeTable(100, 50);
    addNoiseFeatures(a, 3, 7);
    addNoiseFeatures(b, 3, 7);
    addNoiseFeatures(c, 3, 8);
    for (std::size_t e = 0; e < 2; ++e) {
        EXPECT_EQ(a.elements[e].values, b.elements[e].values);
        EXPECT_NE(a.elements[e].values, c.elements[e].values);
    }
}

TEST(NoiseFeatures, SampleStatisticsMatchTheImitatedColumns) {
    FeatureTable t = makeTable(20000, 20000);
    const auto info = addNoiseFeatures(t, 4, 123);
    for (std::size_t e = 0; e < 2; ++e) {
        const ElementFeatures& ef = t.elements[e];
        const filters::ColumnStats s = filters::columnStats(ef.values.data(), ef.numAtoms(), ef.numFunctions());
        const std::size_t d = ef.numFunctions() - 4;
        for (std::size_t q = 0; q < 4; ++q) {
            const std::size_t j = static_cast<std::size_t>(info[e].imitates[q]);
            ASSERT_TRUE(info[e].law[q].exact);
            // sampling error of the mean is s/sqrt(n) = 0.7 % of s; 5 standard errors
            EXPECT_NEAR(s.mean[d + q], s.mean[j], 5.0 * s.stddev[j] / std::sqrt(20000.0));
            EXPECT_NEAR(s.stddev[d + q], s.stddev[j], 0.05 * s.stddev[j]);
        }
        // noise is independent of the real columns: |ρ| small
        const filters::ColumnTransform tr = filters::columnTransform(s, filters::Preprocess::Center);
        const auto C = filters::gramMatrix(ef.values.data(), ef.numAtoms(), ef.numFunctions(), tr);
        const std::size_t n = ef.numFunctions();
        for (std::size_t q = d; q < n; ++q)
            for (std::size_t j = 0; j < n; ++j) {
                if (j == q || C[j * n + j] == 0.0) continue;
                EXPECT_LT(std::fabs(C[q * n + j] / std::sqrt(C[q * n + q] * C[j * n + j])), 0.04);
            }
    }
}

TEST(NoiseFeatures, RejectsNegativeCountAndZeroIsANoOp) {
    FeatureTable t = makeTable(10, 10);
    const FeatureTable before = t;
    EXPECT_THROW(addNoiseFeatures(t, -1, 1), Error);
    EXPECT_TRUE(addNoiseFeatures(t, 0, 1).empty());
    EXPECT_EQ(t.elements[0].values, before.elements[0].values);
}
