// buildNeighborList and findPairCloserThan against the brute-force image enumeration of brute_force.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <string>

#include "agl/error.hpp"
#include "agl/neighbor_list.hpp"
#include "brute_force.hpp"
#include "test_structures.hpp"

namespace {

using testdata::Rng;

// (j, rounded delta) per neighbour of atom i, sorted: the two lists must hold the same images.
using Key = std::tuple<int, long long, long long, long long>;
Key keyOf(int j, const double* d) {
    return {j, std::llround(d[0] * 1e8), std::llround(d[1] * 1e8), std::llround(d[2] * 1e8)};
}

// `reference`: the structure given to the brute force (default: the same one).
void expectSameAsBruteForce(const agl::Structure& s, double rc, const agl::Structure* reference = nullptr) {
    const agl::NeighborList list = agl::buildNeighborList(s, rc);
    const agl::Structure& ref = reference ? *reference : s;
    ASSERT_EQ(list.numAtoms(), s.numAtoms());
    std::size_t total = 0;
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        std::vector<Key> got, want;
        for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p) {
            const double d[3] = {list.delta[p].x, list.delta[p].y, list.delta[p].z};
            EXPECT_NEAR(list.distance[p], agl::norm(list.delta[p]), 1e-12);
            EXPECT_LT(list.distance[p], rc);
            got.push_back(keyOf(static_cast<int>(list.index[p]), d));
        }
        for (const auto& n : bf::neighbors(ref, static_cast<int>(i), rc)) want.push_back(keyOf(n.atom, n.d));
        std::sort(got.begin(), got.end());
        std::sort(want.begin(), want.end());
        EXPECT_EQ(got, want) << "atom " << i;
        total += want.size();
    }
    EXPECT_GT(total + (s.numAtoms() < 2), 0u);
}

TEST(NeighborList, TinyTriclinicCellsSeeManyImagesAndThemselves) {
    Rng rng(41);
    for (int atoms : {1, 2, 5}) {
        const auto s = testdata::periodic(rng, testdata::triclinic(rng, 2.3), atoms, {1}, 0.8);
        expectSameAsBruteForce(s, 6.0);
        EXPECT_GT(agl::buildNeighborList(s, 6.0).numPairs(), 50u * atoms);  // far beyond one cell
    }
}

// The full list is symmetric bit for bit: i sees j's image at delta exactly when j sees i's at −delta, with the
// same distance, so a pair at the cutoff is in both lists or in neither (the GPU's force gather reads k's
// entries from its neighbours' lists and relies on it). Triclinic cells with many images, cutoffs at which
// some distances differ from the cutoff by rounding only.
TEST(NeighborList, SymmetricBitForBit) {
    Rng rng(44);
    for (double edge : {2.3, 7.5}) {
        const auto s = testdata::periodic(rng, testdata::triclinic(rng, edge), 12, {1}, 0.7);
        for (double rc : {4.0, 0.0}) {
            if (rc == 0.0) {  // a cutoff one step above some pair's distance: that pair is kept from both sides
                const auto all = agl::buildNeighborList(s, 4.0);
                rc = std::nextafter(all.distance[all.numPairs() / 2], 10.0);
            }
            const agl::NeighborList list = agl::buildNeighborList(s, rc);
            using Pair = std::tuple<std::uint32_t, std::uint32_t, double, double, double, double>;
            std::vector<Pair> forward, reverse;
            for (std::uint32_t i = 0; i < list.numAtoms(); ++i)
                for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p) {
                    const agl::Vec3d d = list.delta[p];
                    forward.emplace_back(i, list.index[p], d.x, d.y, d.z, list.distance[p]);
                    reverse.emplace_back(list.index[p], i, -d.x, -d.y, -d.z, list.distance[p]);
                }
            std::sort(forward.begin(), forward.end());
            std::sort(reverse.begin(), reverse.end());
            EXPECT_EQ(forward, reverse) << "edge " << edge << " rc " << rc;
            EXPECT_GE(forward.size(), 2u);
        }
    }
}

TEST(NeighborList, LargeCellsUseBinsAndStayExact) {
    Rng rng(42);
    expectSameAsBruteForce(testdata::periodic(rng, testdata::triclinic(rng, 13.0), 150, {1}, 1.2), 4.0);
    // Very flat cell: thin along c, wide along a and b.
    agl::Structure flat = testdata::periodic(rng, {agl::Vec3d{14, 0, 0}, agl::Vec3d{3, 12, 0}, agl::Vec3d{0.5, 0.2, 1.9}},
                                             40, {1}, 0.9);
    expectSameAsBruteForce(flat, 4.5);
}

TEST(NeighborList, ClustersHaveNoImages) {
    Rng rng(43);
    expectSameAsBruteForce(testdata::cluster(rng, 12.0, 120, {1}, 1.0), 3.5);
    expectSameAsBruteForce(testdata::cluster(rng, 2.0, 1, {1}), 3.5);  // a single atom
}

// Atoms on a line or in a plane: the extent along the other axes is 0, where the search reach must stay
// bounded (it overflowed an int before: found by -fsanitize=undefined).
TEST(NeighborList, LinearAndFlatClusters) {
    Rng rng(45);
    agl::Structure line = testdata::cluster(rng, 12.0, 40, {1, 8}, 0.5);
    agl::Structure plane = line;
    for (auto& r : line.positions) r.y = r.z = 0.0;
    for (auto& r : plane.positions) r.z = 1.5;
    expectSameAsBruteForce(line, 3.5);
    expectSameAsBruteForce(plane, 3.5);
}

// A strongly skewed basis of an ordinary lattice (c + 40a + 7b: heights of ~0.1 for a cutoff of 3.5) finds
// the pairs of the plain basis; the grid searches a reduced basis instead of ~10⁶ images per atom.
TEST(NeighborList, SkewedBasisOfAnOrdinaryLatticeGivesItsPairs) {
    Rng rng(46);
    const agl::Structure plain = testdata::periodic(rng, testdata::triclinic(rng, 6.0), 20, {1, 8}, 0.9);
    agl::Structure skewed = plain;
    skewed.cell[2] = plain.cell[2] + 40.0 * plain.cell[0] + 7.0 * plain.cell[1];
    skewed.cell[1] = plain.cell[1] - 3.0 * plain.cell[0];
    expectSameAsBruteForce(skewed, 3.5, &plain);
}

// A NaN position, or one so far away that wrapping it into the cell loses every digit (1e308 in a damaged
// MD restart file crashed the binning), is refused with the atom's index.
TEST(NeighborList, PositionsThatCannotBeBinnedAreRefused) {
    Rng rng(47);
    for (bool periodic : {true, false})
        for (double bad : {std::nan(""), 1e308, -1e300}) {
            agl::Structure s = periodic ? testdata::periodic(rng, testdata::triclinic(rng, 6.0), 5, {1}, 0.9)
                                        : testdata::cluster(rng, 6.0, 5, {1}, 0.9);
            s.positions[1].y = bad;
            if (!periodic && std::isfinite(bad)) continue;  // a finite cluster position is a valid far atom
            try {
                agl::buildNeighborList(s, 3.0);
                FAIL() << "position " << bad << " accepted";
            } catch (const agl::Error& e) {
                EXPECT_NE(std::string(e.what()).find("atom 1 is at"), std::string::npos) << e.what();
            }
        }
}

// A periodic cell far thinner than the cutoff would need millions of images per atom: refused with the
// heights, instead of running for hours (a lattice line typed with a missing digit does this).
TEST(NeighborList, CellFarThinnerThanTheCutoffIsRefused) {
    agl::Structure s;
    s.periodic = true;
    s.cell = {agl::Vec3d{1e-4, 0, 0}, agl::Vec3d{0, 1e-3, 0}, agl::Vec3d{0, 0, 5}};
    s.positions = {{0, 0, 1}};
    s.elements = {1};
    try {
        agl::buildNeighborList(s, 6.0);
        FAIL() << "a cell of heights 1e-4 and 1e-3 with cutoff 6 was accepted";
    } catch (const agl::Error& e) {
        EXPECT_NE(std::string(e.what()).find("too thin"), std::string::npos) << e.what();
    }
}

TEST(NeighborList, AtomsOutsideTheCellAreWrapped) {
    Rng rng(44);
    agl::Structure s = testdata::periodic(rng, testdata::triclinic(rng, 5.0), 10, {1}, 1.0);
    const auto ref = agl::buildNeighborList(s, 4.0);
    agl::Structure inside = s;
    s.positions[3] = s.positions[3] + 2.0 * s.cell[0] - 1.0 * s.cell[2];
    expectSameAsBruteForce(s, 4.0, &inside);  // the brute force only looks ±(ceil(rc/h)+1) cells around
    EXPECT_EQ(agl::buildNeighborList(s, 4.0).numPairs(), ref.numPairs());
}

TEST(NeighborList, FindPairCloserThan) {
    agl::Structure s;
    s.periodic = true;
    s.cell = {agl::Vec3d{5, 0, 0}, agl::Vec3d{0, 5, 0}, agl::Vec3d{0, 0, 5}};
    s.positions = {{0.1, 0.1, 0.1}, {2.5, 2.5, 2.5}, {4.9, 0.1, 0.1}};  // 0 and 2 are 0.2 apart through x
    s.elements = {1, 1, 1};
    auto pair = agl::findPairCloserThan(s, 0.5);
    ASSERT_TRUE(pair.has_value());
    EXPECT_EQ(pair->i, 0u);
    EXPECT_EQ(pair->j, 2u);
    EXPECT_NEAR(pair->distance, 0.2, 1e-12);
    EXPECT_FALSE(agl::findPairCloserThan(s, 0.19).has_value());
    // An atom and its own image: a cell shorter than the limit.
    agl::Structure thin;
    thin.periodic = true;
    thin.cell = {agl::Vec3d{0.4, 0, 0}, agl::Vec3d{0, 5, 0}, agl::Vec3d{0, 0, 5}};
    thin.positions = {{0.1, 1, 1}};
    thin.elements = {1};
    pair = agl::findPairCloserThan(thin, 0.5);
    ASSERT_TRUE(pair.has_value());
    EXPECT_EQ(pair->i, 0u);
    EXPECT_EQ(pair->j, 0u);
    EXPECT_NEAR(pair->distance, 0.4, 1e-12);
    s.periodic = false;  // open: 0 and 2 are 4.8 apart
    EXPECT_FALSE(agl::findPairCloserThan(s, 0.5).has_value());
}

}  // namespace
