// SkinTrigger: the Verlet-skin rule shared by the MD lists (agl::SkinNeighborList, agl::md::VerletList).
// A list built at cutoff + skin stays valid while no atom has moved more than skin/2 since its build: then
// no pair can have come from beyond cutoff + skin to within cutoff. It must also be rebuilt when the atom
// count, the cell or the periodicity changed, and always when skin = 0.
#pragma once
#include <array>
#include <vector>

#include "agl/structure.hpp"

namespace agl {

class SkinTrigger {
public:
    explicit SkinTrigger(double skin);  // skin >= 0 (length)

    // True before the first build, for skin = 0, and when s differs from the last build as above.
    bool needsRebuild(const Structure& s) const;
    // Remembers s as the state of a build just made.
    void recordBuild(const Structure& s);

    double skin() const { return skin_; }
    long numBuilds() const { return numBuilds_; }

private:
    double skin_;
    long numBuilds_ = 0;
    std::vector<Vec3d> positions_;  // (numAtoms) at the last build
    std::array<Vec3d, 3> cell_{};
    bool periodic_ = false;
};

}  // namespace agl
