// CPU implementations of the per-layer math (cblas GEMMs plus elementwise loops, fp64).
#include "agl/train/layer_math.hpp"

#include <cblas.h>
#include <omp.h>

#include <algorithm>

namespace agl {

namespace {

// Elementwise loops are split over rows (deterministic: each element is computed by exactly one thread).
constexpr int kParallelRows = 4096;

template <Activation A>
void activateRows(int rows, int out, const double* b, double* Y, int ldy) {
#pragma omp parallel for schedule(static) if (rows >= kParallelRows && !omp_in_parallel())
    for (int r = 0; r < rows; ++r) {
        double* y = Y + std::size_t(r) * ldy;
        for (int c = 0; c < out; ++c) y[c] = activate(A, y[c] + b[c]);
    }
}

template <>
void activateRows<Activation::Tanh>(int rows, int out, const double* b, double* Y, int ldy) {
#pragma omp parallel for schedule(static) if (rows >= kParallelRows && !omp_in_parallel())
    for (int r = 0; r < rows; ++r) {
        double* y = Y + std::size_t(r) * ldy;
        for (int c = 0; c < out; ++c) y[c] = tanhFast(y[c] + b[c]);
    }
}

template <Activation A>
void slopeRows(int rows, int out, const double* Y, int ldy, double* D, int ldd) {
#pragma omp parallel for schedule(static) if (rows >= kParallelRows && !omp_in_parallel())
    for (int r = 0; r < rows; ++r) {
        const double* y = Y + std::size_t(r) * ldy;
        double* d = D + std::size_t(r) * ldd;
        for (int c = 0; c < out; ++c) d[c] *= activationSlope(A, y[c]);
    }
}

}  // namespace

void denseForward(int rows, int in, int out, const double* X, int ldx, const double* W, int ldw,
                  const double* b, Activation act, double* Y, int ldy) {
    if (rows == 0 || out == 0) return;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, out, in, 1.0, X, ldx, W, ldw, 0.0, Y, ldy);
    switch (act) {
        case Activation::Tanh: activateRows<Activation::Tanh>(rows, out, b, Y, ldy); break;
        case Activation::Logistic: activateRows<Activation::Logistic>(rows, out, b, Y, ldy); break;
        case Activation::Softplus: activateRows<Activation::Softplus>(rows, out, b, Y, ldy); break;
        case Activation::Relu: activateRows<Activation::Relu>(rows, out, b, Y, ldy); break;
        case Activation::Linear: activateRows<Activation::Linear>(rows, out, b, Y, ldy); break;
    }
}

void applyActivationSlope(int rows, int out, Activation act, const double* Y, int ldy, double* D, int ldd) {
    switch (act) {
        case Activation::Tanh: slopeRows<Activation::Tanh>(rows, out, Y, ldy, D, ldd); break;
        case Activation::Logistic: slopeRows<Activation::Logistic>(rows, out, Y, ldy, D, ldd); break;
        case Activation::Softplus: slopeRows<Activation::Softplus>(rows, out, Y, ldy, D, ldd); break;
        case Activation::Relu: slopeRows<Activation::Relu>(rows, out, Y, ldy, D, ldd); break;
        case Activation::Linear: break;  // slope 1
    }
}

void denseWeightGradient(int rows, int in, int out, const double* X, int ldx, const double* D, int ldd,
                         double* GW, int ldg, double* Gb) {
    for (int c = 0; c < out; ++c) Gb[c] = 0.0;
    if (rows == 0) {
        for (int i = 0; i < in; ++i) std::fill_n(GW + std::size_t(i) * ldg, out, 0.0);
        return;
    }
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, rows, 1.0, X, ldx, D, ldd, 0.0, GW, ldg);
    for (int r = 0; r < rows; ++r) {  // serial: a fixed summation order
        const double* d = D + std::size_t(r) * ldd;
        for (int c = 0; c < out; ++c) Gb[c] += d[c];
    }
}

void denseWeightGradientAdd(int rows, int in, int out, const double* X, int ldx, const double* D, int ldd,
                            double* GW, int ldg, double* Gb) {
    if (rows == 0) return;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, out, rows, 1.0, X, ldx, D, ldd, 1.0, GW, ldg);
    for (int r = 0; r < rows; ++r) {  // serial: a fixed summation order
        const double* d = D + std::size_t(r) * ldd;
        for (int c = 0; c < out; ++c) Gb[c] += d[c];
    }
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
