// The CPU kernel: the grouped symmetry functions of ONE centre atom (and their derivatives).
// Private to host/features/; the public API is include/agl/features.hpp.
//
// Neighbour data is kept as structure of arrays (contiguous ux, uy, uz, r, 1/r, pair factors per term) so the
// inner loops over neighbours are plain streams the compiler can vectorise.
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
    std::vector<double> ux, uy, uz;  // unit vectors d/r
    std::vector<double> r, invR;     // length, 1/length
    std::vector<int> slot;           // derivative entry of the neighbour's atom (0 = the centre atom)
    std::vector<double> a, da;       // (numPairTerms × numLocal) pair factors and d/dr, term-major
    std::vector<double> fc, dfc;     // (numCutoffs) of one neighbour
    std::vector<int> fcStamp;
    std::vector<int> slotOfAtom;     // (numAtoms of the structure) entry or −1; reset after each atom
    // One angular group at a time: its neighbours (first the e1 list, then the e2 list when e1 ≠ e2).
    std::vector<int> member;               // (numGroup) local neighbour index
    std::vector<double> gx, gy, gz, ginvR; // (numGroup) copies of the local arrays
    std::vector<int> blockTerm, blockBegin;         // runs of members sharing one pair term
    std::vector<double> ga, gda;           // (numBlocks × numGroup) pair factors of each run's term
    std::vector<double> blockA, blockDa;   // (numBlocks) a_j, a'_j of the current j
    std::vector<double> cosine;            // (numGroup) cos θ_ijk for the current j
    std::vector<double> basePlus, baseMinus;  // (numGroup) max(1 ± cos θ, 0)
    std::vector<double> pm1, pw;           // (2·numZetas × numGroup) base^(ζ−1), base^ζ; row 2z + (λ < 0)
    std::vector<int> first, second;        // type 3: neighbour lists of one group
    std::vector<double> power, dpower;     // type 3: (numZetas × 2) scaled P and dP/dcos for λ = +1, −1
};

// Cutoff objects of each CutoffKey, built once per element.
std::vector<Cutoff<double>> makeCutoffs(const ElementGroups& groups);

// Number of derivative entries of centre atom i: i itself plus every distinct atom with an image closer than
// groups.maxCutoff.
std::size_t countEntries(const ElementGroups& groups, const NeighborList& list, std::size_t i, AtomScratch& s);

// G of centre atom i into g[0 .. numFunctions). With dG != nullptr also the derivative block of atom i in
// the layout of include/agl/features.hpp: entryAtom[0 .. countEntries) (entry 0 = i) and
// dG (countEntries × 3 × numFunctions), overwritten. `list` must have a cutoff >= groups.maxCutoff.
void computeAtom(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs,
                 const std::vector<int>& elements, const NeighborList& list, std::size_t i, AtomScratch& scratch,
                 double* g, std::uint32_t* entryAtom = nullptr, double* dG = nullptr);

// The angular groups (angular_wide.cpp: type 9, angular_narrow.cpp: type 3), called by computeAtom after the
// local neighbours and pair factors are in `s`. dG as in computeAtom (nullptr: energies only).
void addWideGroup(const ElementGroups& groups, const AngularGroup& ag, AtomScratch& s, double* g, double* dG);
void addNarrowGroup(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs,
                    const AngularGroup& ag, AtomScratch& s, double* g, double* dG);

}  // namespace agl::features
