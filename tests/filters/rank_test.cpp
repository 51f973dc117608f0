// Rank exhaustion: columns [a0, a1, a2, a0, a0 + a1, 0] have rank 3. CUR and PC must stop after 3 picks
// with a message and never repeat an index; FPS stops once every unpicked column coincides with a pick.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "agl/error.hpp"
#include "agl/filters.hpp"
#include "filter_fixtures.hpp"

using namespace agl::filters;
using agl::test::Matrix;

namespace {

Matrix rankThree(std::uint64_t seed) {
    const Matrix a = agl::test::randomMatrix(50, 3, seed);
    Matrix X{50, 6, std::vector<double>(300)};
    for (std::size_t r = 0; r < 50; ++r) {
        X.at(r, 0) = a.at(r, 0);
        X.at(r, 1) = a.at(r, 1);
        X.at(r, 2) = a.at(r, 2);
        X.at(r, 3) = a.at(r, 0);
        X.at(r, 4) = a.at(r, 0) + a.at(r, 1);
        X.at(r, 5) = 0.0;
    }
    return X;
}

void expectDistinct(const std::vector<int>& picks) {
    EXPECT_EQ(std::set<int>(picks.begin(), picks.end()).size(), picks.size());
}

// The picks span the three directions: each of a0, a1, a2 is reachable from the picked columns.
void expectSpanFull(const std::vector<int>& picks) {
    std::set<int> s(picks.begin(), picks.end());
    EXPECT_TRUE(s.count(2)) << "a2 only appears in column 2";
    EXPECT_FALSE(s.count(5)) << "the zero column carries nothing";
}

}  // namespace

TEST(FilterRank, CurStopsAfterThreePicks) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        const Matrix X = rankThree(seed);
        for (int k : {1, 2}) {
            CurOptions o;
            o.k = k;
            const Selection svd = selectCurSvd(agl::test::columnMajor(X), X.rows, X.cols, 6, o);
            const Selection gram = selectCurGram(agl::test::naiveGram(X), X.cols, 6, o);
            for (const Selection* s : {&svd, &gram}) {
                EXPECT_EQ(s->picks.size(), 3u) << "seed " << seed << " k " << k;
                expectDistinct(s->picks);
                expectSpanFull(s->picks);
                EXPECT_NE(s->stopReason.find("rank exhausted"), std::string::npos) << s->stopReason;
                ASSERT_EQ(s->residualNorm2.size(), 3u);
                EXPECT_LT(s->residualNorm2.back(), 1e-12 * 150.0);
            }
        }
    }
}

TEST(FilterRank, PcStopsAfterThreePicks) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        const Matrix X = rankThree(seed);
        FilterOptions o;
        o.method = Method::Pc;
        o.n = 6;
        for (bool isSigned : {false, true}) {
            o.signedPc = isSigned;
            const FilterRun run = runFilter(X.v.data(), X.rows, X.cols, o);
            EXPECT_EQ(run.selection.picks.size(), 3u) << "seed " << seed;
            expectDistinct(run.selection.picks);
            expectSpanFull(run.selection.picks);
            EXPECT_NE(run.selection.stopReason.find("rank exhausted"), std::string::npos);
            EXPECT_EQ(run.constantColumns, std::vector<int>{5});
        }
    }
}

TEST(FilterRank, PcWithUserStartOnDuplicateStillStops) {
    const Matrix X = rankThree(4);
    FilterOptions o;
    o.method = Method::Pc;
    o.n = 6;
    o.start = 3;  // the duplicate of column 0: column 0 must then never be picked
    const FilterRun run = runFilter(X.v.data(), X.rows, X.cols, o);
    EXPECT_EQ(run.selection.picks.front(), 3);
    EXPECT_EQ(run.selection.picks.size(), 3u);
    expectDistinct(run.selection.picks);
    EXPECT_EQ(std::count(run.selection.picks.begin(), run.selection.picks.end(), 0), 0);
}

TEST(FilterRank, PcRejectsConstantStart) {
    const Matrix X = rankThree(5);
    FilterOptions o;
    o.method = Method::Pc;
    o.n = 2;
    o.start = 5;
    EXPECT_THROW(runFilter(X.v.data(), X.rows, X.cols, o), agl::Error);
}

TEST(FilterRank, FpsStopsWhenOnlyDuplicatesRemain) {
    const Matrix X = rankThree(6);
    const Selection s = selectFps(agl::test::naiveGram(X), X.cols, 6, 0);
    // column 3 equals column 0: it is the only one never reached
    EXPECT_EQ(s.picks.size(), 5u);
    expectDistinct(s.picks);
    EXPECT_EQ(std::count(s.picks.begin(), s.picks.end(), 3), 0);
    EXPECT_FALSE(s.stopReason.empty());
}

TEST(FilterRank, AllZeroMatrixSelectsNothing) {
    Matrix X{4, 3, std::vector<double>(12, 0.0)};
    const Selection cur = selectCurSvd(agl::test::columnMajor(X), 4, 3, 2, CurOptions{});
    EXPECT_TRUE(cur.picks.empty());
    EXPECT_FALSE(cur.stopReason.empty());
    EXPECT_TRUE(selectPc(agl::test::naiveGram(X), 3, 2, PcOptions{}).picks.empty());
}
