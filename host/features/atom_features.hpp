// The CPU kernel: the grouped symmetry functions of ONE centre atom (and their derivatives).
// Private to host/features/; the public API is include/agl/features.hpp.
#pragma once
#include <cstdint>
#include <vector>

#include "agl/cutoff_function.hpp"
#include "agl/neighbor_list.hpp"
#include "agl/symmetry_function_groups.hpp"

namespace agl::features {

// Per-thread working memory, reused from atom to atom (no allocation in steady state).
struct AtomScratch {
    // Local neighbours: list entries of the centre atom with r < the element's largest cutoff.
    std::vector<std::uint32_t> atom;
    std::vector<int> element;
    std::vector<Vec3d> unit;        // d/r
    std::vector<double> r, invR;
    std::vector<int> slot;          // derivative entry of the neighbour's atom (0 = the centre atom)
    std::vector<double> a, da;      // (numLocal × numPairTerms) pair factors and d/dr
    std::vector<int> first, second; // neighbour lists of one angular group
    std::vector<double> power, dpower;  // (numZetas × 2) scaled P and dP/dcos for λ = +1, −1
    std::vector<double> fc, dfc;        // (numCutoffs) of one neighbour
    std::vector<int> fcStamp;
    std::vector<int> slotOfAtom;        // (numAtoms of the structure) entry or −1; reset after each atom
    std::vector<std::uint32_t> entryAtom;  // derivative entries of the current centre atom
    std::vector<double> dG;             // (numEntries × 3 × numFunctions)
};

// Cutoff objects of each CutoffKey, built once per element.
std::vector<Cutoff<double>> makeCutoffs(const ElementGroups& groups);

// G of centre atom i into g[0 .. numFunctions). With `derivatives`, scratch.entryAtom / scratch.dG hold
// the sparse derivative block of atom i in the layout of include/agl/features.hpp (entry 0 = i).
// `list` must have a cutoff >= groups.maxCutoff.
void computeAtom(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs,
                 const std::vector<int>& elements, const NeighborList& list, std::size_t i, bool derivatives,
                 AtomScratch& scratch, double* g);

}  // namespace agl::features
