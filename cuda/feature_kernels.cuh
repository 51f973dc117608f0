// The symmetry-function kernels' parameter tables and launchers (internal to cuda/; the public entry is
// include/agl/gpu_features.hpp, driven by cuda/gpu_features.cu).
//
// Tables are flattened from agl::ElementGroups (include/agl/symmetry_function_groups.hpp) into PODs in the
// kernel precision T; one "slot" per centre element that has functions.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>

#include "agl/cutoff_function.hpp"
#include "structure_chunk.cuh"

namespace agl::gpu {

// a = exp(−η(r − rs)²)·fc(r) of one (cutoff, η, rs): radial term and angular per-neighbour factor.
template <typename T>
struct GpuPairTerm {
    Cutoff<T> cutoff;
    T eta;  // 1/length²
    T rs;   // length
};

template <typename T>
struct GpuFunction {
    int type;        // 2 radial, 3 narrow angular, 9 wide angular
    int column;      // output column within the centre element's functions
    int e1, e2;      // neighbour atomic numbers (angular: e1 <= e2; radial: e2 unused)
    int term;        // pair term (index within the slot) of the neighbours' factor a
    int izeta;       // integerZeta(ζ) > 0: integer power by multiplication
    T zeta, lambda;  // angular only
    T scale;         // 2^(1−ζ)
    GpuPairTerm<T> jk;  // narrow only: the factor of the j–k distance (same cutoff, η, rs as `term`)
};

template <typename T>
struct FeatureTablesView {
    const int* slotOfElement;            // (kMaxAtomicNumber + 1) slot of a centre element, −1 = no functions
    const int* functionBegin;            // (numSlots + 1) functions of slot s: [functionBegin[s], ..[s+1])
    const GpuFunction<T>* functions;
    const int* termBegin;                // (numSlots + 1) pair terms of slot s
    const GpuPairTerm<T>* terms;
    int termStride;                      // max pair terms of a slot: per-pair stride of the factor arrays
    int gradStride;                      // 3 × max functions of a slot: per-pair stride of the gradients
};

// Per pair p of centre atom i: neighbour element, and a/da for every pair term of i's slot.
//   pairElement (numPairs); a, da (numPairs × termStride) row-major.
template <typename T>
void launchPairFactors(const StructureChunk& chunk, const DeviceNeighborList<T>& list,
                       const FeatureTablesView<T>& tables, int* pairElement, T* a, T* da, cudaStream_t stream);

// G of every atom into values[valueOffset[i] + column] (double); with pairGradient != nullptr also
// ∂G_i,f/∂d_p for every pair p into pairGradient[p × gradStride + x × nf_i + f] (double; d_p = r_j + shift − r_i).
template <typename T>
void launchSymmetryFunctions(const StructureChunk& chunk, const DeviceNeighborList<T>& list,
                             const FeatureTablesView<T>& tables, const int* pairElement, const T* a, const T* da,
                             const std::uint64_t* valueOffset, double* values, double* pairGradient,
                             cudaStream_t stream);

// Derivative entries of every chunk atom (agl/derivative_entries.hpp, one thread per atom): numEntries
// (numAtoms), then, with entryOffsets (numAtoms + 1) from their prefix sum, entryAtom (Σ entries) and
// entryOfPair (numPairs).
template <typename T>
void launchCountEntries(const StructureChunk& chunk, const DeviceNeighborList<T>& list, const T* cutoffOfAtom,
                        std::uint32_t* numEntries, cudaStream_t stream);
template <typename T>
void launchFillEntries(const StructureChunk& chunk, const DeviceNeighborList<T>& list, const T* cutoffOfAtom,
                       const std::uint32_t* entryOffsets, std::uint32_t* entryAtom, std::uint32_t* entryOfPair,
                       cudaStream_t stream);

// Merges pair gradients into per-atom derivative entries (layout of include/agl/features.hpp):
// entry 0 of atom i is ∂G_i/∂r_i = −Σ_{pairs of other atoms} ∂G_i/∂d_p (self images move with i: no
// contribution); entry entryOfPair[p] > 0 gets +∂G_i/∂d_p. Output block of entry e of atom i:
// out[derivativeStart[i] + e × 3nf_i ...] (3 × nf_i) row-major.
void launchMergeDerivatives(int numAtoms, const std::uint32_t* offsets, const std::uint32_t* entryOfPair,
                            const std::uint32_t* numEntries, const std::uint64_t* derivativeStart,
                            const int* numFunctions, int gradStride, const double* pairGradient, double* out,
                            cudaStream_t stream);

}  // namespace agl::gpu
