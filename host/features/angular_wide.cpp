// Type 9 (wide angular) groups of the CPU kernel. The term of one function on the triplet (i, j, k) is
//   t = s · P(cos θ_jk) · a_j · a_k,   P = (1 + λ cos)^ζ (0 where the base <= 0),  s = 2^(1−ζ),
// with a = exp(−η(r − rs)²)·fc(r) a per-neighbour factor (computed once per pair and term, atom_features.cpp).
// For a fixed j everything is a sum over k of per-k numbers, so the work is organised as
//   per j:   cos θ_jk for every k, then base^(ζ−1) and base^ζ for every ζ and λ = ±1 as arrays over k
//            (ascending ζ continue one another; 1, 2, 4, 8, 16 is one multiplication each),
//   per run of members sharing (η, rs, cutoff), per member: a few sums over k (contiguous, vectorisable).
// Derivatives (chain rule through r_j, r_k and cos θ, ∂cos/∂d_j = (u_k − cos·u_j)/r_j):
//   ∂/∂d_j Σ_k t_jk = s[(a'_j S − λζ a_j Y_c / r_j) u_j + (λζ a_j / r_j) Y],
//   S = Σ_k P_k a_k,  Y_c = Σ_k q_k a_k cos_jk,  Y = Σ_k q_k a_k u_k,  q = base^(ζ−1),
// so each j collects its own gradient from sums only, when j runs over ALL other k (every unordered triplet
// is visited twice: once as (j, k), once as (k, j)); no per-triplet scattered writes. Energies only: k > j.
#include <cmath>

#include "agl/symmetry_function_terms.hpp"
#include "atom_features.hpp"

// The hot loops below run over plain arrays of doubles; on x86-64 their functions are also compiled for
// AVX2 + FMA (x86-64-v3) and the variant is picked at run time, so the default build stays portable (no -march).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define AGL_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define AGL_VECTOR_CLONES
#endif

namespace agl::features {
namespace {

// The group's neighbours as contiguous arrays: the e1 list first, then (e1 ≠ e2) the e2 list. Returns the
// length of the e1 list.
std::size_t gatherGroup(const AngularGroup& ag, AtomScratch& s) {
    s.member.clear();
    for (std::size_t n = 0; n < s.atom.size(); ++n)
        if (s.element[n] == ag.e1 && s.r[n] < ag.rc) s.member.push_back(static_cast<int>(n));
    const std::size_t n1 = s.member.size();
    if (ag.e1 != ag.e2)
        for (std::size_t n = 0; n < s.atom.size(); ++n)
            if (s.element[n] == ag.e2 && s.r[n] < ag.rc) s.member.push_back(static_cast<int>(n));
    const std::size_t count = s.member.size(), numLocal = s.atom.size();
    s.gx.resize(count);
    s.gy.resize(count);
    s.gz.resize(count);
    s.ginvR.resize(count);
    for (std::size_t m = 0; m < count; ++m) {
        const int n = s.member[m];
        s.gx[m] = s.ux[n];
        s.gy[m] = s.uy[n];
        s.gz[m] = s.uz[n];
        s.ginvR[m] = s.invR[n];
    }
    // Runs of members sharing a pair term (members come sorted by pair term) and their pair factors.
    s.blockTerm.clear();
    s.blockBegin.clear();
    for (std::size_t m = 0; m < ag.members.size(); ++m)
        if (m == 0 || ag.members[m].pairTerm != ag.members[m - 1].pairTerm) {
            s.blockTerm.push_back(ag.members[m].pairTerm);
            s.blockBegin.push_back(static_cast<int>(m));
        }
    s.blockBegin.push_back(static_cast<int>(ag.members.size()));
    s.ga.resize(s.blockTerm.size() * count);
    s.gda.resize(s.blockTerm.size() * count);
    for (std::size_t b = 0; b < s.blockTerm.size(); ++b)
        for (std::size_t m = 0; m < count; ++m) {
            s.ga[b * count + m] = s.a[s.blockTerm[b] * numLocal + s.member[m]];
            s.gda[b * count + m] = s.da[s.blockTerm[b] * numLocal + s.member[m]];
        }
    s.blockA.resize(s.blockTerm.size());
    s.blockDa.resize(s.blockTerm.size());
    s.cosine.resize(count);
    s.basePlus.resize(count);
    s.baseMinus.resize(count);
    s.pm1.resize(2 * ag.zetas.size() * count);
    s.pw.resize(2 * ag.zetas.size() * count);
    return n1;
}

// Number of doublings from integer ζ prev to next (next = prev·2^m), or −1 (also when either is 0).
int doublings(int prev, int next) {
    if (prev <= 0 || next <= 0) return -1;
    int m = 0;
    while (prev > 0 && prev < next) {
        prev *= 2;
        ++m;
    }
    return prev == next ? m : -1;
}

// out[k] = base[k]^e (e ≥ 1) for k in [k0, k1) by binary powering of the whole row: one contiguous,
// vectorised pass per bit of e instead of a data-dependent loop per element (ζ = 16 alone: 8 passes).
// `square` is scratch of the same length.
AGL_VECTOR_CLONES void rowPower(const double* base, int e, double* __restrict out, double* __restrict square,
                                std::size_t k0, std::size_t k1) {
    for (std::size_t k = k0; k < k1; ++k) square[k] = base[k];
    bool started = false;
    while (true) {
        if (e & 1) {
            if (started)
                for (std::size_t k = k0; k < k1; ++k) out[k] *= square[k];
            else
                for (std::size_t k = k0; k < k1; ++k) out[k] = square[k];
            started = true;
        }
        e >>= 1;
        if (!e) break;
        for (std::size_t k = k0; k < k1; ++k) square[k] *= square[k];
    }
}

// Row (2z + sign) of the power tables for k in [k0, k1): base^(ζ−1) (only when wantPm1: energies need
// base^ζ alone) and base^ζ, base = max(1 ± cos, 0), continued from the previous integer ζ (rows prevPm1,
// prevP) where there is one.
AGL_VECTOR_CLONES void powerRow(const AngularGroup& ag, std::size_t z, int prev, const double* base, const double* prevPm1,
              const double* prevP, double* __restrict pm1, double* __restrict p, std::size_t k0, std::size_t k1,
              bool wantPm1) {
    const int n = ag.zetaInt[z];
    const int m = doublings(prev, n);
    if (m >= 0) {  // squaring chain (ζ = 1, 2, 4, 8, 16): contiguous, vectorised; first doubling out of place
        if (wantPm1)
            for (std::size_t k = k0; k < k1; ++k) {
                pm1[k] = prevPm1[k];
                p[k] = prevP[k];
                doubleZeta(pm1[k], p[k]);
            }
        else
            for (std::size_t k = k0; k < k1; ++k) p[k] = prevP[k] * prevP[k];
        for (int d = 1; d < m; ++d)
            if (wantPm1)
                for (std::size_t k = k0; k < k1; ++k) doubleZeta(pm1[k], p[k]);
            else
                for (std::size_t k = k0; k < k1; ++k) p[k] *= p[k];
    } else if (n > 0 && prev > 0) {  // other integer steps (ζ = 1, 3, 5 ...)
        for (std::size_t k = k0; k < k1; ++k) {
            if (!wantPm1) {
                p[k] = prevP[k] * integerPower(base[k], n - prev);
                continue;
            }
            pm1[k] = nextIntegerPower(base[k], prev, n, prevPm1[k], prevP[k]);
            p[k] = pm1[k] * base[k];
        }
    } else if (n > 1) {  // start of the chain at ζ ≥ 2: base ≥ 0, so base = 0 gives P' = 0 with no branch
        if (wantPm1) {
            rowPower(base, n - 1, pm1, p, k0, k1);  // p is scratch here
            for (std::size_t k = k0; k < k1; ++k) p[k] = pm1[k] * base[k];
        } else {
            rowPower(base, n, p, pm1, k0, k1);
        }
    } else if (n == 1) {  // base^0 = 1 must still give P' = 0 where base <= 0
        for (std::size_t k = k0; k < k1; ++k) {
            pm1[k] = base[k] > 0.0 ? 1.0 : 0.0;
            p[k] = base[k];
        }
    } else {  // non-integer ζ: pow(), outside the chain
        for (std::size_t k = k0; k < k1; ++k) {
            double dp = 0.0;
            angularPower(base[k], ag.zetas[z], 0, p[k], dp);
            pm1[k] = dp / ag.zetas[z];
        }
    }
}

// cos θ_jk, then base^(ζ−1) and base^ζ (base = 1 ± cos, both 0 where base <= 0) for k in [k0, k1).
AGL_VECTOR_CLONES void computePowerTables(const AngularGroup& ag, std::size_t j, std::size_t k0, std::size_t k1, bool wantPm1,
                        AtomScratch& s) {
    const std::size_t count = s.member.size();
    const double *x = s.gx.data(), *y = s.gy.data(), *z = s.gz.data();
    const double xj = x[j], yj = y[j], zj = z[j];
    double *c = s.cosine.data(), *plus = s.basePlus.data(), *minus = s.baseMinus.data();
#pragma omp simd
    for (std::size_t k = k0; k < k1; ++k) {
        c[k] = xj * x[k] + yj * y[k] + zj * z[k];
        plus[k] = std::max(1.0 + c[k], 0.0);
        minus[k] = std::max(1.0 - c[k], 0.0);
    }
    for (int sign = 0; sign < 2; ++sign) {
        if (!ag.usesSign[sign]) continue;
        const double* base = sign == 0 ? plus : minus;
        const double *prevPm1 = nullptr, *prevP = nullptr;
        int prev = 0;  // previous integer ζ of the chain
        for (std::size_t zi = 0; zi < ag.zetas.size(); ++zi) {
            double* pm1 = &s.pm1[(2 * zi + sign) * count];
            double* p = &s.pw[(2 * zi + sign) * count];
            powerRow(ag, zi, prev, base, prevPm1, prevP, pm1, p, k0, k1, wantPm1);
            if (ag.zetaInt[zi] == 0) continue;
            prev = ag.zetaInt[zi];
            prevPm1 = pm1;
            prevP = p;
        }
    }
}

// Energies only: G += s · a_j · Σ_{k in [k0, k1)} P_k a_k for every member.
AGL_VECTOR_CLONES void addEnergies(const AngularGroup& ag, std::size_t j, std::size_t k0, std::size_t k1, AtomScratch& s,
                 double* g) {
    const std::size_t count = s.member.size();
    for (std::size_t b = 0; b + 1 < s.blockBegin.size(); ++b) {
        const double* a = &s.ga[b * count];
        const double aj = a[j];
        for (int mi = s.blockBegin[b]; mi < s.blockBegin[b + 1]; ++mi) {
            const AngularMember& m = ag.members[mi];
            const double* p = &s.pw[(2 * m.zeta + (m.lambda > 0 ? 0 : 1)) * count];
            double sum = 0.0;
#pragma omp simd reduction(+ : sum)
            for (std::size_t k = k0; k < k1; ++k) sum += p[k] * a[k];
            g[m.column] += ag.zetaScales[m.zeta] * aj * sum;
        }
    }
}

// Energies (times energyWeight) and the gradient of j's entry from the sums over k in [k0, k1); the caller
// sets a_j to 0 when j itself is in the range.
AGL_VECTOR_CLONES void addWithGradient(const ElementGroups& groups, const AngularGroup& ag, std::size_t j, const double* aj,
                     const double* daj, std::size_t k0, std::size_t k1, double energyWeight, AtomScratch& s, double* g, double* dG) {
    const std::size_t count = s.member.size(), nf = groups.numFunctions();
    const double* c = s.cosine.data();
    const double *x = s.gx.data(), *y = s.gy.data(), *z = s.gz.data();
    double* d = dG + static_cast<std::size_t>(s.slot[s.member[j]]) * 3 * nf;
    for (std::size_t b = 0; b + 1 < s.blockBegin.size(); ++b) {
        const double* a = &s.ga[b * count];
        for (int mi = s.blockBegin[b]; mi < s.blockBegin[b + 1]; ++mi) {
            const AngularMember& m = ag.members[mi];
            const std::size_t row = (2 * m.zeta + (m.lambda > 0 ? 0 : 1)) * count;
            const double *p = &s.pw[row], *q = &s.pm1[row];
            double sum = 0.0, yc = 0.0, yx = 0.0, yy = 0.0, yz = 0.0;
#pragma omp simd reduction(+ : sum, yc, yx, yy, yz)
            for (std::size_t k = k0; k < k1; ++k) {
                const double w = q[k] * a[k];
                sum += p[k] * a[k];
                yc += w * c[k];
                yx += w * x[k];
                yy += w * y[k];
                yz += w * z[k];
            }
            const double scale = ag.zetaScales[m.zeta];
            g[m.column] += energyWeight * scale * aj[b] * sum;
            const double lz = m.lambda * ag.zetas[m.zeta];
            const double radial = scale * (daj[b] * sum - lz * aj[b] * yc * s.ginvR[j]);
            const double across = scale * lz * aj[b] * s.ginvR[j];
            d[m.column] += radial * x[j] + across * yx;
            d[nf + m.column] += radial * y[j] + across * yy;
            d[2 * nf + m.column] += radial * z[j] + across * yz;
        }
    }
}

// Derivative pass of centre neighbour j over [k0, k1), which may contain j (then a_j is hidden meanwhile:
// t_jj would pair a neighbour with itself).
void gradientPass(const ElementGroups& groups, const AngularGroup& ag, std::size_t j, std::size_t k0,
                  std::size_t k1, double energyWeight, AtomScratch& s, double* g, double* dG) {
    const std::size_t count = s.member.size(), numBlocks = s.blockTerm.size();
    double* aj = s.blockA.data();
    double* daj = s.blockDa.data();
    const bool self = j >= k0 && j < k1;
    for (std::size_t b = 0; b < numBlocks; ++b) {
        aj[b] = s.ga[b * count + j];
        daj[b] = s.gda[b * count + j];
        if (self) s.ga[b * count + j] = 0.0;
    }
    computePowerTables(ag, j, k0, k1, true, s);
    addWithGradient(groups, ag, j, aj, daj, k0, k1, energyWeight, s, g, dG);
    if (self)
        for (std::size_t b = 0; b < numBlocks; ++b) s.ga[b * count + j] = aj[b];
}

// Every j of the group (n1 = length of the e1 list).
void wideGroupPasses(const ElementGroups& groups, const AngularGroup& ag, std::size_t n1,
                                       AtomScratch& s, double* g, double* dG) {
    const std::size_t count = s.member.size();
    const bool same = ag.e1 == ag.e2;
    if (!dG) {  // each unordered pair {j, k} once
        for (std::size_t j = 0; j < n1; ++j) {
            const std::size_t k0 = same ? j + 1 : n1, k1 = same ? n1 : count;
            if (k0 >= k1) continue;
            computePowerTables(ag, j, k0, k1, false, s);
            addEnergies(ag, j, k0, k1, s, g);
        }
        return;
    }
    if (same) {  // every ordered pair: each triplet twice, so half of its energy each time
        for (std::size_t j = 0; j < n1; ++j) gradientPass(groups, ag, j, 0, n1, 0.5, s, g, dG);
        return;
    }
    for (std::size_t j = 0; j < n1; ++j) gradientPass(groups, ag, j, n1, count, 1.0, s, g, dG);
    for (std::size_t j = n1; j < count; ++j) gradientPass(groups, ag, j, 0, n1, 0.0, s, g, dG);
}

}  // namespace

void addWideGroup(const ElementGroups& groups, const AngularGroup& ag, AtomScratch& s, double* g, double* dG) {
    const std::size_t n1 = gatherGroup(ag, s);
    wideGroupPasses(groups, ag, n1, s, g, dG);
}

}  // namespace agl::features
