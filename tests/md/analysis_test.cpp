// g(r), MSD and the Einstein-relation fit (include/agl/md/analysis.hpp) against cases with known answers:
// an ideal gas (g = 1), fcc shells (radii and coordination numbers 12, 6, 24, 12, 24, 8), a brute-force
// all-images pair count in a triclinic cell, ballistic motion across periodic boundaries (MSD = v²t² exactly),
// a Gaussian random walk (D = σ²/2Δt) and exact straight lines for the fit.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "agl/error.hpp"
#include "agl/md/analysis.hpp"
#include "agl/md/lattice.hpp"

using namespace agl;
using namespace agl::md;

namespace {

constexpr double kPi = 3.14159265358979323846;

Structure emptyFrame(const std::array<Vec3d, 3>& cell, std::size_t n, int element) {
    Structure s;
    s.periodic = true;
    s.cell = cell;
    s.positions.assign(n, Vec3d{0, 0, 0});
    s.elements.assign(n, element);
    s.forces.assign(n, Vec3d{0, 0, 0});
    s.atomCharges.assign(n, 0.0);
    return s;
}

Vec3d fromFractional(const std::array<Vec3d, 3>& cell, Vec3d f) { return f.x * cell[0] + f.y * cell[1] + f.z * cell[2]; }

// Uniformly random atoms (an ideal gas); the second half gets element 2 when `twoElements`.
Structure idealGas(const std::array<Vec3d, 3>& cell, std::size_t n, std::mt19937_64& rng, bool twoElements) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Structure s = emptyFrame(cell, n, 1);
    for (std::size_t i = 0; i < n; ++i) {
        s.positions[i] = fromFractional(cell, Vec3d{u(rng), u(rng), u(rng)});
        if (twoElements && i >= n / 2) s.elements[i] = 2;
    }
    return s;
}

// A sheared cell whose smallest perpendicular width is along c (c_z = 0.7 L).
std::array<Vec3d, 3> triclinicCell(double L) {
    return {Vec3d{L, 0, 0}, Vec3d{0.35 * L, 0.93 * L, 0}, Vec3d{-0.22 * L, 0.3 * L, 0.7 * L}};
}

// fcc in its rhombohedral primitive cell a/2 (0,1,1), (1,0,1), (1,1,0), replicated n times along each vector:
// a triclinic (non-orthogonal) cell with the same neighbour shells as the cubic crystal.
Structure fccPrimitive(int n, double a) {
    const std::array<Vec3d, 3> prim = {Vec3d{0, a / 2, a / 2}, Vec3d{a / 2, 0, a / 2}, Vec3d{a / 2, a / 2, 0}};
    Structure s = emptyFrame({double(n) * prim[0], double(n) * prim[1], double(n) * prim[2]}, 0, 13);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            for (int k = 0; k < n; ++k) s.positions.push_back(double(i) * prim[0] + double(j) * prim[1] + double(k) * prim[2]);
    s.elements.assign(s.positions.size(), 13);
    s.forces.assign(s.positions.size(), Vec3d{0, 0, 0});
    s.atomCharges.assign(s.positions.size(), 0.0);
    wrapPositions(s);
    return s;
}

// fcc shells in units of the cubic lattice constant: radius² and multiplicity.
struct Shell {
    double r2;
    int count;
};
const Shell kFccShells[] = {{0.5, 12}, {1.0, 6}, {1.5, 24}, {2.0, 12}, {2.5, 24}, {3.0, 8}};

// Checks that g(r) of a perfect fcc crystal (lattice constant a) has its weight only at the shell radii and
// that the running coordination number between shells is 12, 18, 42, 54, 78, 86.
void expectFccShells(const Rdf& rdf, double a, double rMax, double numAtoms) {
    ASSERT_EQ(rdf.curves.size(), 1u);
    const RdfCurve& c = rdf.curves[0];
    const double dr = rdf.binWidth, rho = rdf.meanDensity;
    int cumulative = 0, checked = 0;
    for (std::size_t s = 0; s + 1 < std::size(kFccShells); ++s) {
        const double r = a * std::sqrt(kFccShells[s].r2), next = a * std::sqrt(kFccShells[s + 1].r2);
        if (next >= rMax) break;
        cumulative += kFccShells[s].count;
        // g normalised back to counts, g · (N − 1)/V · 4π/3 (r_out³ − r_in³), over the bins around the shell
        // (a distance computed at a bin edge may land on either side) gives exactly the multiplicity.
        const auto k = static_cast<std::size_t>(r / dr);
        const double partnerDensity = rho * (numAtoms - 1.0) / numAtoms;
        double shellCount = 0.0;
        for (std::size_t q = k - 1; q <= k + 1; ++q) {
            const double rIn = double(q) * dr, rOut = rIn + dr;
            shellCount += c.g[q] * partnerDensity * 4.0 * kPi / 3.0 * (rOut * rOut * rOut - rIn * rIn * rIn);
        }
        EXPECT_NEAR(shellCount, kFccShells[s].count, 1e-9) << "shell at r = " << r;
        const double expectedCoordination = cumulative;
        // Between this shell and the next: nothing, and the running coordination number is the cumulative count.
        const auto mid = static_cast<std::size_t>(0.5 * (r + next) / dr);
        EXPECT_NEAR(c.coordination[mid], expectedCoordination, 1e-12) << "after the shell at r = " << r;
        EXPECT_DOUBLE_EQ(c.g[mid], 0.0);
        // The peak: the largest g between the midpoints around the shell is at the shell's bin (± 1 for a
        // shell that falls on a bin edge).
        const double previous = a * std::sqrt(s ? kFccShells[s - 1].r2 : 0.0);
        std::size_t peak = k;
        for (std::size_t q = static_cast<std::size_t>(0.5 * (r + previous) / dr); q <= mid; ++q)
            if (c.g[q] > c.g[peak]) peak = q;
        EXPECT_LE(std::abs(double(peak) - double(k)), 1.0) << "shell at r = " << r << ": peak at " << rdf.r[peak];
        EXPECT_GT(c.g[peak], 1.0);
        ++checked;
    }
    EXPECT_GE(checked, 4);  // at least the shells with 12, 6, 24 and 12 neighbours
    // No pair below the nearest-neighbour distance.
    EXPECT_DOUBLE_EQ(c.coordination[static_cast<std::size_t>(0.95 * a / std::sqrt(2.0) / dr)], 0.0);
}

// Pair counts within rMax over all images −2..2 of a periodic frame: the independent reference for the cell
// lists (cumulative, per bin, centre element zA, partner element zB; 0 = any).
std::vector<double> bruteForceCumulative(const Structure& s, double dr, std::size_t numBins, int zA, int zB) {
    std::vector<double> hist(numBins, 0.0);
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        if (zA && s.elements[i] != zA) continue;
        for (std::size_t j = 0; j < s.numAtoms(); ++j) {
            if (zB && s.elements[j] != zB) continue;
            for (int p = -2; p <= 2; ++p)
                for (int q = -2; q <= 2; ++q)
                    for (int t = -2; t <= 2; ++t) {
                        if (i == j && p == 0 && q == 0 && t == 0) continue;
                        const Vec3d d = s.positions[j] + fromFractional(s.cell, Vec3d{double(p), double(q), double(t)}) -
                                        s.positions[i];
                        const double r = norm(d);
                        const auto k = static_cast<std::size_t>(r / dr);
                        if (k < numBins) hist[k] += 1.0;
                    }
        }
    }
    for (std::size_t k = 1; k < numBins; ++k) hist[k] += hist[k - 1];
    return hist;
}

}  // namespace

TEST(Rdf, MinimumImageRadiusIsHalfTheSmallestWidth) {
    EXPECT_DOUBLE_EQ(minimumImageRadius(cubicCell(6.0)), 3.0);
    // Width along c of the sheared cell is c_z (a and b lie in the xy plane).
    EXPECT_NEAR(cellWidths(triclinicCell(10.0))[2], 7.0, 1e-12);
    EXPECT_NEAR(minimumImageRadius(triclinicCell(10.0)), 3.5, 1e-12);
    // Rhombohedral fcc primitive cell: the faces are {111} planes, a/√3 apart; n cells: n·a/√3.
    const Structure fcc = fccPrimitive(5, 2.0);
    for (double h : cellWidths(fcc.cell)) EXPECT_NEAR(h, 5 * 2.0 / std::sqrt(3.0), 1e-12);
}

TEST(Rdf, IdealGasIsOneWithinStatistics) {
    std::mt19937_64 rng(20240601);
    const double L = 10.0;
    RdfOptions o;
    o.binWidth = 0.25;  // r_max: the default, L/2
    RdfAccumulator acc(o);
    const std::size_t n = 400, frames = 20;
    for (std::size_t f = 0; f < frames; ++f) acc.add(idealGas(cubicCell(L), n, rng, true));
    const Rdf rdf = acc.result();
    ASSERT_EQ(rdf.r.size(), 20u);
    EXPECT_DOUBLE_EQ(rdf.r.back(), 4.875);
    EXPECT_NEAR(rdf.meanDensity, n / (L * L * L), 1e-15);
    // Elements 1 and 2: curves 1-1, 1-2, 2-2, then all-all.
    ASSERT_EQ(rdf.curves.size(), 4u);
    const int expectedPairs[4][2] = {{1, 1}, {1, 2}, {2, 2}, {0, 0}};
    for (std::size_t c = 0; c < 4; ++c) {
        const RdfCurve& curve = rdf.curves[c];
        EXPECT_EQ(curve.elementA, expectedPairs[c][0]);
        EXPECT_EQ(curve.elementB, expectedPairs[c][1]);
        const double centres = c == 3 ? double(n) : n / 2.0;
        const double partners = c == 3 ? n - 1.0 : (c == 1 ? n / 2.0 : n / 2.0 - 1.0);
        double weightedSum = 0.0, weights = 0.0;
        for (std::size_t k = 0; k < rdf.r.size(); ++k) {
            const double rIn = k * o.binWidth, rOut = rIn + o.binWidth;
            const double expectedCount =
                frames * centres * partners / (L * L * L) * 4.0 * kPi / 3.0 * (rOut * rOut * rOut - rIn * rIn * rIn);
            // Counts are Poisson-like; same-element pairs come twice (i→j and j→i), doubling the variance.
            const double sigma = std::sqrt((curve.elementA == curve.elementB ? 2.0 : 1.0) / expectedCount);
            if (expectedCount > 50) {
                EXPECT_NEAR(curve.g[k], 1.0, 5 * sigma) << "curve " << c << " bin " << k;
            }
            weightedSum += curve.g[k] * expectedCount;
            weights += expectedCount;
        }
        EXPECT_NEAR(weightedSum / weights, 1.0, 0.01) << "curve " << c;
        // Running coordination number at r_max: the ideal-gas partner count (n_B/V)·4π/3·r³ within 1 %.
        const double r = rdf.r.size() * o.binWidth;
        EXPECT_NEAR(curve.coordination.back() / (partners / (L * L * L) * 4.0 * kPi / 3.0 * r * r * r), 1.0, 0.01);
    }
}

TEST(Rdf, FccShellRadiiAndCoordinationNumbers) {
    const double rho = 1.0;
    const Structure fcc = fccLattice(4, rho, 18);
    const double a = std::cbrt(4.0 / rho);
    RdfOptions o;
    o.binWidth = 0.01;
    const Rdf rdf = radialDistribution({fcc, fcc}, o);  // two identical frames: same answer as one
    EXPECT_NEAR(rdf.r.size() * o.binWidth, 2 * a, 0.011);  // default r_max: half of the 4a box
    expectFccShells(rdf, a, rdf.r.size() * o.binWidth, 256);
    EXPECT_DOUBLE_EQ(rdf.meanDensity, 256.0 / (64 * a * a * a));
}

TEST(Rdf, TriclinicFccPrimitiveCellHasTheSameShells) {
    const double a = 1.7;
    const Structure fcc = fccPrimitive(6, a);  // 216 atoms, half width 6a/(2√3) = 1.73a
    RdfOptions o;
    o.binWidth = 0.005;
    const Rdf rdf = radialDistribution({fcc}, o);
    EXPECT_NEAR(rdf.r.size() * o.binWidth, 6 * a / (2 * std::sqrt(3.0)), 0.0051);
    expectFccShells(rdf, a, rdf.r.size() * o.binWidth, 216);
}

TEST(Rdf, TriclinicCellMatchesBruteForceImages) {
    std::mt19937_64 rng(7);
    const auto cell = triclinicCell(6.0);
    std::vector<Structure> frames;
    for (int f = 0; f < 3; ++f) frames.push_back(idealGas(cell, 60, rng, true));
    // The default r_max (2.1: plain minimum image), a short one (1.0: the sphere is 3 % of the cell, neighbour
    // list) and one beyond the minimum-image radius (5.0: neighbour list with several images per pair).
    for (double rMax : {0.0, 1.0, 5.0}) {
        RdfOptions o;
        o.rMax = rMax;
        o.binWidth = 0.1;
        const Rdf rdf = radialDistribution(frames, o);
        const std::size_t bins = rdf.r.size();
        EXPECT_EQ(bins, rMax > 0 ? static_cast<std::size_t>(std::lround(rMax / 0.1))
                                 : static_cast<std::size_t>(std::floor(0.5 * 0.7 * 6.0 / 0.1 + 1e-9)));
        const int pairs[4][2] = {{1, 1}, {1, 2}, {2, 2}, {0, 0}};
        for (std::size_t c = 0; c < 4; ++c) {
            std::vector<double> reference(bins, 0.0);
            for (const Structure& s : frames) {
                const auto one = bruteForceCumulative(s, o.binWidth, bins, pairs[c][0], pairs[c][1]);
                for (std::size_t k = 0; k < bins; ++k) reference[k] += one[k];
            }
            const double centres = (c == 3 ? 60.0 : 30.0) * frames.size();
            for (std::size_t k = 0; k < bins; ++k)
                ASSERT_NEAR(rdf.curves[c].coordination[k] * centres, reference[k], 1e-9) << "curve " << c << " bin " << k;
        }
    }
}

TEST(Rdf, RejectsOtherAtomsAndOpenFrames) {
    std::mt19937_64 rng(3);
    RdfAccumulator acc(RdfOptions{});
    EXPECT_THROW(acc.result(), Error);
    acc.add(idealGas(cubicCell(5.0), 20, rng, false));
    EXPECT_THROW(acc.add(idealGas(cubicCell(5.0), 21, rng, false)), Error);
    Structure open = idealGas(cubicCell(5.0), 20, rng, false);
    open.periodic = false;
    EXPECT_THROW(acc.add(open), Error);
}

namespace {

// Frames of atoms moving with constant velocities v_i, positions wrapped into the cell.
std::vector<Structure> ballisticFrames(const std::array<Vec3d, 3>& cell, const std::vector<Vec3d>& start,
                                       const std::vector<Vec3d>& velocity, const std::vector<int>& elements,
                                       std::size_t numFrames, double dt) {
    std::vector<Structure> frames;
    for (std::size_t f = 0; f < numFrames; ++f) {
        Structure s = emptyFrame(cell, start.size(), 1);
        s.elements = elements;
        for (std::size_t i = 0; i < start.size(); ++i) s.positions[i] = start[i] + (f * dt) * velocity[i];
        wrapPositions(s);
        frames.push_back(std::move(s));
    }
    return frames;
}

}  // namespace

TEST(Msd, BallisticMotionAcrossBoundariesIsVSquaredTSquared) {
    for (const auto& cell : {cubicCell(5.0), triclinicCell(5.0)}) {
        std::mt19937_64 rng(11);
        std::normal_distribution<double> g(0.0, 1.0);
        const std::size_t n = 40, numFrames = 60;
        const double dt = 0.5;
        std::vector<Vec3d> start(n), v(n);
        std::vector<int> elements(n);
        Vec3d mean{0, 0, 0};
        for (std::size_t i = 0; i < n; ++i) {
            elements[i] = i % 3 == 0 ? 8 : 1;
            const double speed = elements[i] == 8 ? 0.5 : 1.5;  // per frame 0.25 or 0.75 (< 0.4 · 3.5)
            v[i] = speed * Vec3d{g(rng), g(rng), g(rng)};
            v[i] = (speed / norm(v[i])) * v[i];
            start[i] = fromFractional(cell, Vec3d{0.5, 0.5, 0.5}) + Vec3d{g(rng), g(rng), g(rng)};
            mean = mean + v[i];
        }
        // Total momentum zero, so removing the drift changes nothing; the atoms cross the box ~ 10 times.
        const Vec3d drift = (1.0 / n) * mean;
        for (auto& vi : v) vi = vi - drift;
        const auto frames = ballisticFrames(cell, start, v, elements, numFrames, dt);
        for (bool removeDrift : {false, true}) {
            MsdOptions o;
            o.removeDrift = removeDrift;
            o.maxLagFraction = 1.0;
            const Msd msd = meanSquareDisplacement(frames, dt, o);
            ASSERT_EQ(msd.lagTime.size(), numFrames);
            ASSERT_EQ(msd.curves.size(), 3u);  // H, O, all
            EXPECT_EQ(msd.originStride, 1u);
            EXPECT_EQ(msd.origins[0], numFrames);
            EXPECT_EQ(msd.origins.back(), 1u);
            for (const MsdCurve& c : msd.curves) {
                double v2 = 0.0, count = 0.0;
                for (std::size_t i = 0; i < n; ++i)
                    if (c.element == 0 || elements[i] == c.element) {
                        v2 += dot(v[i], v[i]);
                        count += 1.0;
                    }
                v2 /= count;
                for (std::size_t L = 0; L < numFrames; ++L) {
                    const double t = L * dt;
                    EXPECT_DOUBLE_EQ(msd.lagTime[L], t);
                    ASSERT_NEAR(c.msd[L], v2 * t * t, 1e-9 * (1 + v2 * t * t)) << "element " << c.element << " lag " << L;
                }
            }
            EXPECT_EQ(msd.curves[0].element, 1);
            EXPECT_EQ(msd.curves[1].element, 8);
            EXPECT_EQ(msd.curves[2].element, 0);
        }
    }
}

TEST(Msd, CentreOfMassDriftIsRemoved) {
    const std::size_t n = 10, numFrames = 20;
    std::vector<Vec3d> start(n), v(n, Vec3d{0.3, -0.2, 0.1});
    for (std::size_t i = 0; i < n; ++i) start[i] = Vec3d{0.4 * i, 0.1 * i, 0.25 * i};
    const auto frames = ballisticFrames(cubicCell(4.0), start, v, std::vector<int>(n, 18), numFrames, 1.0);
    MsdOptions keep;
    keep.removeDrift = false;
    const Msd withDrift = meanSquareDisplacement(frames, 1.0, keep);
    const Msd without = meanSquareDisplacement(frames, 1.0, MsdOptions{});
    ASSERT_EQ(withDrift.lagTime.size(), 10u);  // maxLagFraction ½ of 19 lags
    for (std::size_t L = 0; L < withDrift.lagTime.size(); ++L) {
        EXPECT_NEAR(withDrift.curves.back().msd[L], 0.14 * L * L, 1e-9);
        EXPECT_NEAR(without.curves.back().msd[L], 0.0, 1e-20);
    }
}

TEST(Msd, RandomWalkGivesTheDiffusionCoefficient) {
    std::mt19937_64 rng(42);
    const double sigma = 0.05, dt = 0.5, L = 8.0;  // D = σ²/(2Δt) per component → 0.0025
    const std::size_t n = 300, numFrames = 400;
    std::normal_distribution<double> step(0.0, sigma);
    std::uniform_real_distribution<double> u(0.0, L);
    std::vector<Vec3d> r(n);
    for (auto& ri : r) ri = {u(rng), u(rng), u(rng)};
    MsdAccumulator acc(MsdOptions{});
    for (std::size_t f = 0; f < numFrames; ++f) {
        Structure s = emptyFrame(cubicCell(L), n, 18);
        s.positions = r;
        wrapPositions(s);
        acc.add(s);
        for (auto& ri : r) ri = ri + Vec3d{step(rng), step(rng), step(rng)};
    }
    const Msd msd = acc.result(dt);
    const DiffusionFit fit = fitDiffusion(msd.lagTime, msd.curves.back().msd);
    // Removing the mean of N walkers removes 1/N of the variance.
    const double expected = sigma * sigma / (2 * dt) * (1.0 - 1.0 / n);
    EXPECT_NEAR(fit.D, expected, 0.05 * expected) << "D = " << fit.D << " ± " << fit.stdError;
    EXPECT_GT(fit.stdError, 0.0);
    EXPECT_LT(fit.stdError, 0.05 * expected);
    // Default window: 20 % to 80 % of the longest lag (199 frames · 0.5).
    EXPECT_DOUBLE_EQ(fit.tStart, 0.2 * 199 * dt);
    EXPECT_DOUBLE_EQ(fit.tEnd, 0.8 * 199 * dt);
}

TEST(Msd, TooLargeDisplacementNamesTheFrame) {
    const std::size_t n = 5;
    MsdAccumulator acc(MsdOptions{});
    Structure s = emptyFrame(cubicCell(10.0), n, 18);
    for (std::size_t i = 0; i < n; ++i) s.positions[i] = Vec3d{1.0 + i, 2.0, 3.0};
    for (int f = 1; f <= 3; ++f) acc.add(s);
    s.positions[2].x += 4.5;  // 0.45 of the width: below ½ (still unwrappable) but above the 0.4 limit
    try {
        acc.add(s);
        FAIL() << "a jump of 0.45 widths must be rejected";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("frame 4"), std::string::npos) << what;
        EXPECT_NE(what.find("atom 3"), std::string::npos) << what;
    }
    EXPECT_EQ(acc.numFrames(), 3u);  // the bad frame was not kept
    s.positions[2].x -= 4.5 - 3.9;   // 0.39 widths from frame 3: accepted
    EXPECT_NO_THROW(acc.add(s));
}

TEST(MsdDiffusion, ExactLineAndDefaultWindow) {
    std::vector<double> t, m;
    for (int k = 0; k <= 100; ++k) {
        t.push_back(0.1 * k);
        m.push_back(k < 15 ? 0.3 * k * k * 0.01 : 6 * 0.25 * 0.1 * k + 0.4);  // curved start, then D = 0.25
    }
    const DiffusionFit fit = fitDiffusion(t, m);
    EXPECT_NEAR(fit.D, 0.25, 1e-12);
    EXPECT_NEAR(fit.intercept, 0.4, 1e-11);
    EXPECT_LT(fit.stdError, 1e-12);
    EXPECT_EQ(fit.numPoints, 61u);  // t = 2.0 ... 8.0
    const DiffusionFit window = fitDiffusion(t, m, 0.0, 1.0);  // only the curved start: another slope
    EXPECT_GT(std::abs(window.D - 0.25), 0.1);
    EXPECT_THROW(fitDiffusion(t, m, 5.0, 5.1), Error);  // 2 points
    EXPECT_THROW(fitDiffusion(t, m, 5.0, 4.0), Error);
}

TEST(MsdDiffusion, StandardErrorCoversTheTrueSlopeForIndependentNoise) {
    // With independent Gaussian noise the OLS standard error is exact: |D − D_true| < SE about 68 % of the time.
    std::mt19937_64 rng(5);
    std::normal_distribution<double> noise(0.0, 0.05);
    int inside = 0;
    const int trials = 400;
    for (int trial = 0; trial < trials; ++trial) {
        std::vector<double> t, m;
        for (int k = 0; k <= 50; ++k) t.push_back(k), m.push_back(6 * 0.01 * k + noise(rng));
        const DiffusionFit fit = fitDiffusion(t, m, 0.0, 50.0);
        inside += std::abs(fit.D - 0.01) < fit.stdError;
    }
    EXPECT_NEAR(inside / double(trials), 0.683, 0.06);
}
