// Grouped evaluation of one atom's symmetry functions. Order of work per centre atom i:
//   1. local neighbours (r < largest cutoff), their unit vectors and derivative entries
//   2. per neighbour: fc once per distinct cutoff, then a = exp(−η(r − rs)²)·fc once per distinct (η, rs)
//   3. radial groups: sums of a over the neighbours of each element
//   4. angular groups: per unordered pair {j,k} one cos θ, one power per distinct ζ for λ = ±1 (continued
//      from the previous ζ by repeated multiplication), then each member is a product of numbers at hand.
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

namespace {

void collectNeighbors(const ElementGroups& groups, const std::vector<int>& elements, const NeighborList& list,
                      std::size_t i, bool derivatives, AtomScratch& s) {
    s.atom.clear();
    s.element.clear();
    s.unit.clear();
    s.r.clear();
    s.invR.clear();
    s.slot.clear();
    s.entryAtom.clear();
    if (derivatives) {
        if (s.slotOfAtom.size() < elements.size()) s.slotOfAtom.resize(elements.size(), -1);
        s.entryAtom.push_back(static_cast<std::uint32_t>(i));
        s.slotOfAtom[i] = 0;
    }
    for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p) {
        const double r = list.distance[p];
        if (r >= groups.maxCutoff) continue;
        const std::uint32_t j = list.index[p];
        s.atom.push_back(j);
        s.element.push_back(elements[j]);
        s.r.push_back(r);
        s.invR.push_back(1.0 / r);
        s.unit.push_back((1.0 / r) * list.delta[p]);
        if (derivatives) {
            if (s.slotOfAtom[j] < 0) {
                s.slotOfAtom[j] = static_cast<int>(s.entryAtom.size());
                s.entryAtom.push_back(j);
            }
            s.slot.push_back(s.slotOfAtom[j]);
        }
    }
    if (derivatives)
        for (std::uint32_t k : s.entryAtom) s.slotOfAtom[k] = -1;
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
            pairFactor(t.eta, t.rs, r, s.fc[t.cutoff], s.dfc[t.cutoff], s.a[n * numTerms + q],
                       s.da[n * numTerms + q]);
        }
    }
}

void addRadial(const ElementGroups& groups, bool derivatives, AtomScratch& s, double* g) {
    const std::size_t numTerms = groups.pairTerms.size(), nf = groups.numFunctions();
    for (const RadialGroup& rg : groups.radial)
        for (std::size_t n = 0; n < s.atom.size(); ++n) {
            if (s.element[n] != rg.e1 || s.r[n] >= rg.rc) continue;
            const double* a = &s.a[n * numTerms];
            for (const RadialMember& m : rg.members) g[m.column] += a[m.pairTerm];
            if (!derivatives) continue;
            const double* da = &s.da[n * numTerms];
            double* d = &s.dG[static_cast<std::size_t>(s.slot[n]) * 3 * nf];
            const Vec3d u = s.unit[n];
            for (const RadialMember& m : rg.members) {
                const double v = da[m.pairTerm];
                d[m.column] += v * u.x;
                d[nf + m.column] += v * u.y;
                d[2 * nf + m.column] += v * u.z;
            }
        }
}

// Scaled powers 2^(1−ζ)(1 ± cos)^ζ and their cos-derivatives for every ζ of the group, ascending ζ.
void computePowers(const AngularGroup& ag, double c, AtomScratch& s) {
    for (int sign = 0; sign < 2; ++sign) {
        const double base = sign == 0 ? 1.0 + c : 1.0 - c;
        const double lambda = sign == 0 ? 1.0 : -1.0;
        double pm1 = 1.0;  // base^(ζ−1), carried from the previous integer ζ
        int done = 0;
        for (std::size_t z = 0; z < ag.zetas.size(); ++z) {
            double p = 0.0, dp = 0.0;
            if (base > 0.0) {
                if (ag.zetaInt[z] > 0) {
                    pm1 *= integerPower(base, ag.zetaInt[z] - 1 - done);
                    done = ag.zetaInt[z] - 1;
                    p = pm1 * base;
                    dp = ag.zetas[z] * pm1;
                } else {
                    angularPower(base, ag.zetas[z], 0, p, dp);
                }
            }
            s.power[2 * z + sign] = ag.zetaScales[z] * p;
            s.dpower[2 * z + sign] = ag.zetaScales[z] * dp * lambda;
        }
    }
}

// One unordered neighbour pair {j, k} of an angular group.
void addTriplet(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs, const AngularGroup& ag,
                int j, int k, const Vec3d* djk, double rjk, bool derivatives, AtomScratch& s, double* g) {
    const std::size_t numTerms = groups.pairTerms.size(), nf = groups.numFunctions();
    const Vec3d uj = s.unit[j], uk = s.unit[k];
    const double c = dot(uj, uk);
    computePowers(ag, c, s);
    const double* aj = &s.a[j * numTerms];
    const double* ak = &s.a[k * numTerms];
    const double* daj = &s.da[j * numTerms];
    const double* dak = &s.da[k * numTerms];
    const bool narrow = djk != nullptr;
    double* gradJ = derivatives ? &s.dG[static_cast<std::size_t>(s.slot[j]) * 3 * nf] : nullptr;
    double* gradK = derivatives ? &s.dG[static_cast<std::size_t>(s.slot[k]) * 3 * nf] : nullptr;
    int lastTerm = -1;
    double w = 0, wj = 0, wk = 0, ajk = 1, dajk = 0;
    for (const AngularMember& m : ag.members) {
        if (m.pairTerm != lastTerm) {  // members come sorted by pair term
            lastTerm = m.pairTerm;
            if (narrow) {
                const PairTerm& t = groups.pairTerms[m.pairTerm];
                double f, df;
                cutoffs[t.cutoff].valueAndDerivative(rjk, f, df);
                ajk = dajk = 0.0;
                if (f != 0.0) pairFactor(t.eta, t.rs, rjk, f, df, ajk, dajk);
            }
            w = aj[m.pairTerm] * ak[m.pairTerm] * ajk;
            wj = daj[m.pairTerm] * ak[m.pairTerm] * ajk;
            wk = aj[m.pairTerm] * dak[m.pairTerm] * ajk;
        }
        if (w == 0.0 && !derivatives) continue;
        const int pi = 2 * m.zeta + (m.lambda > 0 ? 0 : 1);
        const double p = s.power[pi];
        g[m.column] += p * w;
        if (!derivatives) continue;
        const double dtdCos = s.dpower[pi] * w;
        const double bj = dtdCos * s.invR[j], bk = dtdCos * s.invR[k];
        const double cj = p * wj - bj * c, ck = p * wk - bk * c;
        Vec3d gj = cj * uj + bj * uk, gk = ck * uk + bk * uj;
        if (narrow) {
            const Vec3d ujk = (p * aj[m.pairTerm] * ak[m.pairTerm] * dajk / rjk) * *djk;
            gj = gj - ujk;
            gk = gk + ujk;
        }
        for (int x = 0; x < 3; ++x) {
            gradJ[x * nf + m.column] += gj[x];
            gradK[x * nf + m.column] += gk[x];
        }
    }
}

void addAngular(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs, bool derivatives,
                AtomScratch& s, double* g) {
    for (const AngularGroup& ag : groups.angular) {
        s.first.clear();
        s.second.clear();
        for (std::size_t n = 0; n < s.atom.size(); ++n) {
            if (s.r[n] >= ag.rc) continue;
            if (s.element[n] == ag.e1) s.first.push_back(static_cast<int>(n));
            else if (s.element[n] == ag.e2) s.second.push_back(static_cast<int>(n));
        }
        s.power.resize(2 * ag.zetas.size());
        s.dpower.resize(2 * ag.zetas.size());
        const bool same = ag.e1 == ag.e2;
        const std::vector<int>& others = same ? s.first : s.second;
        for (std::size_t a = 0; a < s.first.size(); ++a)
            for (std::size_t b = same ? a + 1 : 0; b < others.size(); ++b) {
                const int j = s.first[a], k = others[b];
                if (ag.type == 9) {
                    addTriplet(groups, cutoffs, ag, j, k, nullptr, 0.0, derivatives, s, g);
                    continue;
                }
                const Vec3d djk = s.r[k] * s.unit[k] - s.r[j] * s.unit[j];
                const double rjk = norm(djk);
                if (rjk >= ag.rc) continue;
                addTriplet(groups, cutoffs, ag, j, k, &djk, rjk, derivatives, s, g);
            }
    }
}

}  // namespace

void computeAtom(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs,
                 const std::vector<int>& elements, const NeighborList& list, std::size_t i, bool derivatives,
                 AtomScratch& s, double* g) {
    const std::size_t nf = groups.numFunctions();
    std::fill(g, g + nf, 0.0);
    collectNeighbors(groups, elements, list, i, derivatives, s);
    if (derivatives) s.dG.assign(s.entryAtom.size() * 3 * nf, 0.0);
    computePairFactors(groups, cutoffs, s);
    addRadial(groups, derivatives, s, g);
    addAngular(groups, cutoffs, derivatives, s, g);
    if (!derivatives) return;
    // Entry 0 (the centre): minus the sum of every other entry; contributions of i's own images cancel.
    double* self = s.dG.data();
    std::fill(self, self + 3 * nf, 0.0);
    for (std::size_t e = 1; e < s.entryAtom.size(); ++e) {
        const double* d = &s.dG[e * 3 * nf];
        for (std::size_t v = 0; v < 3 * nf; ++v) self[v] -= d[v];
    }
}

}  // namespace agl::features
