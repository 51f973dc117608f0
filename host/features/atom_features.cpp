// Grouped evaluation of one atom's symmetry functions. Order of work per centre atom i:
//   1. local neighbours (r < largest cutoff): unit vectors, 1/r and derivative entries, as arrays
//   2. per neighbour: fc once per distinct cutoff, then a = exp(−η(r − rs)²)·fc once per distinct (η, rs)
//   3. radial groups: sums of a over the neighbours of each element
//   4. angular groups: angular_wide.cpp (type 9) and angular_narrow.cpp (type 3)
// Derivatives go to the neighbour's entry; the centre's entry is minus the sum of all others at the end
// (G depends on positions only through r_j − r_i, and images of i itself move with i).
#include "atom_features.hpp"

#include <algorithm>

#include "agl/symmetry_function_terms.hpp"

namespace agl::features {

std::vector<Cutoff<double>> makeCutoffs(const ElementGroups& groups) {
    std::vector<Cutoff<double>> out;
    for (const auto& c : groups.cutoffs) out.push_back(makeCutoff<double>(c.type, c.rc, c.alpha));
    return out;
}

std::size_t countEntries(const ElementGroups& groups, const NeighborList& list, std::size_t i, AtomScratch& s) {
    if (s.slotOfAtom.size() < list.numAtoms()) s.slotOfAtom.resize(list.numAtoms(), -1);
    std::size_t count = 1;
    s.slotOfAtom[i] = 0;
    for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p)
        if (list.distance[p] < groups.maxCutoff && s.slotOfAtom[list.index[p]] < 0) {
            s.slotOfAtom[list.index[p]] = 0;
            ++count;
        }
    s.slotOfAtom[i] = -1;  // reset the marks (only the ones set above)
    for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p) s.slotOfAtom[list.index[p]] = -1;
    return count;
}

namespace {

void collectNeighbors(const ElementGroups& groups, const std::vector<int>& elements, const NeighborList& list,
                      std::size_t i, std::uint32_t* entryAtom, AtomScratch& s) {
    const std::uint32_t begin = list.offsets[i], end = list.offsets[i + 1];
    s.atom.clear();
    s.element.clear();
    s.r.clear();
    s.slot.clear();
    for (std::uint32_t p = begin; p < end; ++p) {
        if (list.distance[p] >= groups.maxCutoff) continue;
        s.atom.push_back(list.index[p]);
        s.element.push_back(elements[list.index[p]]);
        s.r.push_back(list.distance[p]);
    }
    const std::size_t n = s.atom.size();
    s.ux.resize(n);
    s.uy.resize(n);
    s.uz.resize(n);
    s.invR.resize(n);
    std::size_t local = 0;
    for (std::uint32_t p = begin; p < end; ++p) {
        if (list.distance[p] >= groups.maxCutoff) continue;
        const double inv = 1.0 / list.distance[p];
        s.invR[local] = inv;
        s.ux[local] = inv * list.delta[p].x;
        s.uy[local] = inv * list.delta[p].y;
        s.uz[local] = inv * list.delta[p].z;
        ++local;
    }
    if (!entryAtom) return;
    // Derivative entries: images of one atom share the entry of that atom.
    if (s.slotOfAtom.size() < elements.size()) s.slotOfAtom.resize(elements.size(), -1);
    std::uint32_t numEntries = 1;
    entryAtom[0] = static_cast<std::uint32_t>(i);
    s.slotOfAtom[i] = 0;
    for (std::uint32_t j : s.atom) {
        if (s.slotOfAtom[j] < 0) {
            s.slotOfAtom[j] = static_cast<int>(numEntries);
            entryAtom[numEntries++] = j;
        }
        s.slot.push_back(s.slotOfAtom[j]);
    }
    for (std::uint32_t e = 0; e < numEntries; ++e) s.slotOfAtom[entryAtom[e]] = -1;
}

void computePairFactors(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs,
                        AtomScratch& s) {
    const std::size_t numLocal = s.atom.size(), numTerms = groups.pairTerms.size();
    s.a.assign(numLocal * numTerms, 0.0);
    s.da.assign(numLocal * numTerms, 0.0);
    s.fc.resize(cutoffs.size());
    s.dfc.resize(cutoffs.size());
    s.fcStamp.assign(cutoffs.size(), -1);
    for (std::size_t n = 0; n < numLocal; ++n) {
        const double r = s.r[n];
        for (int q : groups.pairTermsOfElement[s.element[n]]) {
            const PairTerm& t = groups.pairTerms[q];
            if (s.fcStamp[t.cutoff] != static_cast<int>(n)) {
                cutoffs[t.cutoff].valueAndDerivative(r, s.fc[t.cutoff], s.dfc[t.cutoff]);
                s.fcStamp[t.cutoff] = static_cast<int>(n);
            }
            if (s.fc[t.cutoff] == 0.0) continue;  // beyond this cutoff: a = da = 0
            pairFactor(t.eta, t.rs, r, s.fc[t.cutoff], s.dfc[t.cutoff], s.a[q * numLocal + n],
                       s.da[q * numLocal + n]);
        }
    }
}

void addRadial(const ElementGroups& groups, AtomScratch& s, double* g, double* dG) {
    const std::size_t numLocal = s.atom.size(), nf = groups.numFunctions();
    for (const RadialGroup& rg : groups.radial)
        for (std::size_t n = 0; n < numLocal; ++n) {
            if (s.element[n] != rg.e1 || s.r[n] >= rg.rc) continue;
            for (const RadialMember& m : rg.members) g[m.column] += s.a[m.pairTerm * numLocal + n];
            if (!dG) continue;
            double* d = dG + static_cast<std::size_t>(s.slot[n]) * 3 * nf;
            for (const RadialMember& m : rg.members) {
                const double v = s.da[m.pairTerm * numLocal + n];
                d[m.column] += v * s.ux[n];
                d[nf + m.column] += v * s.uy[n];
                d[2 * nf + m.column] += v * s.uz[n];
            }
        }
}

}  // namespace

void computeAtom(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs,
                 const std::vector<int>& elements, const NeighborList& list, std::size_t i, AtomScratch& s,
                 double* g, std::uint32_t* entryAtom, double* dG) {
    const std::size_t nf = groups.numFunctions();
    std::fill(g, g + nf, 0.0);
    collectNeighbors(groups, elements, list, i, dG ? entryAtom : nullptr, s);
    std::size_t numEntries = 1;
    for (int e : s.slot) numEntries = std::max<std::size_t>(numEntries, e + 1);
    if (dG) std::fill(dG, dG + numEntries * 3 * nf, 0.0);
    computePairFactors(groups, cutoffs, s);
    addRadial(groups, s, g, dG);
    for (const AngularGroup& ag : groups.angular) {
        if (ag.type == 9) addWideGroup(groups, ag, s, g, dG);
        else addNarrowGroup(groups, cutoffs, ag, s, g, dG);
    }
    if (!dG) return;
    // Entry 0 (the centre): minus the sum of every other entry; contributions of i's own images cancel.
    std::fill(dG, dG + 3 * nf, 0.0);
    for (std::size_t e = 1; e < numEntries; ++e) {
        const double* d = dG + e * 3 * nf;
        for (std::size_t v = 0; v < 3 * nf; ++v) dG[v] -= d[v];
    }
}

}  // namespace agl::features
