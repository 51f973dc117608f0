// Symmetry functions are invariant under translation, rotation (of atoms and cell together) and permutation
// of atoms (rows follow the atoms). fp64, relative 1e-10.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "agl/features.hpp"
#include "test_structures.hpp"

namespace {

using testdata::Rng;

agl::Vec3d rotate(const double m[3][3], agl::Vec3d v) {
    return {m[0][0] * v.x + m[0][1] * v.y + m[0][2] * v.z, m[1][0] * v.x + m[1][1] * v.y + m[1][2] * v.z,
            m[2][0] * v.x + m[2][1] * v.y + m[2][2] * v.z};
}

// G of atom perm[i] in `b` equals G of atom i in `a`.
void expectSame(const agl::StructureFeatures& a, const agl::StructureFeatures& b, const std::vector<int>& perm) {
    for (std::size_t i = 0; i < a.numAtoms(); ++i)
        for (int c = 0; c < a.numFunctions[i]; ++c) {
            const double x = a.g(i)[c], y = b.g(perm[i])[c];
            EXPECT_NEAR(x, y, 1e-10 * std::abs(x) + 1e-14) << "atom " << i << " function " << c;
        }
}

void checkInvariance(const agl::Structure& s, const agl::NnSettings& settings, Rng& rng) {
    const agl::FeatureEngine engine(settings);
    const auto ref = engine.compute(s, false);
    std::vector<int> identity(s.numAtoms());
    for (std::size_t i = 0; i < identity.size(); ++i) identity[i] = static_cast<int>(i);

    agl::Structure moved = s;  // translation (periodic: atoms leave the cell and are wrapped by the list)
    for (auto& r : moved.positions) r = r + agl::Vec3d{3.7, -12.1, 0.4};
    expectSame(ref, engine.compute(moved, false), identity);

    const double a = testdata::uniform(rng, 0, 6.28), b = testdata::uniform(rng, 0, 6.28);
    const double rz[3][3] = {{std::cos(a), -std::sin(a), 0}, {std::sin(a), std::cos(a), 0}, {0, 0, 1}};
    const double rx[3][3] = {{1, 0, 0}, {0, std::cos(b), -std::sin(b)}, {0, std::sin(b), std::cos(b)}};
    agl::Structure turned = s;
    for (auto& r : turned.positions) r = rotate(rx, rotate(rz, r));
    for (auto& v : turned.cell) v = rotate(rx, rotate(rz, v));
    expectSame(ref, engine.compute(turned, false), identity);

    std::vector<int> perm = identity;
    std::shuffle(perm.begin(), perm.end(), rng);
    agl::Structure shuffled = s;
    for (std::size_t i = 0; i < perm.size(); ++i) {
        shuffled.positions[perm[i]] = s.positions[i];
        shuffled.elements[perm[i]] = s.elements[i];
    }
    expectSame(ref, engine.compute(shuffled, false), perm);
}

TEST(Invariance, PeriodicTriclinic) {
    Rng rng(31);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 5.0, 6, 0.0));
    checkInvariance(testdata::periodic(rng, testdata::triclinic(rng, 6.0), 20, {1, 8}, 1.0), settings, rng);
}

TEST(Invariance, SmallCellWithImages) {
    Rng rng(32);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 5.0, 4, 0.2));
    checkInvariance(testdata::periodic(rng, testdata::triclinic(rng, 2.9), 3, {1, 8}, 1.0), settings, rng);
}

TEST(Invariance, Cluster) {
    Rng rng(33);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 5.0, 6, 0.0));
    checkInvariance(testdata::cluster(rng, 6.0, 25, {1, 8}), settings, rng);
}

}  // namespace
