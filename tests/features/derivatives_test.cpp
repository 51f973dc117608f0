// dG_i/dr_k of the engine against central finite differences of G (fp64), for every centre i and EVERY atom
// k of the structure (atoms absent from i's sparse entries must have a zero difference quotient).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "agl/cutoff_function.hpp"
#include "agl/features.hpp"
#include "test_structures.hpp"

namespace {

using testdata::Rng;

// Analytic derivative from the sparse layout, 0 when k is not an entry of i.
double analytic(const agl::StructureFeatures& f, std::size_t i, std::size_t k, int x, int col) {
    for (std::size_t e = f.derivativeOffsets[i]; e < f.derivativeOffsets[i + 1]; ++e)
        if (f.derivativeAtom[e] == k) return f.dGdr(i, e)[x * f.numFunctions[i] + col];
    return 0.0;
}

void expectMatchesFiniteDifferences(const agl::Structure& s, const agl::NnSettings& settings) {
    const agl::FeatureEngine engine(settings);
    const auto f = engine.compute(s, true);
    ASSERT_TRUE(f.hasDerivatives());
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {  // entry 0 is the centre itself, entries distinct
        ASSERT_EQ(f.derivativeAtom[f.derivativeOffsets[i]], i);
        for (std::size_t e = f.derivativeOffsets[i]; e < f.derivativeOffsets[i + 1]; ++e)
            for (std::size_t e2 = e + 1; e2 < f.derivativeOffsets[i + 1]; ++e2)
                ASSERT_NE(f.derivativeAtom[e], f.derivativeAtom[e2]);
    }
    const double h = 1e-5;
    std::size_t checked = 0, nonZero = 0;
    for (std::size_t k = 0; k < s.numAtoms(); ++k)
        for (int x = 0; x < 3; ++x) {
            agl::Structure plus = s, minus = s;
            plus.positions[k][x] += h;
            minus.positions[k][x] -= h;
            const auto fp = engine.compute(plus, false, 1), fm = engine.compute(minus, false, 1);
            for (std::size_t i = 0; i < s.numAtoms(); ++i)
                for (int c = 0; c < f.numFunctions[i]; ++c) {
                    const double fd = (fp.g(i)[c] - fm.g(i)[c]) / (2 * h);
                    const double an = analytic(f, i, k, x, c);
                    EXPECT_NEAR(an, fd, 1e-6 * std::abs(fd) + 1e-8)
                        << "d G_" << i << "," << c << " / d r_" << k << "," << x;
                    ++checked;
                    nonZero += std::abs(fd) > 1e-6;
                }
        }
    EXPECT_GT(nonZero, checked / 4) << "too few non-zero derivatives to be a meaningful test";
}

TEST(Derivatives, TinyTriclinicCellWithSelfImages) {
    Rng rng(21);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 5.0, 6, 0.0));
    expectMatchesFiniteDifferences(testdata::periodic(rng, testdata::triclinic(rng, 3.0), 3, {1, 8}, 1.0), settings);
}

TEST(Derivatives, Cluster) {
    Rng rng(22);
    const auto settings = testdata::settingsOf(testdata::mixedSet(6, 8, 4.5, 1, 0.0));
    expectMatchesFiniteDifferences(testdata::cluster(rng, 4.0, 9, {6, 8}), settings);
}

TEST(Derivatives, ZetaChains) {
    Rng rng(24);
    const auto settings = testdata::settingsOf(testdata::zetaChainSet(1, 8, 4.0));
    expectMatchesFiniteDifferences(testdata::periodic(rng, testdata::triclinic(rng, 3.4), 4, {1, 8}, 1.0), settings);
}

TEST(Derivatives, EveryCutoffTypeWithInnerCutoff) {
    Rng rng(23);
    for (int type = 0; type <= 8; ++type) {
        SCOPED_TRACE("cutoff type " + std::to_string(type));
        const auto settings = testdata::settingsOf(testdata::mixedSet(1, 3, 4.5, type, 0.3));
        expectMatchesFiniteDifferences(testdata::periodic(rng, testdata::triclinic(rng, 4.2), 4, {1, 3}, 1.0),
                                       settings);
    }
}



// n2p2's own cutoff-function unit test (test/cpp/test_CutoffFunction.cpp of the n2p2 repository): every type at
// r = 0.8 rc with rc = 3 and α = 0.2, and the tanh types (which ignore α) at r = 0.1 rc. n2p2 checks its own
// values to 10 ε; here 2e-14, because n2p2's poly4 values carry 7.7e-15 (f) and 1.5e-14 (df) of rounding
// from its evaluation order: at x = 0.75 the exact values are the dyadic rationals 0.04892730712890625 and
// −0.32444000244140625, which agl returns exactly (checked below).
TEST(Derivatives, CutoffsMatchN2p2UnitTestValues) {
    const agl::CutoffType types[] = {agl::CutoffType::Hard,  agl::CutoffType::Cos,   agl::CutoffType::TanhU,
                                     agl::CutoffType::Tanh,  agl::CutoffType::Exp,   agl::CutoffType::Poly1,
                                     agl::CutoffType::Poly2, agl::CutoffType::Poly3, agl::CutoffType::Poly4};
    const double f[] = {1.0000000000000000E+00, 1.4644660940672610E-01, 7.6891537120697719E-03,
                        1.7406350897769041E-02, 2.7645304662956399E-01, 1.5624999999999989E-01,
                        1.0351562500000000E-01, 7.0556640624999223E-02, 4.8927307128898589E-02};
    const double df[] = {0.0000000000000000E+00,  -4.6280030605816297E-01, -3.7439367857705103E-02,
                         -8.4753511078717925E-02, -9.0270382572918972E-01, -4.6874999999999978E-01,
                         -4.3945312499999933E-01, -3.8452148437500017E-01, -3.2444000244142152E-01};
    const double tolerance = 2e-14;
    for (int t = 0; t < 9; ++t) {
        const agl::Cutoff<double> fc = agl::makeCutoff<double>(types[t], 3.0, 0.2);
        double value = 0, derivative = 0;
        fc.valueAndDerivative(2.4, value, derivative);
        EXPECT_NEAR(value, f[t], tolerance) << "type " << t;
        EXPECT_NEAR(derivative, df[t], tolerance) << "type " << t;
        EXPECT_NEAR(fc.value(2.4), f[t], tolerance) << "type " << t;
        fc.valueAndDerivative(0.3, value, derivative);  // inside the inner cutoff α·rc = 0.6
        const double innerF = t == 2 ? 3.6752000144553820E-01 : t == 3 ? 8.3197479809356334E-01 : 1.0;
        const double innerDf = t == 2 ? -2.4982884456067705E-01 : t == 3 ? -5.6555099503099682E-01 : 0.0;
        EXPECT_NEAR(value, innerF, tolerance) << "type " << t;
        EXPECT_NEAR(derivative, innerDf, tolerance) << "type " << t;
        fc.valueAndDerivative(4.5, value, derivative);
        EXPECT_EQ(value, 0.0);
        EXPECT_EQ(derivative, 0.0);
    }
    double value = 0, derivative = 0;
    agl::makeCutoff<double>(agl::CutoffType::Poly4, 3.0, 0.2).valueAndDerivative(2.4, value, derivative);
    EXPECT_EQ(value, 0.04892730712890625);
    EXPECT_EQ(derivative, -0.32444000244140625);
}

// The last 64 fp32 distances below rc, where the scaled distance x is at its closest to 1: every cutoff
// gives finite values and derivatives there (the exp type divides by 1 − x²).
TEST(Derivatives, CutoffsAreFiniteJustBelowTheCutoffInFp32) {
    for (agl::CutoffType type : {agl::CutoffType::Hard, agl::CutoffType::Cos, agl::CutoffType::TanhU,
                                 agl::CutoffType::Tanh, agl::CutoffType::Exp, agl::CutoffType::Poly1,
                                 agl::CutoffType::Poly2, agl::CutoffType::Poly3, agl::CutoffType::Poly4})
        for (float alpha : {0.0f, 0.3f})
            for (float rc : {2.8f, 5.3f, 6.8f, 12.0f}) {
                const agl::Cutoff<float> fc = agl::makeCutoff<float>(type, rc, alpha);
                float r = rc;
                for (int step = 0; step < 64; ++step) {
                    r = std::nextafter(r, 0.0f);
                    float f = 0, df = 0;
                    fc.valueAndDerivative(r, f, df);
                    ASSERT_TRUE(std::isfinite(f) && std::isfinite(df))
                        << "type " << int(type) << " rc " << rc << " alpha " << alpha << " r " << r;
                }
            }
}

// The GPU's fp32 features rest on Cutoff<float>: over the whole range r in (0, rc) every type stays within
// 1e-6 of the fp64 function (fc ≤ 1) and its slope within 1e-6 of the largest slope. The polynomial types
// cancel terms up to 540·x⁵, which in float alone gave errors of 4.6e-5 (Poly4), beyond the 1e-5 the GPU tests
// allow; they are evaluated in double whatever T.
TEST(Derivatives, Fp32CutoffsFollowFp64AcrossTheRange) {
    for (agl::CutoffType type : {agl::CutoffType::Hard, agl::CutoffType::Cos, agl::CutoffType::TanhU,
                                 agl::CutoffType::Tanh, agl::CutoffType::Exp, agl::CutoffType::Poly1,
                                 agl::CutoffType::Poly2, agl::CutoffType::Poly3, agl::CutoffType::Poly4})
        for (double alpha : {0.0, 0.25})
            for (double rc : {3.8, 6.5}) {
                const auto single = agl::makeCutoff<float>(type, float(rc), float(alpha));
                const auto reference = agl::makeCutoff<double>(type, rc, alpha);
                double worstValue = 0.0, worstSlope = 0.0, largestSlope = 0.0;
                for (int k = 1; k < 20000; ++k) {
                    const float r = float(rc * k / 20000.0);
                    float f = 0, df = 0;
                    double fr = 0, dfr = 0;
                    single.valueAndDerivative(r, f, df);
                    reference.valueAndDerivative(double(r), fr, dfr);  // the same distance in both
                    worstValue = std::max(worstValue, std::abs(f - fr));
                    worstSlope = std::max(worstSlope, std::abs(df - dfr));
                    largestSlope = std::max(largestSlope, std::abs(dfr));
                }
                const std::string what = "type " + std::to_string(int(type)) + " rc " + std::to_string(rc) +
                                         " alpha " + std::to_string(alpha);
                EXPECT_LT(worstValue, 1e-6) << what;
                EXPECT_LE(worstSlope, 1e-6 * std::max(largestSlope, 1e-300)) << what;
            }
}

}  // namespace
