// GPU neighbour list (cuda/neighbor_list.cu) against the CPU cell lists (host/core/neighbor_list.cpp):
// the same pairs as SETS with deltas and distances equal to 1e-12, and — since both run agl/bin_grid.hpp's
// search over the same grid with explicitly rounded arithmetic — the very same lists, bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "../../cuda/structure_chunk.cuh"
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

// No GPU needed: the kernels' loop (thread t → atom visitOrder[t] → forEachNeighbor over its structure's
// view, neighbour j reported as the chunk index atomBegin[s] + j) run on the CPU over the host plan of a
// mixed chunk gives, structure by structure, exactly the CPU neighbour list. The plan is made in one that
// held another chunk before (other structures, another cutoff), as uploadChunk reuses its plan every step.
TEST(GpuNeighborList, ChunkPlanSearchOnTheCpuEqualsCpuLists) {
    Rng rng(106);
    std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 2.4), true, 2, {1, 8}, 0.8),
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 11.0), true, 150, {13, 29}, 1.4)};
    structures.emplace_back();  // an empty structure inside the chunk
    structures.push_back(gputest::randomStructure(rng, gputest::cubicCell(8.0), false, 50, {6}, 1.0));
    std::vector<const agl::Structure*> ptrs;
    for (const auto& s : structures) ptrs.push_back(&s);
    const double cutoff = 4.5;
    agl::gpu::ChunkPlan plan;
    agl::gpu::planChunk({&structures[1], &structures[3], &structures[1], &structures[0]}, 2.0 * cutoff, plan);
    agl::gpu::planChunk(ptrs, cutoff, plan);
    const agl::gpu::ChunkPlan fresh = agl::gpu::planChunk(ptrs, cutoff);  // nothing left over, nothing grows
    EXPECT_TRUE(plan.element == fresh.element && plan.structureOf == fresh.structureOf &&
                plan.atomBegin == fresh.atomBegin && plan.binOf == fresh.binOf && plan.visitOrder == fresh.visitOrder &&
                plan.binStart == fresh.binStart && plan.binAtoms == fresh.binAtoms &&
                plan.binStartOffset == fresh.binStartOffset && plan.positions.size() == fresh.positions.size() &&
                plan.grids.size() == fresh.grids.size());
    for (std::size_t a = 0; a < std::min(plan.positions.size(), fresh.positions.size()); ++a)
        EXPECT_TRUE(plan.positions[a].x == fresh.positions[a].x && plan.positions[a].y == fresh.positions[a].y &&
                    plan.positions[a].z == fresh.positions[a].z)
            << "position " << a;
    // Every geometry field of every grid, the repeat flag included (the kernels read it from the uploaded
    // view): the earlier chunk had structure 1 at twice the cutoff, where its images repeat; at 4.5 they do not.
    for (std::size_t s = 0; s < std::min(plan.grids.size(), fresh.grids.size()); ++s) {
        const agl::BinGridView &g = plan.grids[s], &f = fresh.grids[s];
        EXPECT_TRUE(g.periodic == f.periodic && g.repeatsAtoms == f.repeatsAtoms) << "grid " << s;
        for (int d = 0; d < 3; ++d)
            EXPECT_TRUE(g.bins[d] == f.bins[d] && g.reach[d] == f.reach[d] && g.cell[d].x == f.cell[d].x &&
                        g.cell[d].y == f.cell[d].y && g.cell[d].z == f.cell[d].z)
                << "grid " << s << " axis " << d;
    }
    ASSERT_EQ(fresh.grids.size(), 4u);
    EXPECT_EQ(fresh.grids[0].repeatsAtoms, 1) << "the 2.4 cell holds several images of an atom within 4.5";
    EXPECT_EQ(fresh.grids[1].repeatsAtoms, 0);
    const auto views = plan.viewsInto(plan.positions.data(), plan.binStart.data(), plan.binAtoms.data(),
                                      plan.binOf.data());
    const std::size_t n = plan.element.size();
    ASSERT_EQ(plan.visitOrder.size(), n);
    std::vector<std::vector<std::uint32_t>> found(n);
    std::vector<std::vector<agl::Vec3d>> deltas(n);
    std::vector<int> visited(n, 0);
    for (std::size_t t = 0; t < n; ++t) {
        const int i = plan.visitOrder[t], s = plan.structureOf[std::size_t(i)];
        ++visited[std::size_t(i)];
        const auto base = std::uint32_t(plan.atomBegin[std::size_t(s)]);
        agl::forEachNeighbor(views[std::size_t(s)], std::uint32_t(i) - base, cutoff * cutoff,
                             [&](std::uint32_t j, const agl::Vec3d& d, double) {
                                 found[std::size_t(i)].push_back(base + j);
                                 deltas[std::size_t(i)].push_back(d);
                             });
    }
    for (int v : visited) EXPECT_EQ(v, 1) << "every chunk atom is one thread's centre atom";
    std::size_t compared = 0;
    for (std::size_t s = 0; s < structures.size(); ++s) {
        const agl::NeighborList cpu = agl::buildNeighborList(structures[s], cutoff);
        for (std::size_t a = 0; a < structures[s].numAtoms(); ++a) {
            const std::size_t i = std::size_t(plan.atomBegin[s]) + a;
            ASSERT_EQ(found[i].size(), cpu.offsets[a + 1] - cpu.offsets[a]) << "structure " << s << " atom " << a;
            for (std::size_t k = 0; k < found[i].size(); ++k, ++compared) {
                const std::size_t p = cpu.offsets[a] + k;
                EXPECT_EQ(found[i][k], std::uint32_t(plan.atomBegin[s]) + cpu.index[p]);
                EXPECT_EQ(deltas[i][k].x, cpu.delta[p].x);
                EXPECT_EQ(deltas[i][k].y, cpu.delta[p].y);
                EXPECT_EQ(deltas[i][k].z, cpu.delta[p].z);
            }
        }
    }
    EXPECT_GT(compared, 3000u);
}

// Same offsets, indices, deltas and distances in the same order: one search, two devices.
TEST(GpuNeighborList, SameListAsCpuBitForBit) {
    AGL_REQUIRE_GPU();
    Rng rng(105);
    std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 2.6), true, 3, {1, 8}, 0.8),
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 14.0), true, 400, {13, 29}, 1.4),
        gputest::randomStructure(rng, gputest::cubicCell(9.0), false, 80, {6}, 1.0)};
    std::vector<const agl::Structure*> ptrs;
    for (const auto& s : structures) ptrs.push_back(&s);
    const double cutoff = 5.5;
    const auto gpu = agl::gpu::buildNeighborLists(ptrs, cutoff);
    ASSERT_EQ(gpu.size(), structures.size());
    for (std::size_t s = 0; s < structures.size(); ++s) {
        const agl::NeighborList cpu = agl::buildNeighborList(structures[s], cutoff);
        EXPECT_GT(cpu.numPairs(), 0u);
        EXPECT_EQ(gpu[s].offsets, cpu.offsets) << "structure " << s;
        EXPECT_EQ(gpu[s].index, cpu.index) << "structure " << s;
        EXPECT_EQ(gpu[s].distance, cpu.distance) << "structure " << s;
        ASSERT_EQ(gpu[s].delta.size(), cpu.delta.size());
        std::size_t differ = 0;
        for (std::size_t p = 0; p < cpu.delta.size(); ++p)
            differ += gpu[s].delta[p].x != cpu.delta[p].x || gpu[s].delta[p].y != cpu.delta[p].y ||
                      gpu[s].delta[p].z != cpu.delta[p].z;
        EXPECT_EQ(differ, 0u) << "structure " << s << ": deltas not bit-identical";
    }
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
