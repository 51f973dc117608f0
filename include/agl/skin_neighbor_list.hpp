// SkinNeighborList: a FULL neighbour list (NeighborList's convention) reused from MD step to MD step. It is
// built at cutoff + skin (agl::buildNeighborList) and rebuilt only when an atom has moved more than skin/2
// since the build, or the atom count or the cell changed; in between, every pair's delta and distance are
// refreshed from the current positions (the usual Verlet-list argument: no pair can have come from beyond
// cutoff + skin to within cutoff). Pairs beyond `cutoff` stay in the list: its users take only the pairs
// inside their own cutoffs (the feature engine does).
//
// Deterministic whatever the build history: each atom's pairs are kept in a canonical order (neighbour index,
// then image), and each pair's image shift is computed from its integer image (n0·a + n1·b + n2·c, once per
// build: the cell does not change without a rebuild), so the list at a step does not depend on when it was built — an MD run resumed from a restart computes the
// same forces bit for bit. Positions may be unwrapped (MD does not wrap them).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "agl/neighbor_list.hpp"
#include "agl/skin_trigger.hpp"
#include "agl/structure.hpp"

namespace agl {

class SkinNeighborList {
public:
    // cutoff > 0: the largest interaction range; skin >= 0 (0: rebuilt on every update).
    SkinNeighborList(double cutoff, double skin);

    // The list for the current positions of s (list().cutoff = cutoff + skin).
    const NeighborList& update(const Structure& s);
    const NeighborList& list() const { return list_; }
    long numBuilds() const { return trigger_.numBuilds(); }
    double cutoff() const { return cutoff_; }
    double skin() const { return trigger_.skin(); }

private:
    void rebuild(const Structure& s);
    void refresh(const Structure& s);

    double cutoff_;
    SkinTrigger trigger_;
    NeighborList list_;
    std::vector<Vec3d> shift_;                // (numPairs) n·cell of each pair's integer image n
};

}  // namespace agl
