// GPU neighbour list (cuda/neighbor_list.cu) against the CPU cell lists (host/core/neighbor_list.cpp):
// the same pairs as SETS (order differs), deltas and distances equal to 1e-12 (both are r_j + shift − r_i
// in double; only the association order of the sum may differ).
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "agl/gpu_features.hpp"
#include "agl/neighbor_list.hpp"
#include "gpu_test_support.hpp"

namespace {

using gputest::Rng;

struct Pair {
    std::uint32_t j;
    agl::Vec3d d;
    double r;
};

std::vector<Pair> pairsOf(const agl::NeighborList& list, std::size_t i) {
    std::vector<Pair> p;
    for (std::uint32_t k = list.offsets[i]; k < list.offsets[i + 1]; ++k)
        p.push_back({list.index[k], list.delta[k], list.distance[k]});
    std::sort(p.begin(), p.end(), [](const Pair& a, const Pair& b) {
        return std::tie(a.j, a.d.x, a.d.y, a.d.z) < std::tie(b.j, b.d.x, b.d.y, b.d.z);
    });
    return p;
}

// Returns the number of pairs compared.
std::size_t expectSameSets(const agl::NeighborList& cpu, const agl::NeighborList& gpu, const std::string& what) {
    EXPECT_EQ(gpu.numAtoms(), cpu.numAtoms()) << what;
    EXPECT_EQ(gpu.numPairs(), cpu.numPairs()) << what;
    if (gpu.numAtoms() != cpu.numAtoms()) return 0;
    std::size_t compared = 0;
    for (std::size_t i = 0; i < cpu.numAtoms(); ++i) {
        const auto a = pairsOf(cpu, i), b = pairsOf(gpu, i);
        EXPECT_EQ(a.size(), b.size()) << what << " atom " << i;
        if (a.size() != b.size()) continue;
        for (std::size_t k = 0; k < a.size(); ++k) {
            EXPECT_EQ(a[k].j, b[k].j) << what << " atom " << i;
            EXPECT_NEAR(a[k].d.x, b[k].d.x, 1e-12) << what << " atom " << i;
            EXPECT_NEAR(a[k].d.y, b[k].d.y, 1e-12) << what << " atom " << i;
            EXPECT_NEAR(a[k].d.z, b[k].d.z, 1e-12) << what << " atom " << i;
            EXPECT_NEAR(a[k].r, b[k].r, 1e-12) << what << " atom " << i;
            EXPECT_LT(b[k].r, gpu.cutoff);
            ++compared;
        }
    }
    return compared;
}

std::size_t compareAll(const std::vector<agl::Structure>& structures, double cutoff) {
    std::vector<const agl::Structure*> ptrs;
    for (const auto& s : structures) ptrs.push_back(&s);
    const auto gpu = agl::gpu::buildNeighborLists(ptrs, cutoff);
    EXPECT_EQ(gpu.size(), structures.size());
    std::size_t compared = 0;
    for (std::size_t s = 0; s < std::min(gpu.size(), structures.size()); ++s)
        compared += expectSameSets(agl::buildNeighborList(structures[s], cutoff), gpu[s],
                                   "structure " + std::to_string(s));
    return compared;
}

TEST(GpuNeighborList, TinyTriclinicCellsNeedSelfImages) {
    AGL_REQUIRE_GPU();
    Rng rng(101);
    std::vector<agl::Structure> structures;
    for (int atoms : {1, 2, 3, 5}) structures.push_back(
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 2.4), true, atoms, {1, 8}, 0.8));
    const std::size_t compared = compareAll(structures, 6.0);
    EXPECT_GT(compared, 1000u);  // 1 atom in a 2.4 cell with rc 6 alone has ~60 self images
}

TEST(GpuNeighborList, LargeTriclinicCell) {
    AGL_REQUIRE_GPU();
    Rng rng(102);
    std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 13.0), true, 300, {13, 29}, 1.5)};
    EXPECT_GT(compareAll(structures, 5.0), 300u * 10);
}

TEST(GpuNeighborList, ClustersHaveNoImages) {
    AGL_REQUIRE_GPU();
    Rng rng(103);
    std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::cubicCell(8.0), false, 60, {6}, 1.0),
        gputest::randomStructure(rng, gputest::cubicCell(3.0), false, 1, {6}, 1.0)};
    EXPECT_GT(compareAll(structures, 4.0), 60u * 5);
}

TEST(GpuNeighborList, MixedChunkIsSplitPerStructure) {
    AGL_REQUIRE_GPU();
    Rng rng(104);
    std::vector<agl::Structure> structures;
    for (int k = 0; k < 6; ++k) {
        const bool periodic = k % 2 == 0;
        structures.push_back(gputest::randomStructure(
            rng, periodic ? gputest::triclinicCell(rng, 4.0 + 2.0 * k) : gputest::cubicCell(6.0), periodic,
            5 + 13 * k, {1, 8}, 0.9));
    }
    structures.emplace_back();  // an empty structure in the middle of a chunk
    structures.push_back(gputest::randomStructure(rng, gputest::cubicCell(5.0), true, 40, {8}, 1.0));
    EXPECT_GT(compareAll(structures, 3.5), 1000u);
}

}  // namespace
