// SkinNeighborList: across small moves the pairs inside the cutoff are those of a fresh list (deltas to
// rounding), a large move rebuilds, and the list does not depend on when it was built (bit for bit: what
// makes a resumed MD run give the same forces).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <tuple>

#include "agl/error.hpp"
#include "agl/neighbor_list.hpp"
#include "agl/skin_neighbor_list.hpp"
#include "agl/skin_trigger.hpp"
#include "features/test_structures.hpp"

namespace {

using Key = std::tuple<std::uint32_t, std::uint32_t, long, long, long>;  // i, j, delta rounded to 1e-6

// The pairs of `list` with distance < cutoff, keyed by atoms and (rounded) delta, with their exact deltas.
std::map<Key, agl::Vec3d> pairsWithin(const agl::NeighborList& list, double cutoff) {
    std::map<Key, agl::Vec3d> out;
    for (std::uint32_t i = 0; i + 1 < list.offsets.size(); ++i)
        for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p) {
            if (!(list.distance[p] < cutoff)) continue;
            const agl::Vec3d& d = list.delta[p];
            out[{i, list.index[p], std::lround(d.x * 1e6), std::lround(d.y * 1e6), std::lround(d.z * 1e6)}] = d;
        }
    return out;
}

void move(agl::Structure& s, std::mt19937_64& rng, double step) {
    std::uniform_real_distribution<double> u(-step, step);
    for (auto& r : s.positions) r = r + agl::Vec3d{u(rng), u(rng), u(rng)};
}

void checkAcrossMoves(agl::Structure s, double cutoff, const std::string& what) {
    const double skin = 0.4;
    agl::SkinNeighborList skinList(cutoff, skin);
    std::mt19937_64 rng(3);
    std::size_t compared = 0;
    for (int step = 0; step < 6; ++step) {
        const agl::NeighborList& list = skinList.update(s);
        EXPECT_DOUBLE_EQ(list.cutoff, cutoff + skin);
        const auto got = pairsWithin(list, cutoff);
        const auto want = pairsWithin(agl::buildNeighborList(s, cutoff), cutoff);
        ASSERT_EQ(got.size(), want.size()) << what << " step " << step;
        for (const auto& [key, d] : want) {
            const auto it = got.find(key);
            ASSERT_NE(it, got.end()) << what << " step " << step;
            EXPECT_LT(agl::norm(it->second - d), 1e-12) << what;
            ++compared;
        }
        move(s, rng, 0.015);  // ≤ 0.015·√3 per move: 6 moves stay below skin/2 = 0.2, so no rebuild
    }
    EXPECT_EQ(skinList.numBuilds(), 1) << what;
    EXPECT_GT(compared, 100u) << what;
    // Built late or built early: the same list, bit for bit.
    agl::SkinNeighborList late(cutoff, skin);
    const agl::NeighborList& a = skinList.update(s);
    const agl::NeighborList& b = late.update(s);
    EXPECT_EQ(skinList.numBuilds(), 1);
    const auto pa = pairsWithin(a, cutoff), pb = pairsWithin(b, cutoff);
    ASSERT_EQ(pa.size(), pb.size());
    // Order of the pairs inside the cutoff, per atom, and their values.
    for (std::uint32_t i = 0; i + 1 < a.offsets.size(); ++i) {
        std::vector<std::pair<std::uint32_t, agl::Vec3d>> x, y;
        for (std::uint32_t p = a.offsets[i]; p < a.offsets[i + 1]; ++p)
            if (a.distance[p] < cutoff) x.push_back({a.index[p], a.delta[p]});
        for (std::uint32_t p = b.offsets[i]; p < b.offsets[i + 1]; ++p)
            if (b.distance[p] < cutoff) y.push_back({b.index[p], b.delta[p]});
        ASSERT_EQ(x.size(), y.size()) << what << " atom " << i;
        for (std::size_t k = 0; k < x.size(); ++k) {
            EXPECT_EQ(x[k].first, y[k].first) << what << " atom " << i;
            EXPECT_EQ(x[k].second.x, y[k].second.x) << what << " atom " << i;
            EXPECT_EQ(x[k].second.y, y[k].second.y);
            EXPECT_EQ(x[k].second.z, y[k].second.z);
        }
    }
    // A large move rebuilds.
    s.positions[0] = s.positions[0] + agl::Vec3d{0.5, 0.0, 0.0};
    skinList.update(s);
    EXPECT_EQ(skinList.numBuilds(), 2) << what;
}

TEST(SkinNeighborList, TriclinicCell) {
    testdata::Rng rng(31);
    checkAcrossMoves(testdata::periodic(rng, testdata::triclinic(rng, 8.0), 60, {1, 8}, 0.9), 3.5, "triclinic");
}

TEST(SkinNeighborList, CellSmallerThanTheCutoff) {
    testdata::Rng rng(32);
    checkAcrossMoves(testdata::periodic(rng, testdata::triclinic(rng, 3.0), 4, {1, 8}, 0.9), 4.0, "small cell");
}

TEST(SkinNeighborList, Cluster) {
    testdata::Rng rng(33);
    checkAcrossMoves(testdata::cluster(rng, 6.0, 30, {8, 1}, 0.9), 3.0, "cluster");
}

// The rule itself: a move of just under skin/2 keeps the list, just over rebuilds; so do a new cell, a
// change of periodicity or atom count; skin 0 rebuilds every time.
TEST(SkinTrigger, RebuildsExactlyWhenTheSkinRuleSaysSo) {
    testdata::Rng rng(34);
    agl::Structure s = testdata::periodic(rng, testdata::triclinic(rng, 6.0), 10, {1, 8}, 0.9);
    agl::SkinTrigger trigger(0.4);
    EXPECT_TRUE(trigger.needsRebuild(s));
    trigger.recordBuild(s);
    EXPECT_FALSE(trigger.needsRebuild(s));
    agl::Structure moved = s;
    moved.positions[3].y += 0.1999;
    EXPECT_FALSE(trigger.needsRebuild(moved));
    moved.positions[3].y += 0.0002;
    EXPECT_TRUE(trigger.needsRebuild(moved));
    agl::Structure strained = s;
    strained.cell[2].z *= 1.0 + 1e-12;
    EXPECT_TRUE(trigger.needsRebuild(strained));
    agl::Structure open = s;
    open.periodic = false;
    EXPECT_TRUE(trigger.needsRebuild(open));
    agl::Structure fewer = s;
    fewer.positions.pop_back();
    fewer.elements.pop_back();
    EXPECT_TRUE(trigger.needsRebuild(fewer));
    EXPECT_EQ(trigger.numBuilds(), 1);

    agl::SkinTrigger always(0.0);
    always.recordBuild(s);
    EXPECT_TRUE(always.needsRebuild(s));
    EXPECT_THROW(agl::SkinTrigger(-0.1), agl::Error);
}

}  // namespace
