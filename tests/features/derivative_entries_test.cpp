// The per-atom entry layout and the neighbour-list force gather of agl/derivative_entries.hpp (what the GPU
// threads run) on the CPU: the entries equal the CPU engine's (count and order, from fp64 and fp32 lists),
// and the gathered forces equal the CPU chain rule — whole, and as the 32 lane parts a GPU warp sums — with
// two elements of different cutoffs, so that a pair can be an entry of one centre and not of the other, and
// in a cell smaller than the cutoff (images of the same atom). BinGrid::repeatsAtoms (agl/bin_grid.hpp),
// which lets a list skip the scan for an atom's earlier images, is checked against the lists themselves.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

#include "agl/bin_grid.hpp"
#include "agl/derivative_entries.hpp"
#include "agl/features.hpp"
#include "agl/hdnnp/force_terms.hpp"
#include "agl/neighbor_list.hpp"
#include "features/test_structures.hpp"
#include "hdnnp/hdnnp_support.hpp"

namespace {

// The sum of 32 lane parts in the order of the GPU's warpSum (cuda/warp.cuh, butterfly), as lane 0 gets it.
agl::Vec3d warpOrderSum(std::vector<agl::Vec3d> part) {
    for (std::size_t offset = 16; offset > 0; offset /= 2) {
        std::vector<agl::Vec3d> next(part.size());
        for (std::size_t lane = 0; lane < part.size(); ++lane) next[lane] = part[lane] + part[lane ^ offset];
        part = next;
    }
    return part[0];
}

// Whether some list holds an atom more than once.
bool holdsAnAtomTwice(const agl::NeighborList& list) {
    for (std::size_t i = 0; i < list.numAtoms(); ++i) {
        const auto begin = list.index.begin();
        const std::set<std::uint32_t> atoms(begin + list.offsets[i], begin + list.offsets[i + 1]);
        if (atoms.size() < list.offsets[i + 1] - list.offsets[i]) return true;
    }
    return false;
}

void checkStructure(const agl::Structure& s, const std::string& what, bool expectRepeats) {
    const agl::NnSettings settings = hdnnptest::twoCutoffSettings();  // H 3.0, O 4.0
    const agl::FeatureEngine engine(settings);
    const agl::StructureFeatures f = engine.compute(s, true, 1);
    const agl::NeighborList list = agl::buildNeighborList(s, engine.maxCutoff());
    const bool repeats = agl::makeBinGrid(s, engine.maxCutoff()).repeatsAtoms;
    ASSERT_EQ(repeats, expectRepeats) << what;
    EXPECT_EQ(holdsAnAtomTwice(list), expectRepeats) << what;
    const std::size_t n = s.numAtoms();
    std::vector<double> cutoffOfAtom(n);
    for (std::size_t i = 0; i < n; ++i) cutoffOfAtom[i] = engine.groupsOf(s.elements[i])->maxCutoff;
    EXPECT_EQ(std::set<double>(cutoffOfAtom.begin(), cutoffOfAtom.end()).size(), 2u) << what << ": both elements";

    // Entries: the same count and order as the CPU engine; in fp32 too (the GPU's single-precision list: each
    // distance rounded once from double, the cutoff in float; no pair here lies within a float step of it).
    const std::vector<float> r32(list.distance.begin(), list.distance.end());
    std::vector<std::uint32_t> entryOfPair(list.numPairs()), entryOfPair32(list.numPairs());
    std::size_t entries = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        const std::uint32_t count = agl::countEntries(i, list.offsets.data(), list.index.data(),
                                                      list.distance.data(), cutoffOfAtom[i], repeats);
        ASSERT_EQ(count, f.derivativeOffsets[i + 1] - f.derivativeOffsets[i]) << what << " atom " << i;
        std::vector<std::uint32_t> entryAtom(count);
        agl::fillEntries(i, list.offsets.data(), list.index.data(), list.distance.data(), cutoffOfAtom[i], repeats,
                         entryAtom.data(), entryOfPair.data());
        for (std::uint32_t e = 0; e < count; ++e)
            EXPECT_EQ(entryAtom[e], f.derivativeAtom[f.derivativeOffsets[i] + e]) << what << " atom " << i;
        const float cut32 = float(cutoffOfAtom[i]);
        ASSERT_EQ(agl::countEntries(i, list.offsets.data(), list.index.data(), r32.data(), cut32, repeats), count)
            << what << " atom " << i << ", fp32";
        std::vector<std::uint32_t> entryAtom32(count);
        agl::fillEntries(i, list.offsets.data(), list.index.data(), r32.data(), cut32, repeats, entryAtom32.data(),
                         entryOfPair32.data());
        EXPECT_EQ(entryAtom32, entryAtom) << what << " atom " << i << ", fp32";
        for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p) {
            ASSERT_LT(entryOfPair[p], count);
            if (entryOfPair[p] > 0) {
                EXPECT_EQ(entryAtom[entryOfPair[p]], list.index[p]);
            }
        }
        entries += count;
    }
    EXPECT_GT(entries, 3 * n) << what;
    EXPECT_EQ(entryOfPair32, entryOfPair) << what << ", fp32";

    // Forces for arbitrary ∂E/∂G: the neighbour-list gather against the CPU chain rule.
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<double> dEdG(f.values.size());
    for (double& g : dEdG) g = u(rng);
    // Reference: the CPU chain rule's loop (every entry's term added to its target, entry order).
    std::vector<agl::Vec3d> reference(n, agl::Vec3d{0.0, 0.0, 0.0});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t e = f.derivativeOffsets[i]; e < f.derivativeOffsets[i + 1]; ++e)
            reference[f.derivativeAtom[e]] =
                reference[f.derivativeAtom[e]] +
                agl::entryForce(dEdG.data() + f.valueOffsets[i], f.dGdr(i, e), std::size_t(f.numFunctions[i]));
    double scale = 0.0;
    for (const agl::Vec3d& F : reference) scale = std::max(scale, agl::norm(F));
    ASSERT_GT(scale, 1e-3);
    const auto part = [&](std::uint32_t k, std::uint32_t lane, std::uint32_t lanes) {
        return agl::gatherForcePart(k, lane, lanes, list.offsets.data(), list.index.data(), list.distance.data(),
                                    cutoffOfAtom.data(), repeats, f.derivativeOffsets.data(), f.derivativeAtom.data(),
                                    f.derivativeStart.data(), f.valueOffsets.data(), f.numFunctions.data(),
                                    dEdG.data(), f.derivatives.data());
    };
    for (std::uint32_t k = 0; k < n; ++k) {
        EXPECT_LT(agl::norm(part(k, 0, 1) - reference[k]), 1e-12 * scale) << what << " atom " << k;
        std::vector<agl::Vec3d> lanes(32);
        for (std::uint32_t lane = 0; lane < 32; ++lane) lanes[lane] = part(k, lane, 32);
        EXPECT_LT(agl::norm(warpOrderSum(lanes) - reference[k]), 1e-12 * scale) << what << " atom " << k << ", warp";
    }
}

TEST(DerivativeEntries, TriclinicCellTwoCutoffs) {
    testdata::Rng rng(21);
    checkStructure(testdata::periodic(rng, testdata::triclinic(rng, 7.0), 40, {1, 8}, 0.9), "triclinic", true);
}

TEST(DerivativeEntries, CellWiderThanTwiceTheCutoff) {
    testdata::Rng rng(24);
    checkStructure(testdata::periodic(rng, testdata::triclinic(rng, 12.0), 150, {1, 8}, 0.9), "wide cell", false);
}

TEST(DerivativeEntries, CellSmallerThanTheCutoff) {
    testdata::Rng rng(22);
    checkStructure(testdata::periodic(rng, testdata::triclinic(rng, 3.2), 5, {1, 8}, 0.9), "small cell", true);
}

TEST(DerivativeEntries, Cluster) {
    testdata::Rng rng(23);
    checkStructure(testdata::cluster(rng, 5.0, 16, {8, 1}, 0.9), "cluster", false);
}

// The flag against the lists over cells from 0.4 to 3 times the cutoff: a list that holds an
// atom twice always comes with the flag (the scan it enables is needed), and both cases occur.
TEST(DerivativeEntries, ListsRepeatAtomsOnlyWhereTheCellIsThin) {
    testdata::Rng rng(25);
    const double cutoff = 4.0;
    int flagged = 0, unflagged = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const double edge = testdata::uniform(rng, 1.5, 12.0);
        const agl::Structure s = testdata::periodic(rng, testdata::triclinic(rng, edge), 6, {1}, 0.3);
        const bool repeats = agl::makeBinGrid(s, cutoff).repeatsAtoms;
        if (holdsAnAtomTwice(agl::buildNeighborList(s, cutoff))) {
            EXPECT_TRUE(repeats) << "edge " << edge;
        }
        (repeats ? flagged : unflagged) += 1;
    }
    EXPECT_GT(flagged, 5);
    EXPECT_GT(unflagged, 5);
}

}  // namespace
