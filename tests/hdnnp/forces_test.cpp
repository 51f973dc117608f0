// HDNNP energies and forces: forces against central finite differences of the energy, energies against the
// trainer's network code (Potential::predict), Newton's third law, thread-count independence.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "agl/error.hpp"

#include "agl/features.hpp"
#include "hdnnp/hdnnp_support.hpp"

namespace {

using agl::Vec3d;

double finiteDifference(agl::Hdnnp& h, agl::Structure s, std::size_t atom, int axis, double step) {
    s.positions[atom][axis] += step;
    const double plus = h.energy(s, 1);
    s.positions[atom][axis] -= 2.0 * step;
    const double minus = h.energy(s, 1);
    return -(plus - minus) / (2.0 * step);
}

void expectForcesMatchFiniteDifferences(const agl::NnSettings& settings, const agl::Structure& s, unsigned seed) {
    agl::Hdnnp h(settings, hdnnptest::randomPotential(settings, seed));
    std::vector<Vec3d> forces;
    h.energyAndForces(s, forces, 1);
    ASSERT_EQ(forces.size(), s.numAtoms());
    double largest = 0.0;
    for (const Vec3d& f : forces) largest = std::max({largest, std::abs(f.x), std::abs(f.y), std::abs(f.z)});
    ASSERT_GT(largest, 1e-3);  // a test of zero forces would prove nothing
    for (std::size_t i = 0; i < s.numAtoms(); ++i)
        for (int axis = 0; axis < 3; ++axis)
            EXPECT_NEAR(forces[i][axis], finiteDifference(h, s, i, axis, 1e-5), 1e-7 * std::max(1.0, largest))
                << "atom " << i << " axis " << axis;
}

TEST(HdnnpForces, MatchFiniteDifferencesTwoElementsTriclinic) {
    expectForcesMatchFiniteDifferences(hdnnptest::twoElementSettings(), hdnnptest::waterLike(1), 7);
}

TEST(HdnnpForces, MatchFiniteDifferencesCluster) {
    testdata::Rng rng(3);
    const agl::Structure s = testdata::cluster(rng, 5.0, 14, {8, 1}, 0.9);
    expectForcesMatchFiniteDifferences(hdnnptest::twoElementSettings(), s, 11);
}

TEST(HdnnpForces, MatchFiniteDifferencesSmallCellWithSelfImages) {
    testdata::Rng rng(5);
    const agl::Structure s = testdata::periodic(rng, testdata::triclinic(rng, 3.0), 4, {1, 8}, 0.9);  // rc 4 > cell
    expectForcesMatchFiniteDifferences(hdnnptest::twoElementSettings(), s, 13);
}

// MD's neighbour list with a skin (Hdnnp::useNeighborSkin) gives the forces of a fresh list, step after step.
TEST(HdnnpForces, NeighborSkinGivesTheSameForces) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    const agl::Potential potential = hdnnptest::randomPotential(settings, 6);
    agl::Hdnnp fresh(settings, potential), reused(settings, potential);
    reused.useNeighborSkin(0.4);
    agl::Structure s = hdnnptest::waterLike(9, 40);
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<double> u(-0.01, 0.01);
    for (int step = 0; step < 5; ++step) {
        std::vector<Vec3d> a, b;
        const double ea = fresh.energyAndForces(s, a, 1), eb = reused.energyAndForces(s, b, 1);
        EXPECT_NEAR(eb, ea, 1e-12 * std::abs(ea)) << "step " << step;
        for (std::size_t i = 0; i < s.numAtoms(); ++i) EXPECT_LT(agl::norm(b[i] - a[i]), 1e-11) << "step " << step;
        for (auto& r : s.positions) r = r + Vec3d{u(rng), u(rng), u(rng)};
    }
}

TEST(HdnnpForces, SumToZeroAndDoNotDependOnThreads) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    agl::Hdnnp h(settings, hdnnptest::randomPotential(settings, 2));
    const agl::Structure s = hdnnptest::waterLike(4, 40);
    std::vector<Vec3d> one, two;
    const double e1 = h.energyAndForces(s, one, 1);
    const double e2 = h.energyAndForces(s, two, 2);
    EXPECT_EQ(e1, e2);
    Vec3d total{0, 0, 0};
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        EXPECT_EQ(one[i].x, two[i].x);
        EXPECT_EQ(one[i].y, two[i].y);
        EXPECT_EQ(one[i].z, two[i].z);
        total = total + one[i];
    }
    EXPECT_NEAR(agl::norm(total), 0.0, 1e-10);
}

// The energy path of the forces (ElementNetwork) against the trainer's (Potential::predict on a feature
// table), plus the atom_energy offsets.
TEST(HdnnpForces, EnergyMatchesTrainerPrediction) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    const agl::Potential potential = hdnnptest::randomPotential(settings, 9);
    agl::Hdnnp h(settings, potential);
    agl::Dataset data;
    data.structures = {hdnnptest::waterLike(21), hdnnptest::waterLike(22, 30)};
    const agl::FeatureTable table = agl::computeFeatures(data, settings, agl::FeatureOptions{});
    const std::vector<double> predicted = potential.predict(table);
    for (std::size_t k = 0; k < data.structures.size(); ++k) {
        const agl::Structure& s = data.structures[k];
        double offsets = 0.0;
        for (int z : s.elements) offsets += z == 1 ? -0.5 : -75.0;
        std::vector<Vec3d> forces;
        EXPECT_NEAR(h.energyAndForces(s, forces, 1), predicted[k] + offsets, 1e-10 * std::abs(offsets));
        EXPECT_NEAR(h.energy(s, 1), predicted[k] + offsets, 1e-10 * std::abs(offsets));
    }
}

// Extrapolation warnings: with the training range set to the features of a structure itself, that structure
// has no extrapolating atom; pushing one atom towards another puts at least those two outside the range.
TEST(HdnnpForces, CountsAtomsOutsideTheTrainingRange) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    agl::Potential potential = hdnnptest::randomPotential(settings, 4);
    agl::Structure s = hdnnptest::waterLike(6, 30);
    const agl::StructureFeatures f = agl::FeatureEngine(settings).compute(s, false, 1);
    for (agl::ElementPotential& e : potential.elements) {
        e.scaling.min.assign(std::size_t(e.arch.numInputs()), 1e300);
        e.scaling.max.assign(std::size_t(e.arch.numInputs()), -1e300);
        for (std::size_t i = 0; i < s.numAtoms(); ++i) {
            if (s.elements[i] != e.arch.element) continue;
            for (int j = 0; j < e.arch.numInputs(); ++j) {
                e.scaling.min[j] = std::min(e.scaling.min[j], f.g(i)[j]);
                e.scaling.max[j] = std::max(e.scaling.max[j], f.g(i)[j]);
            }
        }
    }
    agl::Hdnnp h(settings, potential);
    std::vector<Vec3d> forces;
    h.energyAndForces(s, forces, 1);
    EXPECT_EQ(h.extrapolatingAtoms(), 0u);
    s.positions[0] = s.positions[1] + Vec3d{0.3, 0.0, 0.0};
    h.energyAndForces(s, forces, 1);
    EXPECT_GE(h.extrapolatingAtoms(), 2u);
}

TEST(HdnnpForces, UnknownElementIsAClearError) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    agl::Hdnnp h(settings, hdnnptest::randomPotential(settings, 1));
    agl::Structure s = hdnnptest::waterLike(1);
    s.elements[0] = 6;
    std::vector<Vec3d> forces;
    try {
        h.energyAndForces(s, forces);
        FAIL() << "expected an error";
    } catch (const agl::Error& e) {
        EXPECT_NE(std::string(e.what()).find("C"), std::string::npos) << e.what();
    }
}

}  // namespace
