// Symmetry-function kernels (n2p2 types 2, 3, 9) and their derivatives; the math is the shared AGL_HD code of
// include/agl/cutoff_function.hpp and include/agl/symmetry_function_terms.hpp (one formula, one place).
//
//   G2_i = Σ_j a(r_ij)                       a = exp(−η(r − rs)²) fc(r), neighbours j of element e1
//   G9_i = Σ_{j<k} 2^(1−ζ) P(cos θ) a_j a_k  P = (1 + λ cos θ)^ζ (0 when the base <= 0), {e_j, e_k} = {e1, e2}
//   G3_i   the same × a(r_jk), r_jk < rc
//
// Work split: ONE WARP PER CENTRE ATOM i; lane l owns the pairs p = begin + l, l + 32, ... of i (CSR, so the
// lanes' reads are coalesced). Functions are evaluated one after the other (outer loop), so every accumulator
// lives in registers whatever the number of functions. Values: lane p sums its triplets {p, q > p}, then a
// shuffle tree (fixed order: deterministic) adds the lanes. Derivatives: lane p also loops q < p and sums
// ∂t/∂d_p over all q ≠ p, so the gradient of pair p has exactly one writer (no atomics, deterministic);
// this evaluates each triplet twice in derivative mode.
// Precision: every term in T; sums in double for T = float (see include/agl/gpu_features.hpp).
// Tested against the CPU engine in tests/gpu/gpu_features_test.cpp.
//
// FP32 cost per (triplet, function) of the wide type (values, ζ a power of two 2^m): cos θ 5 FMA-class ops
// + 2 mul, base 1 FMA, power 2 + m mul (≤ 6 for ζ ≤ 16), weight 2 mul, product 1 mul, element test and
// accumulate 1 (double add) → 16–20 flops; bench/bench_gpu_features.cpp counts 18.
#include <cstdint>

#include "agl/gpu/cuda_check.hpp"
#include "agl/symmetry_function_terms.hpp"
#include "feature_kernels.cuh"
#include "warp.cuh"

namespace agl::gpu {
namespace {

constexpr int kBlock = 128;  // 4 centre atoms per block

// One warp per centre atom, so about numAtoms / 4 blocks (always an int); the product is taken in 64 bits,
// as numAtoms · 32 overflows int from 2^26 atoms per chunk.
int warpBlocks(int numAtoms) { return int((std::int64_t(numAtoms) * kWarp + kBlock - 1) / kBlock); }

template <typename T>
__global__ void pairFactorsKernel(int numAtoms, const int* element, const std::uint32_t* offsets,
                                  const std::uint32_t* index, const T* r, FeatureTablesView<T> tables,
                                  int* pairElement, T* a, T* da) {
    const int i = int((std::int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp);  // 32-bit wraps at 2^27 atoms
    const int lane = threadIdx.x % kWarp;
    if (i >= numAtoms) return;
    const int slot = tables.slotOfElement[element[i]];
    for (std::uint32_t p = offsets[i] + lane; p < offsets[i + 1]; p += kWarp) {
        pairElement[p] = element[index[p]];
        if (slot < 0) continue;
        const T rp = r[p];
        const std::size_t row = static_cast<std::size_t>(p) * tables.termStride;
        for (int t = tables.termBegin[slot]; t < tables.termBegin[slot + 1]; ++t) {
            const GpuPairTerm<T> term = tables.terms[t];
            T fc, dfc, at, dat;
            term.cutoff.valueAndDerivative(rp, fc, dfc);
            pairFactor(term.eta, term.rs, rp, fc, dfc, at, dat);
            a[row + (t - tables.termBegin[slot])] = at;
            da[row + (t - tables.termBegin[slot])] = dat;
        }
    }
}

// Angular function f on pair p (the lane's "j"): Σ over partners q of the triplet terms. Adds the terms with
// q > p to `value` and, with kDerivatives, ∂t/∂d_p of every q ≠ p to g.
template <typename T, bool kDerivatives>
__device__ void angularOnPair(const GpuFunction<T>& f, std::uint32_t p, std::uint32_t begin, std::uint32_t end,
                              const int* pairElement, const T* dx, const T* dy, const T* dz, const T* r,
                              const T* a, const T* da, int termStride, double& value, double (&g)[3]) {
    const int ej = pairElement[p];
    if (ej != f.e1 && ej != f.e2) return;
    const int partner = ej == f.e1 ? f.e2 : f.e1;  // element the other neighbour must have
    const T aj = a[static_cast<std::size_t>(p) * termStride + f.term];
    const T daj = da[static_cast<std::size_t>(p) * termStride + f.term];
    if (aj == T(0) && daj == T(0)) return;  // beyond this function's cutoff: every term and gradient is 0
    const Vec3<T> dj{dx[p], dy[p], dz[p]};
    const T rj = r[p];
    for (std::uint32_t q = kDerivatives ? begin : p + 1; q < end; ++q) {
        if (q == p || pairElement[q] != partner) continue;
        const T ak = a[static_cast<std::size_t>(q) * termStride + f.term];
        const T dak = da[static_cast<std::size_t>(q) * termStride + f.term];
        if (ak == T(0) && dak == T(0)) continue;
        const Vec3<T> dk{dx[q], dy[q], dz[q]};
        const T rk = r[q];
        Vec3<T> gj{}, gk{};
        T t;
        if (f.type == 9) {
            t = wideTerm(f.lambda, f.zeta, f.izeta, f.scale, dj, rj, aj, daj, dk, rk, ak, dak, kDerivatives, gj, gk);
        } else {
            const Vec3<T> djk = dk - dj;
            const T rjk = norm(djk);
            if (!(rjk < f.jk.cutoff.rc)) continue;
            T fc, dfc, ajk, dajk;
            f.jk.cutoff.valueAndDerivative(rjk, fc, dfc);
            pairFactor(f.jk.eta, f.jk.rs, rjk, fc, dfc, ajk, dajk);
            t = narrowTerm(f.lambda, f.zeta, f.izeta, f.scale, dj, rj, aj, daj, dk, rk, ak, dak, djk, rjk, ajk, dajk,
                           kDerivatives, gj, gk);
        }
        if (q > p) value += static_cast<double>(t);
        if (kDerivatives) {
            g[0] += static_cast<double>(gj.x);
            g[1] += static_cast<double>(gj.y);
            g[2] += static_cast<double>(gj.z);
        }
    }
}

template <typename T, bool kDerivatives>
__global__ void symmetryFunctionsKernel(int numAtoms, const int* element, const std::uint32_t* offsets,
                                        const T* dx, const T* dy, const T* dz, const T* r,
                                        FeatureTablesView<T> tables, const int* pairElement, const T* a,
                                        const T* da, const std::uint64_t* valueOffset, double* values,
                                        double* pairGradient) {
    const int i = int((std::int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp);  // 32-bit wraps at 2^27 atoms
    const int lane = threadIdx.x % kWarp;
    if (i >= numAtoms) return;  // uniform across the warp
    const int slot = tables.slotOfElement[element[i]];
    if (slot < 0) return;
    const std::uint32_t begin = offsets[i], end = offsets[i + 1];
    const int firstFunction = tables.functionBegin[slot];
    const int nf = tables.functionBegin[slot + 1] - firstFunction;
    for (int fi = 0; fi < nf; ++fi) {
        const GpuFunction<T> f = tables.functions[firstFunction + fi];
        double value = 0.0;
        for (std::uint32_t p = begin + lane; p < end; p += kWarp) {
            double g[3] = {0.0, 0.0, 0.0};
            if (f.type == 2) {
                if (pairElement[p] == f.e1) {
                    const std::size_t at = static_cast<std::size_t>(p) * tables.termStride + f.term;
                    value += static_cast<double>(a[at]);
                    if (kDerivatives) {  // ∂a(r)/∂d = a'(r) d/r
                        const double s = static_cast<double>(da[at]) / static_cast<double>(r[p]);
                        g[0] = s * static_cast<double>(dx[p]);
                        g[1] = s * static_cast<double>(dy[p]);
                        g[2] = s * static_cast<double>(dz[p]);
                    }
                }
            } else {
                angularOnPair<T, kDerivatives>(f, p, begin, end, pairElement, dx, dy, dz, r, a, da,
                                               tables.termStride, value, g);
            }
            if (kDerivatives) {
                double* out = pairGradient + static_cast<std::size_t>(p) * tables.gradStride + f.column;
                out[0] = g[0];
                out[nf] = g[1];
                out[2 * nf] = g[2];
            }
        }
        value = warpSum(value);
        if (lane == 0) values[valueOffset[i] + f.column] = value;
    }
}

// One block per centre atom; thread c owns component c = x·nf + f of every entry of that atom.
__global__ void mergeDerivativesKernel(int numAtoms, const std::uint32_t* offsets, const std::uint32_t* entryOfPair,
                                       const std::uint32_t* numEntries, const std::uint64_t* derivativeStart,
                                       const int* numFunctions, int gradStride, const double* pairGradient,
                                       double* out) {
    const int i = blockIdx.x;
    if (i >= numAtoms) return;
    const int width = 3 * numFunctions[i];
    double* block = out + derivativeStart[i];
    for (int c = threadIdx.x; c < width; c += blockDim.x) {
        for (std::uint32_t e = 1; e < numEntries[i]; ++e) block[static_cast<std::size_t>(e) * width + c] = 0.0;
        double self = 0.0;
        for (std::uint32_t p = offsets[i]; p < offsets[i + 1]; ++p) {
            const std::uint32_t e = entryOfPair[p];
            if (e == 0) continue;  // image of i itself: r_i + shift − r_i is constant
            const double g = pairGradient[static_cast<std::size_t>(p) * gradStride + c];
            self -= g;
            block[static_cast<std::size_t>(e) * width + c] += g;
        }
        block[c] = self;
    }
}

}  // namespace

template <typename T>
void launchPairFactors(const StructureChunk& chunk, const DeviceNeighborList<T>& list,
                       const FeatureTablesView<T>& tables, int* pairElement, T* a, T* da, cudaStream_t stream) {
    if (chunk.numAtoms == 0 || list.numPairs == 0) return;
    pairFactorsKernel<T><<<warpBlocks(chunk.numAtoms), kBlock, 0, stream>>>(
        chunk.numAtoms, chunk.element.data(), list.offsets.data(), list.index.data(), list.r.data(), tables,
        pairElement, a, da);
    AGL_CUDA_CHECK_LAUNCH();
}

template <typename T>
void launchSymmetryFunctions(const StructureChunk& chunk, const DeviceNeighborList<T>& list,
                             const FeatureTablesView<T>& tables, const int* pairElement, const T* a, const T* da,
                             const std::uint64_t* valueOffset, double* values, double* pairGradient,
                             cudaStream_t stream) {
    if (chunk.numAtoms == 0) return;
    const dim3 grid(warpBlocks(chunk.numAtoms)), block(kBlock);
    if (pairGradient)
        symmetryFunctionsKernel<T, true><<<grid, block, 0, stream>>>(
            chunk.numAtoms, chunk.element.data(), list.offsets.data(), list.dx.data(), list.dy.data(),
            list.dz.data(), list.r.data(), tables, pairElement, a, da, valueOffset, values, pairGradient);
    else
        symmetryFunctionsKernel<T, false><<<grid, block, 0, stream>>>(
            chunk.numAtoms, chunk.element.data(), list.offsets.data(), list.dx.data(), list.dy.data(),
            list.dz.data(), list.r.data(), tables, pairElement, a, da, valueOffset, values, nullptr);
    AGL_CUDA_CHECK_LAUNCH();
}

void launchMergeDerivatives(int numAtoms, const std::uint32_t* offsets, const std::uint32_t* entryOfPair,
                            const std::uint32_t* numEntries, const std::uint64_t* derivativeStart,
                            const int* numFunctions, int gradStride, const double* pairGradient, double* out,
                            cudaStream_t stream) {
    if (numAtoms == 0) return;
    mergeDerivativesKernel<<<numAtoms, 128, 0, stream>>>(numAtoms, offsets, entryOfPair, numEntries,
                                                         derivativeStart, numFunctions, gradStride, pairGradient,
                                                         out);
    AGL_CUDA_CHECK_LAUNCH();
}

#define AGL_INSTANTIATE(T)                                                                                   \
    template void launchPairFactors<T>(const StructureChunk&, const DeviceNeighborList<T>&,                   \
                                       const FeatureTablesView<T>&, int*, T*, T*, cudaStream_t);              \
    template void launchSymmetryFunctions<T>(const StructureChunk&, const DeviceNeighborList<T>&,             \
                                             const FeatureTablesView<T>&, const int*, const T*, const T*,     \
                                             const std::uint64_t*, double*, double*, cudaStream_t);
AGL_INSTANTIATE(float)
AGL_INSTANTIATE(double)
#undef AGL_INSTANTIATE

}  // namespace agl::gpu
