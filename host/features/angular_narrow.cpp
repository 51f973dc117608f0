// Type 3 (narrow angular) groups of the CPU kernel: per unordered neighbour pair {j, k} with r_jk < rc one
// cos θ, one power per distinct ζ for λ = ±1 (continued from the previous ζ), then each member is a product
// of numbers at hand. The extra factor a_jk = exp(−η(r_jk − rs)²)·fc(r_jk) depends on the triplet, so unlike
// type 9 (angular_wide.cpp) nothing factorises per pair and these groups keep the direct per-triplet form
// (none in the paper's sets, but most published n2p2 potentials use type 3, e.g. n2p2's water examples);
// fc(r_jk), a tanh or exp for most cutoff types, is computed once per triplet for all pair terms of the group.
#include <cmath>

#include "agl/symmetry_function_terms.hpp"
#include "atom_features.hpp"

namespace agl::features {
namespace {

// Scaled powers 2^(1−ζ)(1 ± cos)^ζ and their cos-derivatives for every ζ of the group, ascending ζ.
void computePowers(const AngularGroup& ag, double c, AtomScratch& s) {
    for (int sign = 0; sign < 2; ++sign) {
        const double base = sign == 0 ? 1.0 + c : 1.0 - c;
        const double lambda = sign == 0 ? 1.0 : -1.0;
        double pm1 = 1.0, pChain = 1.0;  // base^(prev−1), base^prev of the integer chain
        int prev = 0;                     // previous integer ζ of the chain
        for (std::size_t z = 0; z < ag.zetas.size(); ++z) {
            double p = 0.0, dp = 0.0;
            if (base > 0.0) {
                if (ag.zetaInt[z] > 0) {
                    pm1 = nextIntegerPower(base, prev, ag.zetaInt[z], pm1, pChain);
                    prev = ag.zetaInt[z];
                    pChain = p = pm1 * base;
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

struct Triplet {
    int j, k;
    Vec3d uj, uk, djk;  // unit vectors; d_k − d_j
    double rjk;
};

void addTriplet(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs, const AngularGroup& ag,
                const Triplet& t, AtomScratch& s, double* g, double* dG) {
    const std::size_t numLocal = s.atom.size(), nf = groups.numFunctions();
    const int j = t.j, k = t.k;
    const double c = dot(t.uj, t.uk);
    computePowers(ag, c, s);
    double* gradJ = dG ? dG + static_cast<std::size_t>(s.slot[j]) * 3 * nf : nullptr;
    double* gradK = dG ? dG + static_cast<std::size_t>(s.slot[k]) * 3 * nf : nullptr;
    int lastTerm = -1, lastCutoff = -1;
    double aj = 0, ak = 0, w = 0, wj = 0, wk = 0, ajk = 0, dajk = 0, f = 0, df = 0;
    for (const AngularMember& m : ag.members) {
        if (m.pairTerm != lastTerm) {  // members come sorted by pair term
            lastTerm = m.pairTerm;
            const PairTerm& term = groups.pairTerms[m.pairTerm];
            if (term.cutoff != lastCutoff) {  // the terms of a group share rc: fc(r_jk) once per triplet
                lastCutoff = term.cutoff;
                cutoffs[term.cutoff].valueAndDerivative(t.rjk, f, df);
            }
            ajk = dajk = 0.0;
            if (f != 0.0) pairFactor(term.eta, term.rs, t.rjk, f, df, ajk, dajk);
            const std::size_t q = static_cast<std::size_t>(m.pairTerm) * numLocal;
            aj = s.a[q + j];
            ak = s.a[q + k];
            w = aj * ak * ajk;
            wj = s.da[q + j] * ak * ajk;
            wk = aj * s.da[q + k] * ajk;
        }
        if (w == 0.0 && !dG) continue;
        const int pi = 2 * m.zeta + (m.lambda > 0 ? 0 : 1);
        const double p = s.power[pi];
        g[m.column] += p * w;
        if (!dG) continue;
        const double dtdCos = s.dpower[pi] * w;
        const double bj = dtdCos * s.invR[j], bk = dtdCos * s.invR[k];
        const double cj = p * wj - bj * c, ck = p * wk - bk * c;
        const Vec3d ujk = (p * aj * ak * dajk / t.rjk) * t.djk;
        const Vec3d gj = cj * t.uj + bj * t.uk - ujk, gk = ck * t.uk + bk * t.uj + ujk;
        for (int x = 0; x < 3; ++x) {
            gradJ[x * nf + m.column] += gj[x];
            gradK[x * nf + m.column] += gk[x];
        }
    }
}

}  // namespace

void addNarrowGroup(const ElementGroups& groups, const std::vector<Cutoff<double>>& cutoffs,
                    const AngularGroup& ag, AtomScratch& s, double* g, double* dG) {
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
            Triplet t;
            t.j = s.first[a];
            t.k = others[b];
            t.uj = Vec3d{s.ux[t.j], s.uy[t.j], s.uz[t.j]};
            t.uk = Vec3d{s.ux[t.k], s.uy[t.k], s.uz[t.k]};
            t.djk = s.r[t.k] * t.uk - s.r[t.j] * t.uj;
            t.rjk = norm(t.djk);
            if (t.rjk >= ag.rc) continue;
            addTriplet(groups, cutoffs, ag, t, s, g, dG);
        }
}

}  // namespace agl::features
