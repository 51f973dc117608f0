// VerletList: a HALF pair list with a skin for MD, built on agl::buildNeighborList (the full cell-list
// builder) at rc + skin and rebuilt only when some atom has moved more than skin/2 since the last build
// (then no pair can have come from beyond rc + skin to within rc; the usual Verlet-list argument).
//
// Positions may be unwrapped (MD does not wrap every step) or wrapped between calls: each pair stores the
// image shift s with  d = r_j − r_i + s  for the positions of the build, so the current separation is
// recomputed from current positions. A wrap that moves an atom by a cell vector counts as a displacement
// > skin/2 and triggers a rebuild, so the shifts are never stale.
//
// Half list: every interacting (i, j, image) once. From the full list we keep j > i, and for an atom and
// its own image (cells smaller than 2(rc + skin)) the one of each ±s pair with s lexicographically positive.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "agl/skin_trigger.hpp"
#include "agl/structure.hpp"

namespace agl::md {

class VerletList {
public:
    // cutoff = interaction range rc, skin > 0 (length). skin = 0 gives a list rebuilt on every update().
    VerletList(double cutoff, double skin);

    // Rebuilds when needed (first call, atom count or cell changed, displacement > skin/2). True if rebuilt.
    bool update(const Structure& s);
    // Forces a rebuild from `s`.
    void rebuild(const Structure& s);

    double cutoff() const { return cutoff_; }
    double skin() const { return trigger_.skin(); }
    std::size_t numPairs() const { return first_.size(); }
    long numBuilds() const { return trigger_.numBuilds(); }

    // Pair p: atoms first[p], second[p] and the image shift (length) of the build.
    const std::vector<std::uint32_t>& first() const { return first_; }
    const std::vector<std::uint32_t>& second() const { return second_; }
    const std::vector<Vec3d>& shift() const { return shift_; }

private:
    double cutoff_;
    SkinTrigger trigger_;
    std::vector<std::uint32_t> first_, second_;  // (numPairs)
    std::vector<Vec3d> shift_;                   // (numPairs) length
};

}  // namespace agl::md
