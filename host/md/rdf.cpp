// Radial distribution function g(r) and running coordination number, accumulated frame by frame
// (formulas and conventions in include/agl/md/analysis.hpp).
#include <algorithm>
#include <cmath>

#include "agl/error.hpp"
#include "agl/number_text.hpp"
#include "agl/md/analysis.hpp"
#include "agl/neighbor_list.hpp"

namespace agl::md {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Ideal-gas count of partners in [r_in, r_out) per centre atom and per unit density: 4π/3 (r_out³ − r_in³).
double shellVolume(double rIn, double rOut) { return 4.0 * kPi / 3.0 * (rOut * rOut * rOut - rIn * rIn * rIn); }


// Plain minimum image when r_max is within the minimum-image radius (each pair has at most one image closer
// than r_max) and the r_max sphere is a sizable part of the cell: then most pairs are counted anyway and the
// double loop beats cell lists, which visit ~6× more candidates and store every pair (bench_analysis, r_max =
// L/2: the neighbour list took 3× longer for 256 atoms, 6.6× for 2048). Otherwise — a short r_max in a large
// cell (2048 atoms, r_max = 2.5 σ: the neighbour list 1.7–9× faster, on a shared machine) or r_max beyond the
// minimum-image radius (several images per pair) — the neighbour list.
bool useMinimumImage(const std::array<Vec3d, 3>& cell, double rMax) {
    const double sphere = 4.0 * kPi / 3.0 * rMax * rMax * rMax;
    return rMax <= minimumImageRadius(cell) && sphere >= 0.05 * std::abs(cellVolume(cell));
}

}  // namespace

void RdfAccumulator::countMinimumImage(const Structure& frame) {
    // Fractional components rounded to the nearest integer give the shortest image of every pair shorter than
    // the minimum-image radius (triclinic cells included); two images of one pair cannot both be that close.
    std::array<Vec3d, 3> reciprocal;
    const double volume = cellVolume(frame.cell);
    for (int d = 0; d < 3; ++d) reciprocal[d] = (1.0 / volume) * cross(frame.cell[(d + 1) % 3], frame.cell[(d + 2) % 3]);
    const std::size_t n = frame.numAtoms(), numSpecies = species_.size();
    const double r2Max = rMax() * rMax(), inverseBin = 1.0 / options_.binWidth;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t a = static_cast<std::size_t>(speciesIndex_[i]);
        for (std::size_t j = i + 1; j < n; ++j) {
            Vec3d d = frame.positions[j] - frame.positions[i];
            const Vec3d f{dot(reciprocal[0], d), dot(reciprocal[1], d), dot(reciprocal[2], d)};
            for (int k = 0; k < 3; ++k) d = d - std::round(f[k]) * frame.cell[k];
            const double r2 = dot(d, d);
            if (r2 >= r2Max) continue;
            const auto bin = static_cast<std::size_t>(std::sqrt(r2) * inverseBin);
            if (bin >= numBins_) continue;
            const std::size_t b = static_cast<std::size_t>(speciesIndex_[j]);
            pairCounts_[a * numSpecies + b][bin] += 1.0;  // i sees j and j sees i
            pairCounts_[b * numSpecies + a][bin] += 1.0;
        }
    }
}

void RdfAccumulator::countNeighborList(const Structure& frame) {
    const NeighborList list = buildNeighborList(frame, rMax());
    const std::size_t numSpecies = species_.size();
    const double inverseBin = 1.0 / options_.binWidth;
    for (std::size_t i = 0; i < list.numAtoms(); ++i) {
        const std::size_t rowBase = static_cast<std::size_t>(speciesIndex_[i]) * numSpecies;
        for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p) {
            const auto bin = static_cast<std::size_t>(list.distance[p] * inverseBin);
            if (bin >= numBins_) continue;  // the list's cutoff is rMax; guards the rounding at the edge
            pairCounts_[rowBase + static_cast<std::size_t>(speciesIndex_[list.index[p]])][bin] += 1.0;
        }
    }
}

void RdfAccumulator::add(const Structure& frame) {
    AGL_CHECK(frame.periodic, "g(r) needs periodic frames (frame " + std::to_string(numFrames_ + 1) + ")");
    if (numFrames_ == 0) {
        AGL_CHECK(options_.binWidth > 0.0, "g(r) bin width must be positive");
        const double rMax = options_.rMax > 0.0 ? options_.rMax : minimumImageRadius(frame.cell);
        // From the user's options and cell: Error, not AGL_CHECK. The count is checked before the cast.
        const double bins = std::floor(rMax / options_.binWidth + 1e-9);
        if (!(bins >= 1.0 && bins <= 1e7))
            throw Error("g(r): r_max " + significant(rMax) + " / bin width " + significant(options_.binWidth) +
                        " gives " + significant(bins) + " bins (1 to 10^7 allowed; see --rdf-max, --rdf-bin)");
        numBins_ = static_cast<std::size_t>(bins);
        elements_ = frame.elements;
        species_ = elements_;
        std::sort(species_.begin(), species_.end());
        species_.erase(std::unique(species_.begin(), species_.end()), species_.end());
        speciesCount_.assign(species_.size(), 0);
        speciesIndex_.resize(elements_.size());
        for (std::size_t i = 0; i < elements_.size(); ++i) {
            const auto at = std::lower_bound(species_.begin(), species_.end(), elements_[i]) - species_.begin();
            speciesIndex_[i] = static_cast<int>(at);
            ++speciesCount_[static_cast<std::size_t>(at)];
        }
        pairCounts_.assign(species_.size() * species_.size(), std::vector<double>(numBins_, 0.0));
    }
    AGL_CHECK(frame.elements == elements_, "frame " + std::to_string(numFrames_ + 1) +
                                               " has other atoms than the first frame (count or elements differ)");

    if (useMinimumImage(frame.cell, rMax())) countMinimumImage(frame);
    else countNeighborList(frame);
    sumInverseVolume_ += 1.0 / std::abs(cellVolume(frame.cell));
    ++numFrames_;
}

Rdf RdfAccumulator::result() const {
    AGL_CHECK(numFrames_ > 0, "g(r) of no frames");
    const double dr = options_.binWidth;
    const std::size_t numSpecies = species_.size();
    Rdf out;
    out.binWidth = dr;
    out.numFrames = numFrames_;
    out.meanDensity = static_cast<double>(elements_.size()) * sumInverseVolume_ / static_cast<double>(numFrames_);
    out.r.resize(numBins_);
    for (std::size_t k = 0; k < numBins_; ++k) out.r[k] = (static_cast<double>(k) + 0.5) * dr;

    // One curve from summed histograms: centres of `numCentres` atoms, `numPartners` possible partners each.
    auto makeCurve = [&](int za, int zb, const std::vector<double>& counts, double numCentres, double numPartners) {
        RdfCurve c;
        c.elementA = za;
        c.elementB = zb;
        c.g.resize(numBins_);
        c.coordination.resize(numBins_);
        double running = 0.0;
        const double centreFrames = numCentres * static_cast<double>(numFrames_);
        for (std::size_t k = 0; k < numBins_; ++k) {
            const double rIn = static_cast<double>(k) * dr, rOut = rIn + dr;
            const double ideal = numCentres * numPartners * sumInverseVolume_ * shellVolume(rIn, rOut);
            c.g[k] = ideal > 0.0 ? counts[k] / ideal : 0.0;
            running += counts[k];
            c.coordination[k] = running / centreFrames;
        }
        return c;
    };

    for (std::size_t a = 0; a < numSpecies; ++a)
        for (std::size_t b = a; b < numSpecies; ++b) {
            const double partners = static_cast<double>(speciesCount_[b]) - (a == b ? 1.0 : 0.0);
            out.curves.push_back(makeCurve(species_[a], species_[b], pairCounts_[a * numSpecies + b],
                                           static_cast<double>(speciesCount_[a]), partners));
        }
    if (numSpecies > 1) {
        std::vector<double> all(numBins_, 0.0);
        for (const auto& counts : pairCounts_)
            for (std::size_t k = 0; k < numBins_; ++k) all[k] += counts[k];
        const double n = static_cast<double>(elements_.size());
        out.curves.push_back(makeCurve(0, 0, all, n, n - 1.0));
    }
    return out;
}

Rdf radialDistribution(const std::vector<Structure>& frames, const RdfOptions& options) {
    RdfAccumulator acc(options);
    for (const Structure& f : frames) acc.add(f);
    return acc.result();
}

}  // namespace agl::md
