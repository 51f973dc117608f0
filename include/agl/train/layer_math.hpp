// The math of one dense layer, forward and backward, on row-major blocks with leading dimensions (so the
// same call serves one model, a strided slot of a wide batch, or the wide first layer of all K models).
// Each function maps to one GEMM or one elementwise kernel on the GPU. CPU: cblas (OpenBLAS), fp64.
//
// Shapes: rows = atoms of the mini-batch (of one element); in/out = layer widths.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "agl/train/activation.hpp"

namespace agl {

// tanh written so that the compiler vectorises it (glibc's tanh is a scalar call through expm1 and was the
// largest cost of an epoch). expm1(2|x|) = 2ⁿ·(eʳ − 1) + (2ⁿ − 1) with n = round(2|x|/ln 2) found by the
// 1.5·2⁵² shifter trick, r reduced with a two-part ln 2 (Cody–Waite), eʳ − 1 by its Taylor series to r¹³
// (|r| ≤ ln2/2: truncation < 1e-17); tanh|x| = e/(e + 2). For n = 0 there is no cancellation, so small
// arguments keep full relative accuracy. Agrees with std::tanh to a few ulp (tested).
// Branch-free on purpose: the clamp |x| ≤ 20 (tanh(20) rounds to 1), the sign and the NaN pass-through are
// integer operations on the bits, because a floating-point compare may trap and so blocks if-conversion
// (GCC then leaves the loop scalar). Vectorises with AVX2 (64-bit integer compare); see activateInPlace.
inline double tanhFast(double x) {
    std::uint64_t xb;
    std::memcpy(&xb, &x, sizeof xb);
    const std::uint64_t absBits = xb & 0x7fffffffffffffffull;
    const std::uint64_t limit = 0x4034000000000000ull;  // 20.0 (non-negative doubles order like their bits)
    const std::uint64_t clampedBits = absBits < limit ? absBits : limit;
    double ax;
    std::memcpy(&ax, &clampedBits, sizeof ax);
    const double a = ax * 2.0;
    const double shifter = 6755399441055744.0;  // 1.5·2⁵²
    const double t = a * 1.4426950408889634 + shifter;
    const double n = t - shifter;
    const double r = (a - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10;
    double p = 1.0 / 6227020800.0;  // 1/13!
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r;  // eʳ − 1
    std::uint64_t bits;
    std::memcpy(&bits, &t, sizeof bits);  // low bits of t hold n
    bits = (bits + 1023u) << 52;          // 2ⁿ
    double two;
    std::memcpy(&two, &bits, sizeof two);
    const double e = two * p + (two - 1.0);
    const double magnitude = e / (e + 2.0);
    std::uint64_t out;
    std::memcpy(&out, &magnitude, sizeof out);
    out |= xb & 0x8000000000000000ull;                                                       // sign of x
    const std::uint64_t nanMask = std::uint64_t(0) - std::uint64_t(absBits > 0x7ff0000000000000ull);
    out = (out & ~nanMask) | (xb & nanMask);                                                 // NaN stays NaN
    double y;
    std::memcpy(&y, &out, sizeof y);
    return y;
}

// y[i] = f(y[i]) for n contiguous values (tanh: AVX-512 and AVX2 builds of the loop, picked at run time).
void activateInPlace(Activation act, double* y, std::size_t n);

// Y (rows × out, ldy) = X (rows × in, ldx) · W (in × out, ldw) + b (out)      (no activation; bias first,
// then one GEMM with β = 1, so the bias costs no extra pass over Y). b = nullptr: Y already holds the bias
// (the wide block of several models filled once with fillRows).
void denseAffine(int rows, int in, int out, const double* X, int ldx, const double* W, int ldw, const double* b,
                 double* Y, int ldy);

// Every row of Y (rows × width, ldy) = v (width).
void fillRows(int rows, int width, const double* v, double* Y, int ldy);

// Y (rows × out, ldy) = f(X (rows × in, ldx) · W (in × out, ldw) + b (out))
void denseForward(int rows, int in, int out, const double* X, int ldx, const double* W, int ldw,
                  const double* b, Activation act, double* Y, int ldy);

// D (rows × out, ldd) ⊙= f'(z), from the layer's stored output Y (rows × out, ldy)
void applyActivationSlope(int rows, int out, Activation act, const double* Y, int ldy, double* D, int ldd);

// GW (in × out, ldg) = Xᵀ · D ;  Gb (out) = Σ_rows D      (gradients of Σ_rows loss, overwritten)
void denseWeightGradient(int rows, int in, int out, const double* X, int ldx, const double* D, int ldd,
                         double* GW, int ldg, double* Gb);

// GW (in × out, ldg) += Xᵀ · D ;  Gb (out) += Σ_rows D    (accumulating form, for chunked batches)
void denseWeightGradientAdd(int rows, int in, int out, const double* X, int ldx, const double* D, int ldd,
                            double* GW, int ldg, double* Gb);

// P (rows × in, ldp) = D (rows × out, ldd) · Wᵀ            (gradient w.r.t. the layer's input)
void denseInputGradient(int rows, int in, int out, const double* D, int ldd, const double* W, int ldw,
                        double* P, int ldp);

// Segmented reduction over contiguous row ranges (the atoms of one structure):
//   S[s][c] += Σ_{r ∈ [start[s], start[s+1])} Y[r][c]       S (numSegments × width, lds)
void segmentSumAdd(int numSegments, const int* start, int width, const double* Y, int ldy, double* S, int lds);

// The reverse: every row of segment s receives G[s]:  D[r][c] = G[s][c]     D (rows × width, ldd)
void segmentBroadcast(int numSegments, const int* start, int width, const double* G, int ldg, double* D,
                      int ldd);

}  // namespace agl
