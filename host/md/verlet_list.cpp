// Half Verlet list with skin over the full cell-list neighbour list (agl::buildNeighborList).
#include "agl/md/verlet_list.hpp"

#include <cmath>

#include "agl/error.hpp"
#include "agl/neighbor_list.hpp"

namespace agl::md {
namespace {

// The first nonzero component is positive: picks one of each ±s pair of self images.
bool lexicographicallyPositive(Vec3d s) {
    const double tiny = 1e-9;  // shifts are sums of cell vectors: components are 0 or of order the cell
    if (std::abs(s.x) > tiny) return s.x > 0;
    if (std::abs(s.y) > tiny) return s.y > 0;
    return s.z > tiny;
}

}  // namespace

VerletList::VerletList(double cutoff, double skin) : cutoff_(cutoff), trigger_(skin) {
    AGL_CHECK(cutoff > 0.0, "cutoff must be positive");
}

bool VerletList::update(const Structure& s) {
    if (!trigger_.needsRebuild(s)) return false;
    rebuild(s);
    return true;
}

void VerletList::rebuild(const Structure& s) {
    AGL_CHECK(s.periodic, "the MD Verlet list needs a periodic structure");
    // The cell-list builder wants positions in the cell; the shifts are then re-expressed for the caller's
    // (possibly unwrapped) positions: s_pair = d_build − (r_j − r_i).
    Structure wrapped = s;
    wrapPositions(wrapped);
    NeighborList full = buildNeighborList(wrapped, cutoff_ + trigger_.skin());
    first_.clear();
    second_.clear();
    shift_.clear();
    for (std::size_t i = 0; i < full.numAtoms(); ++i) {
        for (std::uint32_t p = full.offsets[i]; p < full.offsets[i + 1]; ++p) {
            std::uint32_t j = full.index[p];
            if (j < i) continue;
            Vec3d shift = full.delta[p] - (s.positions[j] - s.positions[i]);
            if (j == i && !lexicographicallyPositive(shift)) continue;
            first_.push_back(static_cast<std::uint32_t>(i));
            second_.push_back(j);
            shift_.push_back(shift);
        }
    }
    trigger_.recordBuild(s);
}

}  // namespace agl::md
