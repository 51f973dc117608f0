// Per-pair and per-triplet math of the Behler–Parrinello symmetry functions (n2p2 types 2, 3, 9), shared by
// the CPU engine (host/features/) and the CUDA kernels (cuda/). T = float or double; all AGL_HD, no allocation.
// Formulas: ../shared/reference/n2p2-conventions.md §1. Vectors d = r_j + shift − r_i (length), r = |d|.
//
// API
//   pairFactor(eta, rs, r, fc, dfc, a, da)   a = exp(−η(r − rs)²)·fc(r), da = da/dr.
//       The radial term of type 2 AND the per-neighbour factor of the angular types (the exponential of a sum
//       factorises), so it is computed once per (pair, distinct η, rs, cutoff) and reused by every function.
//   integerZeta(zeta)                        ζ as int when it is an integer in [1, 1024], else 0 (host side).
//   integerPower(base, n)                    base^n, n >= 0, by repeated multiplication (squaring).
//   angularPower(base, zeta, izeta, p, dp)   p = base^ζ for base > 0 else 0; dp = dp/dbase.
//       base = 1 + λ cos θ. izeta > 0 takes the integer path (no pow()), izeta = 0 uses pow().
//   nextIntegerPower(base, prev, next, pm1Prev, pPrev)
//                                            base^(next−1) continued from the previous integer ζ of a group
//       (pm1Prev = base^(prev−1), pPrev = base^prev; prev = 0 starts the chain). ζ = 1, 2, 4, 8, 16 is a
//       squaring chain: base^(2n−1) = base^(n−1)·base^n, one multiplication per ζ. Same numbers as
//       angularPower's integer path (up to rounding), for kernels that need every ζ of a group at once.
//   doubleZeta(pm1, p)                       (base^(ζ−1), base^ζ) → (base^(2ζ−1), base^2ζ): two multiplications.
//   zetaScale(zeta)                          2^(1−ζ).
//   cosTheta(dj, invRj, dk, invRk)           cos θ_ijk = (d_j·d_k)/(r_j r_k).
//   tripletGradient(...)                     chain rule: for a triplet term t(r_j, r_k, cos θ[, r_jk]) with
//       coefficients ∂t/∂cos, ∂t/∂r_j, ∂t/∂r_k (and ∂t/∂r_jk for type 3) returns ∂t/∂d_j and ∂t/∂d_k.
//       Then ∂t/∂r_j(atom) = gj, ∂t/∂r_k(atom) = gk, ∂t/∂r_i(atom) = −(gj + gk).
//   wideTerm / narrowTerm                    one function × one triplet, value and (optionally) gradients —
//       the plain, ungrouped form (baselines, simple kernels). The grouped CPU engine composes the pieces.
//
// Type 9 per unordered pair {j,k}:  t = 2^(1−ζ) P(cos θ) a_j a_k,          P = (1 + λ cos θ)^ζ (0 if base <= 0)
// Type 3 additionally:              t = 2^(1−ζ) P(cos θ) a_j a_k a_jk,   a_jk = pairFactor(r_jk), r_jk < rc.
#pragma once
#include <cmath>

#include "agl/vec3.hpp"

namespace agl {

template <typename T>
AGL_HD void pairFactor(T eta, T rs, T r, T fc, T dfc, T& a, T& da) {
    const T dr = r - rs;
    const T e = std::exp(-eta * dr * dr);
    a = e * fc;
    da = e * (dfc - T(2) * eta * dr * fc);
}

// Host-side classification of ζ; the result is stored next to ζ in the grouped tables / kernel parameters.
inline int integerZeta(double zeta) {
    return (zeta >= 1.0 && zeta <= 1024.0 && zeta == std::floor(zeta)) ? static_cast<int>(zeta) : 0;
}

template <typename T>
AGL_HD T integerPower(T base, int n) {
    T result = T(1);
    while (n > 0) {
        if (n & 1) result *= base;
        base *= base;
        n >>= 1;
    }
    return result;
}

template <typename T>
AGL_HD void angularPower(T base, T zeta, int izeta, T& p, T& dp) {
    if (!(base > T(0))) {
        p = T(0);
        dp = T(0);
        return;
    }
    const T pm1 = izeta > 0 ? integerPower(base, izeta - 1) : std::pow(base, zeta - T(1));
    p = pm1 * base;
    dp = zeta * pm1;
}

template <typename T>
AGL_HD void doubleZeta(T& pm1, T& p) {
    pm1 *= p;
    p *= p;
}

template <typename T>
AGL_HD T nextIntegerPower(T base, int prev, int next, T pm1Prev, T pPrev) {
    if (prev <= 0) return integerPower(base, next - 1);
    if (next == 2 * prev) return pm1Prev * pPrev;
    return pm1Prev * integerPower(base, next - prev);
}

template <typename T>
AGL_HD T zetaScale(T zeta) {
    return std::pow(T(2), T(1) - zeta);
}

template <typename T>
AGL_HD T cosTheta(Vec3<T> dj, T invRj, Vec3<T> dk, T invRk) {
    return dot(dj, dk) * invRj * invRk;
}

// ∂cos/∂d_j = (u_k − cos·u_j)/r_j with u = d/r; ∂r_j/∂d_j = u_j; ∂r_jk/∂d_k = −∂r_jk/∂d_j = (d_k − d_j)/r_jk.
template <typename T>
AGL_HD void tripletGradient(Vec3<T> dj, T invRj, Vec3<T> dk, T invRk, T cosT, T dtdCos, T dtdRj, T dtdRk,
                            Vec3<T>& gj, Vec3<T>& gk) {
    const Vec3<T> uj = invRj * dj, uk = invRk * dk;
    const T bj = dtdCos * invRj, bk = dtdCos * invRk;
    const T aj = dtdRj - bj * cosT, ak = dtdRk - bk * cosT;
    gj = aj * uj + bj * uk;
    gk = ak * uk + bk * uj;
}

template <typename T>
AGL_HD void tripletGradient(Vec3<T> dj, T invRj, Vec3<T> dk, T invRk, Vec3<T> djk, T invRjk, T cosT, T dtdCos,
                            T dtdRj, T dtdRk, T dtdRjk, Vec3<T>& gj, Vec3<T>& gk) {
    tripletGradient(dj, invRj, dk, invRk, cosT, dtdCos, dtdRj, dtdRk, gj, gk);
    const Vec3<T> ujk = (dtdRjk * invRjk) * djk;  // djk = d_k − d_j
    gj = gj - ujk;
    gk = gk + ujk;
}

// One type-9 function on one triplet. aj/daj, ak/dak from pairFactor; scale = zetaScale(ζ).
// Returns t; with grad != 0 fills gj, gk (∂t/∂d_j, ∂t/∂d_k).
template <typename T>
AGL_HD T wideTerm(T lambda, T zeta, int izeta, T scale, Vec3<T> dj, T rj, T aj, T daj, Vec3<T> dk, T rk, T ak,
                  T dak, bool grad, Vec3<T>& gj, Vec3<T>& gk) {
    const T invRj = T(1) / rj, invRk = T(1) / rk;
    const T c = cosTheta(dj, invRj, dk, invRk);
    T p, dp;
    angularPower(T(1) + lambda * c, zeta, izeta, p, dp);
    const T w = scale * aj * ak;
    if (grad)
        tripletGradient(dj, invRj, dk, invRk, c, w * dp * lambda, scale * p * daj * ak, scale * p * aj * dak, gj,
                        gk);
    return w * p;
}

// One type-3 function on one triplet; ajk/dajk = pairFactor(r_jk) (0 when r_jk >= rc). djk = d_k − d_j.
template <typename T>
AGL_HD T narrowTerm(T lambda, T zeta, int izeta, T scale, Vec3<T> dj, T rj, T aj, T daj, Vec3<T> dk, T rk, T ak,
                    T dak, Vec3<T> djk, T rjk, T ajk, T dajk, bool grad, Vec3<T>& gj, Vec3<T>& gk) {
    const T invRj = T(1) / rj, invRk = T(1) / rk;
    const T c = cosTheta(dj, invRj, dk, invRk);
    T p, dp;
    angularPower(T(1) + lambda * c, zeta, izeta, p, dp);
    const T w = scale * aj * ak * ajk;
    if (grad)
        tripletGradient(dj, invRj, dk, invRk, djk, T(1) / rjk, c, w * dp * lambda, scale * p * daj * ak * ajk,
                        scale * p * aj * dak * ajk, scale * p * aj * ak * dajk, gj, gk);
    return w * p;
}

}  // namespace agl
