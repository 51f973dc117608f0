// Mean square displacement: unwrapping of wrapped frames and the multiple-time-origin average
// (formulas and conventions in include/agl/md/analysis.hpp).
#include <algorithm>
#include <cmath>
#include <sstream>

#include "agl/error.hpp"
#include "agl/md/analysis.hpp"

namespace agl::md {
namespace {

// Minimum image of a displacement: fractional components rounded to the nearest lattice vector. Exact for
// |d| below half the smallest width (each fractional component is then below ½ in magnitude).
struct MinimumImage {
    std::array<Vec3d, 3> cell, reciprocal;  // reciprocal[d] · r = fractional component d
    explicit MinimumImage(const std::array<Vec3d, 3>& c) : cell(c) {
        const double v = cellVolume(c);
        for (int d = 0; d < 3; ++d) reciprocal[d] = (1.0 / v) * cross(c[(d + 1) % 3], c[(d + 2) % 3]);
    }
    Vec3d operator()(Vec3d d) const {
        Vec3d out = d;
        for (int k = 0; k < 3; ++k) out = out - std::round(dot(reciprocal[k], d)) * cell[k];
        return out;
    }
};

}  // namespace

void MsdAccumulator::add(const Structure& frame) {
    const std::size_t frameNumber = numFrames_ + 1;  // 1-based, as users count frames
    AGL_CHECK(frame.periodic, "MSD unwrapping needs periodic frames (frame " + std::to_string(frameNumber) + ")");
    if (numFrames_ == 0) {
        elements_ = frame.elements;
        lastWrapped_ = frame.positions;
        unwrapped_ = frame.positions;
        numFrames_ = 1;
        return;
    }
    AGL_CHECK(frame.elements == elements_, "frame " + std::to_string(frameNumber) +
                                               " has other atoms than the first frame (count or elements differ)");
    const MinimumImage image(frame.cell);
    const auto widths = cellWidths(frame.cell);
    const double maxJump = options_.maxJumpFraction * std::min({widths[0], widths[1], widths[2]});
    const std::size_t n = elements_.size();
    const std::size_t previous = unwrapped_.size() - n;
    unwrapped_.resize(unwrapped_.size() + n);
    for (std::size_t i = 0; i < n; ++i) {
        const Vec3d d = image(frame.positions[i] - lastWrapped_[i]);
        if (norm(d) > maxJump) {
            unwrapped_.resize(previous + n);
            std::ostringstream msg;
            msg << "frame " << frameNumber << ": atom " << i + 1 << " moved " << norm(d) << " since frame "
                << frameNumber - 1 << ", more than " << options_.maxJumpFraction
                << " of the smallest cell width " << std::min({widths[0], widths[1], widths[2]})
                << "; positions cannot be unwrapped unambiguously (write frames more often)";
            throw Error(msg.str());
        }
        unwrapped_[previous + n + i] = unwrapped_[previous + i] + d;
    }
    lastWrapped_ = frame.positions;
    ++numFrames_;
}

Msd MsdAccumulator::result(double frameTime) const {
    AGL_CHECK(numFrames_ >= 2, "an MSD needs at least 2 frames, got " + std::to_string(numFrames_));
    AGL_CHECK(frameTime > 0.0, "time between frames must be positive");
    AGL_CHECK(options_.maxLagFraction > 0.0 && options_.maxLagFraction <= 1.0, "maxLagFraction must be in (0, 1]");
    const std::size_t numFrames = numFrames_, n = elements_.size();
    const std::size_t maxLag = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::floor(options_.maxLagFraction * static_cast<double>(numFrames - 1))), 1,
        numFrames - 1);
    const std::size_t stride =
        options_.originStride > 0 ? options_.originStride : std::max<std::size_t>(1, (numFrames + 999) / 1000);

    // Positions relative to the mean of each frame when the drift is removed.
    std::vector<Vec3d> u = unwrapped_;  // (numFrames × numAtoms)
    if (options_.removeDrift)
        for (std::size_t t = 0; t < numFrames; ++t) {
            Vec3d c{0, 0, 0};
            for (std::size_t i = 0; i < n; ++i) c = c + u[t * n + i];
            c = (1.0 / static_cast<double>(n)) * c;
            for (std::size_t i = 0; i < n; ++i) u[t * n + i] = u[t * n + i] - c;
        }

    std::vector<int> species = elements_;
    std::sort(species.begin(), species.end());
    species.erase(std::unique(species.begin(), species.end()), species.end());
    std::vector<int> speciesOf(n);
    std::vector<double> atomsOf(species.size(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        speciesOf[i] = static_cast<int>(std::lower_bound(species.begin(), species.end(), elements_[i]) - species.begin());
        atomsOf[static_cast<std::size_t>(speciesOf[i])] += 1.0;
    }

    Msd out;
    out.numFrames = numFrames;
    out.originStride = stride;
    out.lagTime.resize(maxLag + 1);
    out.origins.resize(maxLag + 1);
    std::vector<std::vector<double>> perSpecies(maxLag + 1, std::vector<double>(species.size(), 0.0));
    // Each lag is summed serially in a fixed order, so results do not depend on the thread count.
#pragma omp parallel for schedule(dynamic, 4)
    for (long long lagSigned = 0; lagSigned <= static_cast<long long>(maxLag); ++lagSigned) {
        const auto lag = static_cast<std::size_t>(lagSigned);
        std::vector<double>& sums = perSpecies[lag];
        std::size_t origins = 0;
        for (std::size_t t0 = 0; t0 + lag < numFrames; t0 += stride, ++origins) {
            const Vec3d* a = &u[t0 * n];
            const Vec3d* b = &u[(t0 + lag) * n];
            for (std::size_t i = 0; i < n; ++i) {
                const Vec3d d = b[i] - a[i];
                sums[static_cast<std::size_t>(speciesOf[i])] += dot(d, d);
            }
        }
        out.origins[lag] = origins;
        out.lagTime[lag] = static_cast<double>(lag) * frameTime;
    }

    for (std::size_t s = 0; s <= species.size(); ++s) {
        const bool all = s == species.size();
        MsdCurve c;
        c.element = all ? 0 : species[s];
        c.msd.resize(maxLag + 1);
        for (std::size_t lag = 0; lag <= maxLag; ++lag) {
            double sum = 0.0, atoms = 0.0;
            for (std::size_t k = 0; k < species.size(); ++k)
                if (all || k == s) sum += perSpecies[lag][k], atoms += atomsOf[k];
            c.msd[lag] = sum / (atoms * static_cast<double>(out.origins[lag]));
        }
        out.curves.push_back(std::move(c));
    }
    return out;
}

Msd meanSquareDisplacement(const std::vector<Structure>& frames, double frameTime, const MsdOptions& options) {
    MsdAccumulator acc(options);
    for (const Structure& f : frames) acc.add(f);
    return acc.result(frameTime);
}

}  // namespace agl::md
