// CPU implementations of the per-layer math (cblas GEMMs plus elementwise loops, fp64).
#include "agl/train/layer_math.hpp"

#include <cblas.h>
#include <omp.h>

#include <algorithm>

namespace agl {

namespace {

// Elementwise loops are split over rows (deterministic: each element is computed by exactly one thread);
// inside an already parallel region (the chunk loop of ModelBatch) they stay serial.
constexpr int kParallelRows = 4096;

// The plain loops below are also compiled for AVX-512 (x86-64-v4) and AVX2 (x86-64-v3), picked at run time.
// Every variant does the same operations in the same order per element; the AVX ones may fuse a multiply and
// an add (differences in the last bit between machines, never between runs on one machine).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define AGL_LAYER_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define AGL_LAYER_CLONES
#endif

// Gb[c] += Σ_r D[r][c], rows in order (a fixed summation order).
AGL_LAYER_CLONES void addColumnSums(int rows, int out, const double* D, int ldd, double* Gb) {
    for (int r = 0; r < rows; ++r) {
        const double* d = D + std::size_t(r) * ldd;
        for (int c = 0; c < out; ++c) Gb[c] += d[c];
    }
}

// D ⊙= f'(Y) for rows [from, to): the slope from the layer's output (activationSlope). One loop per
// activation, inlined into each clone of slopeRowRange so that every variant is vectorised for its target.
template <Activation A>
inline __attribute__((always_inline)) void slopeLoop(int from, int to, int out, const double* Y, int ldy,
                                                     double* D, int ldd) {
    for (int r = from; r < to; ++r) {
        const double* y = Y + std::size_t(r) * ldy;
        double* d = D + std::size_t(r) * ldd;
        for (int c = 0; c < out; ++c) d[c] *= activationSlope(A, y[c]);
    }
}

AGL_LAYER_CLONES void slopeRowRange(Activation act, int from, int to, int out, const double* Y, int ldy, double* D,
                                    int ldd) {
    switch (act) {
        case Activation::Tanh: return slopeLoop<Activation::Tanh>(from, to, out, Y, ldy, D, ldd);
        case Activation::Logistic: return slopeLoop<Activation::Logistic>(from, to, out, Y, ldy, D, ldd);
        case Activation::Softplus: return slopeLoop<Activation::Softplus>(from, to, out, Y, ldy, D, ldd);
        case Activation::Relu: return slopeLoop<Activation::Relu>(from, to, out, Y, ldy, D, ldd);
        case Activation::Linear: return;  // slope 1
    }
}

// tanhFast over an array: the baseline x86-64 build cannot vectorise its 64-bit integer clamp, the AVX2 and
// AVX-512 variants can (4 and 8 doubles per instruction; compares and blends become mask operations).
AGL_LAYER_CLONES void tanhLoop(double* __restrict y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = tanhFast(y[i]);
}

template <Activation A>
void activateLoop(double* __restrict y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] = activate(A, y[i]);
}

void activateSerial(Activation act, double* y, std::size_t n) {
    switch (act) {
        case Activation::Tanh: tanhLoop(y, n); break;
        case Activation::Logistic: activateLoop<Activation::Logistic>(y, n); break;
        case Activation::Softplus: activateLoop<Activation::Softplus>(y, n); break;
        case Activation::Relu: activateLoop<Activation::Relu>(y, n); break;
        case Activation::Linear: break;
    }
}

}  // namespace

void activateInPlace(Activation act, double* y, std::size_t n) {
    if (act == Activation::Linear || n == 0) return;
    const std::size_t block = std::size_t(1) << 14;
    if (n < 4 * block || omp_in_parallel()) return activateSerial(act, y, n);
    const long numBlocks = long((n + block - 1) / block);
#pragma omp parallel for schedule(static)
    for (long i = 0; i < numBlocks; ++i) {
        const std::size_t from = std::size_t(i) * block;
        activateSerial(act, y + from, std::min(block, n - from));
    }
}

void denseAffine(int rows, int in, int out, const double* X, int ldx, const double* W, int ldw, const double* b,
                 double* Y, int ldy) {
    if (rows == 0 || out == 0) return;
    if (b) fillRows(rows, out, b, Y, ldy);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, out, in, 1.0, X, ldx, W, ldw, 1.0, Y, ldy);
}

AGL_LAYER_CLONES void fillRows(int rows, int width, const double* v, double* Y, int ldy) {
    if (ldy == width) {  // contiguous: one sequential sweep, no per-row call
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < width; ++c) Y[std::size_t(r) * width + c] = v[c];
        return;
    }
    for (int r = 0; r < rows; ++r) std::copy_n(v, width, Y + std::size_t(r) * ldy);
}

void denseForward(int rows, int in, int out, const double* X, int ldx, const double* W, int ldw,
                  const double* b, Activation act, double* Y, int ldy) {
    denseAffine(rows, in, out, X, ldx, W, ldw, b, Y, ldy);
    if (ldy == out) return activateInPlace(act, Y, std::size_t(rows) * out);
    for (int r = 0; r < rows; ++r) activateInPlace(act, Y + std::size_t(r) * ldy, std::size_t(out));
}

void applyActivationSlope(int rows, int out, Activation act, const double* Y, int ldy, double* D, int ldd) {
    if (act == Activation::Linear) return;
    if (rows < kParallelRows || omp_in_parallel()) return slopeRowRange(act, 0, rows, out, Y, ldy, D, ldd);
    const int blocks = (rows + kParallelRows - 1) / kParallelRows;
#pragma omp parallel for schedule(static)
    for (int b = 0; b < blocks; ++b)
        slopeRowRange(act, b * kParallelRows, std::min(rows, (b + 1) * kParallelRows), out, Y, ldy, D, ldd);
}

void denseWeightGradient(int rows, int in, int out, const double* X, int ldx, const double* D, int ldd,
                         double* GW, int ldg, double* Gb) {
    for (int c = 0; c < out; ++c) Gb[c] = 0.0;
    if (rows == 0) {
        for (int i = 0; i < in; ++i) std::fill_n(GW + std::size_t(i) * ldg, out, 0.0);
        return;
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, rows, 1.0, X, ldx, D, ldd, 0.0, GW, ldg);
    addColumnSums(rows, out, D, ldd, Gb);  // serial: a fixed summation order
}

void denseWeightGradientAdd(int rows, int in, int out, const double* X, int ldx, const double* D, int ldd,
                            double* GW, int ldg, double* Gb) {
    if (rows == 0) return;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, rows, 1.0, X, ldx, D, ldd, 1.0, GW, ldg);
    addColumnSums(rows, out, D, ldd, Gb);  // serial: a fixed summation order
}

void denseInputGradient(int rows, int in, int out, const double* D, int ldd, const double* W, int ldw,
                        double* P, int ldp) {
    if (rows == 0) return;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, in, out, 1.0, D, ldd, W, ldw, 0.0, P, ldp);
}

void segmentSumAdd(int numSegments, const int* start, int width, const double* Y, int ldy, double* S, int lds) {
    for (int s = 0; s < numSegments; ++s) {
        double* out = S + std::size_t(s) * lds;
        for (int r = start[s]; r < start[s + 1]; ++r) {
            const double* y = Y + std::size_t(r) * ldy;
            for (int c = 0; c < width; ++c) out[c] += y[c];
        }
    }
}

void segmentBroadcast(int numSegments, const int* start, int width, const double* G, int ldg, double* D,
                      int ldd) {
#pragma omp parallel for schedule(static) if (numSegments >= 64)
    for (int s = 0; s < numSegments; ++s) {
        const double* g = G + std::size_t(s) * ldg;
        for (int r = start[s]; r < start[s + 1]; ++r) std::copy_n(g, width, D + std::size_t(r) * ldd);
    }
}

}  // namespace agl
