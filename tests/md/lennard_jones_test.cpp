// LennardJones (Verlet list over the cell-list neighbour list) against independent pair loops, finite
// differences, and its own list reuse.
#include <gtest/gtest.h>

#include "agl/md/lennard_jones.hpp"
#include "agl/md/lj_pair.hpp"
#include "md/lj_reference.hpp"

using namespace agl;
using namespace agl::md;
using mdtest::maxDiff;
using mdtest::maxNorm;

namespace {

// Relative agreement of different summation orders in double precision.
constexpr double kTol = 1e-10;

void expectMatches(const mdtest::LjResult& ref, double energy, const std::vector<Vec3d>& forces) {
    EXPECT_NEAR(energy, ref.energy, kTol * std::abs(ref.energy));
    ASSERT_EQ(forces.size(), ref.forces.size());
    EXPECT_LE(maxDiff(forces, ref.forces), kTol * maxNorm(ref.forces));
}

}  // namespace

TEST(LjPair, FormulaValues) {
    double v, fr;
    ljPair(std::pow(2.0, 1.0 / 3.0), 1.0, 1.0, v, fr);  // r = 2^(1/6): the minimum
    EXPECT_NEAR(v, -1.0, 1e-14);
    EXPECT_NEAR(fr, 0.0, 1e-13);
    ljPair(1.0, 1.0, 1.0, v, fr);  // r = σ: V = 0, −dV/dr = 24ε/σ
    EXPECT_DOUBLE_EQ(v, 0.0);
    EXPECT_DOUBLE_EQ(fr, 24.0);
}

// Random (perturbed fcc) configurations at the paper's densities, compared to the minimum-image loop.
TEST(LennardJones, MatchesMinimumImagePairLoop) {
    unsigned seed = 1;
    for (double rho : {0.9, 1.0, 1.1}) {
        for (double amp : {0.05, 0.25}) {
            Structure s = mdtest::perturbedFcc(4, rho, amp, seed++);
            LennardJones lj;
            std::vector<Vec3d> f;
            double e = lj.compute(s, f);
            SCOPED_TRACE("rho " + std::to_string(rho) + " amp " + std::to_string(amp));
            expectMatches(mdtest::minimumImageLj(s, 2.8), e, f);
        }
    }
}

// Unwrapped positions (atoms several cells away) must give the same physics.
TEST(LennardJones, UnwrappedPositions) {
    Structure s = mdtest::perturbedFcc(4, 1.0, 0.2, 7, /*scatterImages=*/true);
    LennardJones lj;
    std::vector<Vec3d> f;
    double e = lj.compute(s, f);
    expectMatches(mdtest::minimumImageLj(s, 2.8), e, f);
}

// Boxes smaller than 2 rc: an atom interacts with several images of the same atom and with its own images.
TEST(LennardJones, SmallCellsWithSelfImages) {
    for (int cells : {1, 2}) {
        Structure s = mdtest::perturbedFcc(cells, 1.0, 0.15, 11 + cells);
        LennardJones lj;
        std::vector<Vec3d> f;
        double e = lj.compute(s, f);
        SCOPED_TRACE("cells " + std::to_string(cells));
        expectMatches(mdtest::bruteForceLj(s, 2.8), e, f);
    }
}

TEST(LennardJones, NonUnitParameters) {
    Structure s = mdtest::perturbedFcc(3, 0.8, 0.1, 5);
    LjParameters p{0.7, 1.2, 3.0};
    LennardJones lj(p);
    std::vector<Vec3d> f;
    double e = lj.compute(s, f);
    expectMatches(mdtest::bruteForceLj(s, 3.0, 0.7, 1.2), e, f);
}

// Shift: E_shifted = E − n_pairs(r < rc)·V(rc), forces unchanged.
TEST(LennardJones, ShiftSubtractsCutoffEnergyPerPair) {
    Structure s = mdtest::perturbedFcc(4, 0.95, 0.2, 3);
    LennardJones plain, shifted(LjParameters{1.0, 1.0, 2.8, true});
    std::vector<Vec3d> f1, f2;
    double e1 = plain.compute(s, f1), e2 = shifted.compute(s, f2);
    long pairs = 0;
    const double L = s.cell[0].x;
    for (std::size_t i = 0; i < s.numAtoms(); ++i)
        for (std::size_t j = i + 1; j < s.numAtoms(); ++j) {
            Vec3d d = s.positions[j] - s.positions[i];
            for (int k = 0; k < 3; ++k) d[k] -= L * std::round(d[k] / L);
            if (norm(d) < 2.8) ++pairs;
        }
    const double vc = 4 * (std::pow(2.8, -12) - std::pow(2.8, -6));
    EXPECT_NEAR(e1 - e2, pairs * vc, 1e-10 * std::abs(e1));
    EXPECT_EQ(maxDiff(f1, f2), 0.0);
}

// F = −∇E by central differences. The unshifted energy jumps at rc, so components of atoms with a pair
// within 1e-3 of rc are skipped (counted, and most must be checked).
TEST(LennardJones, ForcesAreMinusEnergyGradient) {
    Structure s = mdtest::perturbedFcc(3, 1.0, 0.2, 21);
    LennardJones lj(LjParameters{}, 0.0);
    std::vector<Vec3d> f, scratch;
    lj.compute(s, f);
    const double h = 1e-5, L = s.cell[0].x;
    int checked = 0;
    for (std::size_t i = 0; i < s.numAtoms(); i += 7) {
        bool nearCutoff = false;
        for (std::size_t j = 0; j < s.numAtoms(); ++j) {
            Vec3d d = s.positions[j] - s.positions[i];
            for (int k = 0; k < 3; ++k) d[k] -= L * std::round(d[k] / L);
            if (j != i && std::abs(norm(d) - 2.8) < 1e-3) nearCutoff = true;
        }
        if (nearCutoff) continue;
        for (int k = 0; k < 3; ++k) {
            Structure p = s, m = s;
            p.positions[i][k] += h;
            m.positions[i][k] -= h;
            double fd = -(lj.compute(p, scratch) - lj.compute(m, scratch)) / (2 * h);
            EXPECT_NEAR(f[i][k], fd, 1e-6 * std::max(1.0, std::abs(fd))) << "atom " << i << " axis " << k;
            ++checked;
        }
    }
    EXPECT_GE(checked, 30);
}

// Along a trajectory-like sequence of small moves the list is reused (not rebuilt) and stays exact; a move
// beyond skin/2 triggers a rebuild.
TEST(VerletList, ReusedListStaysExactAndRebuildsWhenNeeded) {
    Structure s = mdtest::perturbedFcc(4, 0.9, 0.1, 31);
    LennardJones lj(LjParameters{}, 0.4);
    std::vector<Vec3d> f;
    lj.compute(s, f);
    EXPECT_EQ(lj.neighborList().numBuilds(), 1);
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int step = 0; step < 5; ++step) {
        // every atom moves < 0.19 in total: no rebuild needed (skin/2 = 0.2)
        for (auto& r : s.positions) r = r + Vec3d{0.02 * u(rng), 0.02 * u(rng), 0.02 * u(rng)};
        double e = lj.compute(s, f);
        expectMatches(mdtest::minimumImageLj(s, 2.8), e, f);
    }
    EXPECT_EQ(lj.neighborList().numBuilds(), 1);
    s.positions[17].x += 0.3;
    double e = lj.compute(s, f);
    EXPECT_EQ(lj.neighborList().numBuilds(), 2);
    expectMatches(mdtest::minimumImageLj(s, 2.8), e, f);
    // wrapping moves atoms by cell vectors: a rebuild, and still the same physics
    Structure w = mdtest::perturbedFcc(4, 0.9, 0.1, 31, true);
    double ew = lj.compute(w, f);
    expectMatches(mdtest::minimumImageLj(w, 2.8), ew, f);
}
