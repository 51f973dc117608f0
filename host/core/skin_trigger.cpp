// The Verlet-skin rebuild rule (skin_trigger.hpp).
#include "agl/skin_trigger.hpp"

#include "agl/error.hpp"

namespace agl {

SkinTrigger::SkinTrigger(double skin) : skin_(skin) { AGL_CHECK(skin >= 0.0, "neighbour skin must not be negative"); }

bool SkinTrigger::needsRebuild(const Structure& s) const {
    if (numBuilds_ == 0 || skin_ == 0.0) return true;
    if (s.positions.size() != positions_.size() || s.periodic != periodic_) return true;
    for (int k = 0; k < 3; ++k)
        if (s.cell[k].x != cell_[k].x || s.cell[k].y != cell_[k].y || s.cell[k].z != cell_[k].z) return true;
    const double limit2 = 0.25 * skin_ * skin_;
    for (std::size_t i = 0; i < s.positions.size(); ++i) {
        const Vec3d d = s.positions[i] - positions_[i];
        if (dot(d, d) > limit2) return true;
    }
    return false;
}

void SkinTrigger::recordBuild(const Structure& s) {
    positions_ = s.positions;
    cell_ = s.cell;
    periodic_ = s.periodic;
    ++numBuilds_;
}

}  // namespace agl
