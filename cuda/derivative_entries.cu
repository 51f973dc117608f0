// The derivative entries of every centre atom on the device: one thread per atom runs
// agl/derivative_entries.hpp's countEntries / fillEntries (tested on the CPU against the CPU engine's layout
// in tests/features/derivative_entries_test.cpp). O(pairs²) per atom in the worst case (a scan back for
// an earlier image of the same atom), a few thousand comparisons for ~100 neighbours: cheap next to the
// symmetry functions, and no pair list travels to the host.
#include "agl/derivative_entries.hpp"
#include "agl/gpu/cuda_check.hpp"
#include "feature_kernels.cuh"

namespace agl::gpu {
namespace {

constexpr int kThreads = 128;

template <typename T>
__global__ void countEntriesKernel(int numAtoms, const std::uint32_t* offsets, const std::uint32_t* index, const T* r,
                                   const T* cutoffOfAtom, std::uint32_t* numEntries) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= numAtoms) return;
    numEntries[i] = countEntries<T>(std::uint32_t(i), offsets, index, r, cutoffOfAtom[i]);
}

template <typename T>
__global__ void fillEntriesKernel(int numAtoms, const std::uint32_t* offsets, const std::uint32_t* index, const T* r,
                                  const T* cutoffOfAtom, const std::uint32_t* entryOffsets, std::uint32_t* entryAtom,
                                  std::uint32_t* entryOfPair) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= numAtoms) return;
    fillEntries<T>(std::uint32_t(i), offsets, index, r, cutoffOfAtom[i], entryAtom + entryOffsets[i], entryOfPair);
}

unsigned blocksFor(int n) { return unsigned((n + kThreads - 1) / kThreads); }

}  // namespace

template <typename T>
void launchCountEntries(int numAtoms, const DeviceNeighborList<T>& list, const T* cutoffOfAtom,
                        std::uint32_t* numEntries, cudaStream_t stream) {
    if (numAtoms == 0) return;
    countEntriesKernel<T><<<blocksFor(numAtoms), kThreads, 0, stream>>>(numAtoms, list.offsets.data(),
                                                                        list.index.data(), list.r.data(),
                                                                        cutoffOfAtom, numEntries);
    AGL_CUDA_CHECK_LAUNCH();
}

template <typename T>
void launchFillEntries(int numAtoms, const DeviceNeighborList<T>& list, const T* cutoffOfAtom,
                       const std::uint32_t* entryOffsets, std::uint32_t* entryAtom, std::uint32_t* entryOfPair,
                       cudaStream_t stream) {
    if (numAtoms == 0) return;
    fillEntriesKernel<T><<<blocksFor(numAtoms), kThreads, 0, stream>>>(numAtoms, list.offsets.data(),
                                                                       list.index.data(), list.r.data(),
                                                                       cutoffOfAtom, entryOffsets, entryAtom,
                                                                       entryOfPair);
    AGL_CUDA_CHECK_LAUNCH();
}

template void launchCountEntries<float>(int, const DeviceNeighborList<float>&, const float*, std::uint32_t*,
                                        cudaStream_t);
template void launchCountEntries<double>(int, const DeviceNeighborList<double>&, const double*, std::uint32_t*,
                                         cudaStream_t);
template void launchFillEntries<float>(int, const DeviceNeighborList<float>&, const float*, const std::uint32_t*,
                                       std::uint32_t*, std::uint32_t*, cudaStream_t);
template void launchFillEntries<double>(int, const DeviceNeighborList<double>&, const double*, const std::uint32_t*,
                                        std::uint32_t*, std::uint32_t*, cudaStream_t);

}  // namespace agl::gpu
