// Structure and dynamics of MD trajectories (the paper's Figs. 7, 8 and Table I): radial distribution
// function g(r) with the running coordination number, mean square displacement MSD(t) and the diffusion
// coefficient D from the Einstein relation MSD = 6 D t.
//
// Units are those of the trajectory: lengths (σ for LJ units, Å for metal units), times as given by the frames
// (τ, ps), MSD in length², D in length²/time. Frames are periodic agl::Structures with positions WRAPPED into
// the cell (as `agl md`, LAMMPS and ASE write them); every frame has the same atoms in the same order.
//
// Both observables are accumulated frame by frame (add()), so a trajectory can be streamed from disk with
// agl::forEachStructure: g(r) keeps only its histograms, the MSD keeps the unwrapped positions (numFrames ×
// numAtoms × 24 bytes).
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "agl/structure.hpp"

namespace agl::md {

// Perpendicular widths of a cell: h_d = V / |b_e × b_f| (length), the distance between opposite faces.
std::array<double, 3> cellWidths(const std::array<Vec3d, 3>& cell);
// Half the smallest perpendicular width: the largest distance at which every atom pair has a unique
// nearest image (the minimum-image radius). Triclinic cells included.
double minimumImageRadius(const std::array<Vec3d, 3>& cell);

// ---------------------------------------------------------------------------------------------------------
// Radial distribution function.
//
// g_AB(r) for the bin [r_in, r_out) = (pairs i∈A, j∈B, j≠i with r_in ≤ r_ij < r_out, summed over frames)
//                                      / Σ_frames N_A · (n_B / V) · 4π/3 (r_out³ − r_in³)
// with n_B = N_B − δ_AB, the partners an A atom can have (N_B − 1 when A = B: LAMMPS `compute rdf` and
// OVITO's convention, so that an ideal gas gives exactly g = 1 on average at any N), V the volume of each frame.
// The running coordination number n_AB(r_out) = (pairs with r_ij < r_out, over frames) / Σ_frames N_A is the
// average number of B atoms within r_out of an A atom (12 at the first fcc shell).
//
// Pair search, per frame: plain minimum image (a double loop over i < j, fractional rounding, triclinic
// cells included) when r_max is within the minimum-image radius and the r_max sphere fills at least 5 % of
// the cell — the usual case, r_max = half the box, where most pairs are counted anyway and the loop is 3–7×
// faster than cell lists (bench/bench_analysis). Otherwise agl::buildNeighborList (cell lists): work ∝ pairs
// within r_max for a short r_max in a large cell, and every periodic image counted when r_max exceeds the
// minimum-image radius (such an r_max only adds correlations of the box with itself; the CLI warns).
struct RdfOptions {
    double rMax = 0.0;        // length; 0 = the minimum-image radius of the first frame
    double binWidth = 0.02;   // length; the last bin ends at numBins · binWidth ≤ rMax (rounded down)
};

// One element pair. elementA = elementB = 0 is the all-atom g(r) ("all-all").
struct RdfCurve {
    int elementA = 0, elementB = 0;
    std::vector<double> g;             // (numBins) g_AB of each bin
    std::vector<double> coordination;  // (numBins) n_AB at the outer edge of each bin
};

struct Rdf {
    double binWidth = 0.0;
    std::vector<double> r;             // (numBins) bin centres (length)
    std::vector<RdfCurve> curves;      // pairs A ≤ B in ascending Z, then all-all when there are 2+ elements
    std::size_t numFrames = 0;
    double meanDensity = 0.0;          // atoms / length³, averaged over frames
};

// Accumulates pair histograms frame by frame. The first frame fixes the atoms and elements.
class RdfAccumulator {
public:
    explicit RdfAccumulator(RdfOptions options) : options_(options) {}
    // Throws agl::Error for a non-periodic frame, a frame with other atoms than the first, or an r_max that
    // yields no bin.
    void add(const Structure& frame);
    // Throws agl::Error before the first add().
    Rdf result() const;

    double rMax() const { return numBins_ * options_.binWidth; }
    std::size_t numBins() const { return numBins_; }

private:
    void countMinimumImage(const Structure& frame);  // adds the frame's pairs to pairCounts_
    void countNeighborList(const Structure& frame);

    RdfOptions options_;
    std::size_t numBins_ = 0;
    std::vector<int> elements_;                       // (numAtoms) of the first frame
    std::vector<int> species_;                        // ascending Z present
    std::vector<int> speciesIndex_;                   // (numAtoms) position of each atom's Z in species_
    std::vector<std::size_t> speciesCount_;           // (numSpecies)
    std::vector<std::vector<double>> pairCounts_;     // (numSpecies², numBins): centre species a, partner b
    double sumInverseVolume_ = 0.0;                   // Σ_frames 1/V
    std::size_t numFrames_ = 0;
};

// Convenience: the g(r) of a set of frames.
Rdf radialDistribution(const std::vector<Structure>& frames, const RdfOptions& options);

// ---------------------------------------------------------------------------------------------------------
// Mean square displacement.
//
// Unwrapping: u_0 = r_0, u_f = u_{f−1} + d_f with d_f the minimum image of r_f − r_{f−1} (fractional
// components of the cell of frame f rounded to the nearest integer). This recovers the true displacement
// exactly while |d| < half the smallest width (then every fractional component is below ½); a recovered
// |d_f| above maxJumpFraction × smallest width is ambiguous and throws agl::Error naming the frame and atom
// (save frames more often).
//
// MSD_e(τ_L) = < |u_i(t0 + L) − u_i(t0)|² > over atoms i of element e and time origins t0 = 0, s, 2s, ...
// (s = originStride) with t0 + L in the trajectory. Centre-of-mass drift: u_i(t) − c(t) with c(t) the mean
// of all unwrapped positions of frame t (equal weights: the exact centre of mass for the one-element systems
// of the paper; without masses in the file a mass-weighted centre is not available).
struct MsdOptions {
    bool removeDrift = true;
    std::size_t originStride = 0;     // frames between time origins; 0 = automatic (at most ~1000 origins)
    double maxLagFraction = 0.5;      // lags up to this fraction of the trajectory (≥ half the origins each)
    double maxJumpFraction = 0.4;     // of the smallest cell width, between two consecutive frames
};

struct MsdCurve {
    int element = 0;                  // 0 = all atoms
    std::vector<double> msd;          // (numLags) length²
};

struct Msd {
    std::vector<double> lagTime;       // (numLags) L · frameTime (time units); lagTime[0] = 0
    std::vector<std::size_t> origins;  // (numLags) time origins averaged at each lag
    std::vector<MsdCurve> curves;      // ascending Z, then all atoms (always last)
    std::size_t originStride = 0;      // the stride used
    std::size_t numFrames = 0;
};

// Keeps unwrapped positions frame by frame. The first frame fixes the atoms.
class MsdAccumulator {
public:
    explicit MsdAccumulator(MsdOptions options) : options_(options) {}
    // Throws agl::Error (naming the 1-based frame) for a non-periodic frame, other atoms than the first frame,
    // or a displacement beyond maxJumpFraction of the smallest width.
    void add(const Structure& frame);
    // `frameTime`: time between consecutive frames (> 0). Throws agl::Error with fewer than 2 frames.
    Msd result(double frameTime) const;

    std::size_t numFrames() const { return numFrames_; }
    std::size_t numAtoms() const { return elements_.size(); }

private:
    MsdOptions options_;
    std::vector<int> elements_;        // (numAtoms)
    std::vector<Vec3d> lastWrapped_;   // (numAtoms) positions of the previous frame as read
    std::vector<Vec3d> unwrapped_;     // (numFrames × numAtoms) row-major, drift not removed
    std::size_t numFrames_ = 0;
};

// Convenience: the MSD of a set of frames `frameTime` apart.
Msd meanSquareDisplacement(const std::vector<Structure>& frames, double frameTime, const MsdOptions& options);

// ---------------------------------------------------------------------------------------------------------
// Diffusion coefficient from the Einstein relation MSD(t) = 6 D t + c, least squares over the lags with
// tStart ≤ t ≤ tEnd. The intercept c absorbs the short-time (ballistic, caging) offset so that only the
// slope enters D. Default window: 20 % to 80 % of the longest lag computed (with maxLagFraction = ½ that is
// half the trajectory, where every lag still has at least half of the time origins): the first 20 % is
// dominated by the ballistic regime, the last lags average the fewest independent origins.
//
// stdError is the ordinary least-squares standard error of the slope / 6. MSD values at neighbouring lags
// are strongly correlated, so it understates the true uncertainty; independent runs (or blocks) give an
// honest one. The paper quotes D with one decimal digit.
struct DiffusionFit {
    double D = 0.0, stdError = 0.0;    // length²/time
    double intercept = 0.0;            // length²
    double tStart = 0.0, tEnd = 0.0;   // the window actually used (time)
    std::size_t numPoints = 0;
};

// tStart/tEnd < 0: the default window. Throws agl::Error with fewer than 3 lags in the window.
DiffusionFit fitDiffusion(const std::vector<double>& lagTime, const std::vector<double>& msd,
                          double tStart = -1.0, double tEnd = -1.0);

}  // namespace agl::md
