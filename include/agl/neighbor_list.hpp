// NeighborList: FULL neighbour list of one structure (n2p2's convention): for every atom i, every j ≠ i
// within the cutoff, including periodic images of other atoms and of i itself when the cell is smaller than
// the cutoff. Built with cell lists (linear in the number of atoms), triclinic cells supported.
// Lengths in the unit of the data.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "agl/structure.hpp"

namespace agl {

struct NeighborList {
    double cutoff = 0.0;
    std::vector<std::uint32_t> offsets;   // (numAtoms + 1) neighbours of atom i are [offsets[i], offsets[i+1])
    std::vector<std::uint32_t> index;     // (numPairs) atom j in the structure (the atom whose image it is)
    std::vector<Vec3d> delta;             // (numPairs) r_j + shift − r_i (length), rounded as (r_j − r_i) + shift:
                                          // j's list holds i at exactly −delta (agl/bin_grid.hpp)
    std::vector<double> distance;         // (numPairs) |delta| (length), < cutoff

    std::size_t numAtoms() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::size_t numPairs() const { return index.size(); }
};

// Builds the full list. Periodic structures take every image within the cutoff; others take none.
NeighborList buildNeighborList(const Structure& s, double cutoff);

// Two atoms (or an atom and an image) closer than `minDistance`, or nothing. Used by the readers to reject
// atoms on top of each other; i < j, or i == j for an atom and its own image. The pair returned is the
// closest partner of the lowest atom i that has one (the scan stops there).
struct ClosePair {
    std::size_t i, j;
    double distance;
};
std::optional<ClosePair> findPairCloserThan(const Structure& s, double minDistance);

}  // namespace agl
