// The derivative entries of every centre atom on the device: one thread per atom runs
// agl/derivative_entries.hpp's countEntries / fillEntries (tested on the CPU against the CPU engine's layout
// in tests/features/derivative_entries_test.cpp). Linear in the atom's pairs, except in a cell thin enough
// for a list to hold an atom twice (BinGrid::repeatsAtoms of its structure): there each pair scans back for
// an earlier image of the same atom, a few thousand comparisons for ~100 neighbours. No pair list travels to
// the host.
#include "agl/derivative_entries.hpp"
#include "agl/gpu/cuda_check.hpp"
#include "feature_kernels.cuh"

namespace agl::gpu {
namespace {

constexpr int kThreads = 128;

template <typename T>
__global__ void countEntriesKernel(int numAtoms, const BinGridView* grids, const int* structureOf,
                                   const std::uint32_t* offsets, const std::uint32_t* index, const T* r,
                                   const T* cutoffOfAtom, std::uint32_t* numEntries) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= numAtoms) return;
    numEntries[i] = countEntries<T>(std::uint32_t(i), offsets, index, r, cutoffOfAtom[i],
                                    grids[structureOf[i]].repeatsAtoms != 0);
}

template <typename T>
__global__ void fillEntriesKernel(int numAtoms, const BinGridView* grids, const int* structureOf,
                                  const std::uint32_t* offsets, const std::uint32_t* index, const T* r,
                                  const T* cutoffOfAtom, const std::uint32_t* entryOffsets, std::uint32_t* entryAtom,
                                  std::uint32_t* entryOfPair) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= numAtoms) return;
    fillEntries<T>(std::uint32_t(i), offsets, index, r, cutoffOfAtom[i], grids[structureOf[i]].repeatsAtoms != 0,
                   entryAtom + entryOffsets[i], entryOfPair);
}

unsigned blocksFor(int n) { return unsigned((n + kThreads - 1) / kThreads); }

}  // namespace

template <typename T>
void launchCountEntries(const StructureChunk& chunk, const DeviceNeighborList<T>& list, const T* cutoffOfAtom,
                        std::uint32_t* numEntries, cudaStream_t stream) {
    const int n = chunk.numAtoms;
    if (n == 0) return;
    countEntriesKernel<T><<<blocksFor(n), kThreads, 0, stream>>>(n, chunk.grids.data(), chunk.structureOf.data(),
                                                                 list.offsets.data(), list.index.data(),
                                                                 list.r.data(), cutoffOfAtom, numEntries);
    AGL_CUDA_CHECK_LAUNCH();
}

template <typename T>
void launchFillEntries(const StructureChunk& chunk, const DeviceNeighborList<T>& list, const T* cutoffOfAtom,
                       const std::uint32_t* entryOffsets, std::uint32_t* entryAtom, std::uint32_t* entryOfPair,
                       cudaStream_t stream) {
    const int n = chunk.numAtoms;
    if (n == 0) return;
    fillEntriesKernel<T><<<blocksFor(n), kThreads, 0, stream>>>(n, chunk.grids.data(), chunk.structureOf.data(),
                                                                list.offsets.data(), list.index.data(),
                                                                list.r.data(), cutoffOfAtom, entryOffsets, entryAtom,
                                                                entryOfPair);
    AGL_CUDA_CHECK_LAUNCH();
}

template void launchCountEntries<float>(const StructureChunk&, const DeviceNeighborList<float>&, const float*,
                                        std::uint32_t*, cudaStream_t);
template void launchCountEntries<double>(const StructureChunk&, const DeviceNeighborList<double>&, const double*,
                                         std::uint32_t*, cudaStream_t);
template void launchFillEntries<float>(const StructureChunk&, const DeviceNeighborList<float>&, const float*,
                                       const std::uint32_t*, std::uint32_t*, std::uint32_t*, cudaStream_t);
template void launchFillEntries<double>(const StructureChunk&, const DeviceNeighborList<double>&, const double*,
                                        const std::uint32_t*, std::uint32_t*, std::uint32_t*, cudaStream_t);

}  // namespace agl::gpu
