// Real symmetry-function sets read through the io API: the paper's LJ, Al and B candidate sets (copies in
// tests/data/features/) against the brute force, and n2p2's own output for the Ta/B-set reference
// (../shared/reference/n2p2-output/ta_b; skipped when absent).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "agl/feature_files.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "brute_force.hpp"
#include "test_structures.hpp"

namespace {

using testdata::Rng;
const std::string kData = std::string(AGL_TEST_DATA) + "/features/";

// Brute force on the first `atoms` atoms (the reference is slow), relative 1e-12 (+ cutoff rounding).
void expectSetMatches(const agl::Structure& s, const agl::NnSettings& settings, std::size_t atoms) {
    const auto f = agl::FeatureEngine(settings).compute(s, false);
    const auto functions = settings.functionsOf(s.elements[0]);
    ASSERT_FALSE(functions.empty());
    for (std::size_t i = 0; i < atoms; ++i)
        for (std::size_t c = 0; c < functions.size(); ++c) {
            double scale = 0.0;
            const double ref = bf::symmetryFunction(s, static_cast<int>(i), functions[c], &scale);
            EXPECT_NEAR(f.g(i)[c], ref, 1e-12 * std::abs(ref) + 1e-14 * scale) << functions[c].settingsLine();
        }
}

TEST(ReferenceSets, PaperLjSetOnLjLiquidLikeStructure) {
    const auto settings = agl::readNnSettings(kData + "lj.nn");
    ASSERT_EQ(settings.functions.size(), 22u);
    Rng rng(51);
    // ρ = 1 σ⁻³: fcc with a = 4^(1/3), 3×3×3 cells (108 atoms), strongly perturbed.
    expectSetMatches(testdata::perturbedFcc(rng, 3, std::cbrt(4.0), 0.2, 18), settings, 6);
}

TEST(ReferenceSets, PaperAlSetOnFccAl) {
    const auto settings = agl::readNnSettings(kData + "al.nn");
    Rng rng(52);
    expectSetMatches(testdata::perturbedFcc(rng, 2, 4.05, 0.15, 13), settings, 4);  // cell < 2 rc: images
}

TEST(ReferenceSets, PaperBSetOnDenseBoron) {
    const auto settings = agl::readNnSettings(kData + "b.nn");
    Rng rng(53);
    // α-boron density ≈ 0.13 atoms/Å³, nearest neighbours ≈ 1.7 Å.
    expectSetMatches(testdata::periodic(rng, testdata::triclinic(rng, 5.8), 26, {5}, 1.55), settings, 4);
}

// n2p2 reference: function.data (raw G, %14.10f → 1e-9 absolute) and scaling.data (min/max/mean/sigma).
std::string refDir() { return std::string(AGL_SHARED_HINT) + "/reference/n2p2-output/ta_b/"; }

TEST(ReferenceSets, N2p2FunctionDataAndScalingData) {
    // (function.data is also compared as text, byte for byte, by the CLI test below.)
    if (!std::filesystem::exists(refDir() + "function.data")) GTEST_SKIP() << "no " << refDir();
    const auto settings = agl::readNnSettings(refDir() + "input.nn");
    const auto data = agl::readDataset(refDir() + "input.data");
    const agl::FeatureTable table = agl::computeFeatures(data, settings, agl::FeatureOptions{});
    ASSERT_EQ(table.elements.size(), 1u);
    const agl::ElementFeatures& ef = table.elements[0];

    std::ifstream in(refDir() + "function.data");
    std::size_t row = 0, values = 0;
    double maxDiff = 0.0;
    for (std::size_t s = 0; s < data.structures.size(); ++s) {
        std::size_t n = 0;
        ASSERT_TRUE(in >> n);
        ASSERT_EQ(n, data.structures[s].numAtoms());
        for (std::size_t a = 0; a < n; ++a, ++row) {
            int z = 0;
            in >> z;
            ASSERT_EQ(z, ef.element);
            for (std::size_t c = 0; c < ef.numFunctions(); ++c, ++values) {
                double g = 0;
                in >> g;
                maxDiff = std::max(maxDiff, std::abs(g - ef.at(row, c)));
                EXPECT_NEAR(ef.at(row, c), g, 1e-9) << "structure " << s << " atom " << a << " function " << c;
            }
        }
        double trailer[4];
        for (double& t : trailer) in >> t;
    }
    EXPECT_EQ(row, ef.numAtoms());
    EXPECT_GT(values, 10000u);
    std::cout << "function.data: " << values << " values, max |diff| " << maxDiff << "\n";

    // Our scaling.data text against n2p2's, number by number.
    std::ostringstream ours;
    agl::writeScalingData(ours, table);
    std::ifstream refScaling(refDir() + "scaling.data");
    std::istringstream mine(ours.str());
    std::string a, b;
    std::size_t lines = 0;
    while (std::getline(refScaling, a)) {
        ASSERT_TRUE(std::getline(mine, b));
        if (a.rfind("#", 0) == 0) {
            EXPECT_EQ(a, b);
            continue;
        }
        std::istringstream ra(a), rb(b);
        int e1, s1, e2, s2;
        ra >> e1 >> s1;
        rb >> e2 >> s2;
        EXPECT_EQ(e1, e2);
        EXPECT_EQ(s1, s2);
        for (int k = 0; k < 4; ++k) {
            double x, y;
            ra >> x;
            rb >> y;
            EXPECT_NEAR(y, x, 1e-10 * std::abs(x) + 1e-12) << "scaling.data line " << a;
        }
        ++lines;
    }
    EXPECT_EQ(lines, ef.numFunctions());
}

// n2p2's own example examples/nnp-train/example-lj: 32 H dimers, no cell, the second atom at x = y = z =
// (1 + k/31)/sqrt(3) printed %.8E (k = 0..31; the example's input.data is exactly this), five radial
// functions with the tanhu cutoff (cutoff_type 2). The numbers are n2p2's nnp-scaling output for it
// (scaling.data of that example, n2p2 v2.0.0): min, max, mean and sample sigma of each function.
TEST(ReferenceSets, N2p2LjDimerExampleScalingData) {
    agl::NnSettings settings;
    settings.elements = {1};
    settings.cutoffType = agl::CutoffType::TanhU;
    for (double rs : {0.0, 0.25, 0.5, 0.75, 1.0}) {
        agl::SymmetryFunction sf;
        sf.centre = sf.e1 = 1;
        sf.type = 2;
        sf.eta = 1.0;
        sf.rs = rs;
        sf.rc = 3.0;
        sf.cutoffType = agl::CutoffType::TanhU;
        settings.functions.push_back(sf);
    }
    agl::Dataset data;
    for (int k = 0; k < 32; ++k) {
        char text[32];
        std::snprintf(text, sizeof text, "%.8E", (1.0 + k / 31.0) / std::sqrt(3.0));
        const double x = std::strtod(text, nullptr);
        agl::Structure s;
        s.positions = {{0.0, 0.0, 0.0}, {x, x, x}};
        s.elements = {1, 1};
        data.structures.push_back(s);
    }
    const agl::FeatureTable table = agl::computeFeatures(data, settings, agl::FeatureOptions{});
    const agl::FeatureStatistics st = agl::featureStatistics(table.elements.at(0));
    const double n2p2[5][4] = {
        {6.0871865837434718E-04, 7.2815866278251790E-02, 1.9490223807812134E-02, 2.1031264097996986E-02},
        {1.5544175511327358E-03, 1.1277941989452710E-01, 3.3674479683869211E-02, 3.3088577742657839E-02},
        {3.5029340302491388E-03, 1.5415119007009570E-01, 5.1893074086443815E-02, 4.5780921248177578E-02},
        {6.9664161692094993E-03, 1.8594182841625700E-01, 7.1417695100244871E-02, 5.5562103194283979E-02},
        {1.2226441157255801E-02, 1.9793404599765610E-01, 8.7899308458196587E-02, 5.8908876694160478E-02}};
    ASSERT_EQ(st.mean.size(), 5u);
    for (std::size_t c = 0; c < 5; ++c) {
        const double ours[4] = {st.min[c], st.max[c], st.mean[c], st.sigma[c]};
        for (int q = 0; q < 4; ++q) EXPECT_NEAR(ours[q], n2p2[c][q], 1e-13 * n2p2[c][q]) << "function " << c << " column " << q;
    }
}

// n2p2's own unit-test values (test/cpp/fixtures.h of the n2p2 repository, checked there to 1000 ε): G of
// atom 0 of a 3-atom H cluster and of a 4-atom S/S/Cu/U cluster, tanhu cutoff, no scaling, types 2, 3 and 9
// including a shifted angular rs = 2. (n2p2's types 12, 13 and 29 are not implemented in agl.)
struct N2p2UnitCase {
    int type, e1, e2;
    double eta, lambda, zeta, rc, rs, value;
};

void expectN2p2UnitValues(const std::vector<int>& elements, const std::vector<N2p2UnitCase>& cases) {
    agl::Structure s;
    s.positions = {{0.0, 0.0, 0.0}, {1.0, 2.0, 1.0}, {0.0, 3.0, -1.0}};
    if (elements.size() == 4) s.positions.push_back({-2.0, 1.0, -0.5});
    s.elements = elements;
    for (const N2p2UnitCase& c : cases) {
        agl::NnSettings settings;
        settings.elements = elements;
        std::sort(settings.elements.begin(), settings.elements.end());
        settings.elements.erase(std::unique(settings.elements.begin(), settings.elements.end()), settings.elements.end());
        settings.cutoffType = agl::CutoffType::TanhU;
        agl::SymmetryFunction sf;
        sf.centre = elements[0];
        sf.type = c.type;
        sf.e1 = std::min(c.e1, c.e2 > 0 ? c.e2 : c.e1);
        sf.e2 = c.type == 2 ? 0 : std::max(c.e1, c.e2);
        sf.eta = c.eta;
        sf.lambda = c.lambda;
        sf.zeta = c.zeta;
        sf.rc = c.rc;
        sf.rs = c.rs;
        sf.cutoffType = agl::CutoffType::TanhU;
        settings.functions = {sf};
        const agl::StructureFeatures f = agl::FeatureEngine(settings).compute(s, false);
        EXPECT_NEAR(f.g(0)[0], c.value, 1000 * std::numeric_limits<double>::epsilon()) << sf.settingsLine();
    }
}

TEST(ReferenceSets, N2p2UnitTestValuesThreeHydrogens) {
    expectN2p2UnitValues({1, 1, 1}, {{2, 1, 0, 0.001, 0, 0, 10.0, 0.0, 4.6578975865793892E-01},
                                     {2, 1, 0, 0.030, 0, 0, 10.0, 1.0, 4.2613074319879601E-01},
                                     {3, 1, 1, 0.001, 1.0, 1.0, 10.0, 0.0, 2.2781144245150042E-02},
                                     {3, 1, 1, 0.030, -1.0, 4.0, 10.0, 2.0, 2.6506732726623567E-05},
                                     {9, 1, 1, 0.001, 1.0, 1.0, 10.0, 0.0, 8.8187604914213763E-02},
                                     {9, 1, 1, 0.031, -1.0, 4.0, 10.0, 2.0, 1.0245670290254523E-04}});
}

TEST(ReferenceSets, N2p2UnitTestValuesMixedElements) {
    const int S = 16, Cu = 29, U = 92;
    expectN2p2UnitValues({S, S, Cu, U}, {{2, Cu, 0, 0.030, 0, 0, 10.0, 1.0, 1.8212508087363616E-01},
                                         {2, U, 0, 0.030, 0, 0, 10.0, 1.0, 2.5814603379946083E-01},
                                         {3, S, Cu, 0.001, 1.0, 1.0, 10.0, 0.0, 2.2781144245150042E-02},
                                         {3, S, U, 0.001, 1.0, 1.0, 10.0, 0.0, 1.1723866787654575E-02},
                                         {3, Cu, U, 0.001, 1.0, 1.0, 10.0, 0.0, 1.8921487310992163E-02}});
}

TEST(ReferenceSets, FunctionDataRoundTripFormat) {
    // Our function.data layout: N line, Z + %14.10f values, 4-number trailer with E/N.
    agl::FeatureTable table;
    agl::ElementFeatures ef;
    ef.element = 5;
    ef.functions.resize(2);
    ef.values = {1.25, 0.5, 2.0, 3.0};
    ef.structure = {0, 0};
    ef.atom = {0, 1};
    table.elements.push_back(ef);
    table.energies = {-3.0};
    table.numAtoms = {2};
    table.tags = {agl::SetTag::Train};
    std::ostringstream out;
    agl::writeFunctionData(out, table);
    EXPECT_EQ(out.str(),
              "     2\n  5    1.2500000000   0.5000000000\n  5    2.0000000000   3.0000000000\n"
              "        0.0000000000       -1.5000000000       -1.5000000000        0.0000000000\n");
}

}  // namespace
