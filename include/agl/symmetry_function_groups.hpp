// Symmetry-function groups (the idea of n2p2's SymFncGroups): the functions of one centre element rearranged
// so that each expensive quantity is computed once and shared by every function that needs it.
//
//   cutoffs    distinct (cutoff type, α, rc):           fc(r), fc'(r) once per neighbour pair
//   pairTerms  distinct (cutoff, η, rs):                a = exp(−η(r − rs)²) fc(r) once per pair — this is the
//                                                       whole radial term AND the per-neighbour factor of the
//                                                       angular terms (the exponential factorises)
//   radial     one group per neighbour element e1:      Σ_j a_j over neighbours of element e1
//   angular    one group per (type, e1, e2):            one cos θ per triplet j<k, one power per distinct ζ
//                                                       (for λ = +1 and −1), then every member is a product
//
// All tables are flat arrays of PODs (indices into each other), so they can be copied to the GPU as they are.
// Columns refer to the element's functions in n2p2 order (`functions`).
#pragma once
#include <cstdint>
#include <array>
#include <vector>

#include "agl/symmetry_function.hpp"

namespace agl {

struct CutoffKey {
    CutoffType type;
    double alpha;
    double rc;  // length
};

struct PairTerm {
    int cutoff;   // index into ElementGroups::cutoffs
    double eta;   // 1/length²
    double rs;    // length
};

struct RadialMember {
    int column;    // output column
    int pairTerm;  // G += a[pairTerm] for every neighbour of the group's element
};

struct RadialGroup {
    int e1;                              // neighbour element (atomic number)
    double rc;                           // largest rc of the members (neighbours beyond it contribute 0)
    std::vector<RadialMember> members;
};

struct AngularMember {
    int column;
    int pairTerm;  // a_j, a_k (and a_jk for type 3) of this (cutoff, η, rs)
    int zeta;      // index into AngularGroup::zetas
    int lambda;    // +1 or −1
};

struct AngularGroup {
    int type;                       // 3 (narrow) or 9 (wide)
    int e1, e2;                     // neighbour elements, e1 <= e2
    double rc;                      // largest rc of the members
    std::vector<double> zetas;      // distinct ζ of the members, ascending
    std::vector<int> zetaInt;       // integerZeta(ζ): > 0 → power by repeated multiplication
    std::vector<double> zetaScales; // 2^(1−ζ)
    std::vector<AngularMember> members;
    // usesSign[0]: some member has λ = +1 (base 1 + cos), usesSign[1]: λ = −1. Power tables of an unused
    // sign are not computed.
    std::array<bool, 2> usesSign{};
};

struct ElementGroups {
    int element = 0;                          // centre atomic number
    std::vector<SymmetryFunction> functions;  // (numFunctions) in n2p2 order = column order
    std::vector<CutoffKey> cutoffs;
    std::vector<PairTerm> pairTerms;
    // For each neighbour atomic number z (index 0..118): the pair terms a neighbour of element z needs.
    std::vector<std::vector<int>> pairTermsOfElement;
    std::vector<RadialGroup> radial;
    std::vector<AngularGroup> angular;
    double maxCutoff = 0.0;                   // largest rc of any function

    std::size_t numFunctions() const { return functions.size(); }
};

// Groups the functions of centre element `element` (given in n2p2 order; validated by the settings reader).
ElementGroups groupSymmetryFunctions(int element, const std::vector<SymmetryFunction>& functions);

}  // namespace agl
