// The device half of the GPU feature engine for one chunk of structures — neighbour list, pair factors,
// symmetry functions and (optionally) the merged derivative blocks — left ON THE DEVICE, with the host-side
// bookkeeping of their layout. Shared by cuda/gpu_features.cu (which downloads the result into
// StructureFeatures) and cuda/gpu_hdnnp.cu (which keeps it there for the networks and the forces).
// Internal to cuda/.
#pragma once
#include <nvtx3/nvToolsExt.h>

#include <cstdint>
#include <vector>

#include "agl/symmetry_function_groups.hpp"
#include "feature_kernels.cuh"

namespace agl::gpu {

// NVTX range for Nsight Systems (agl::ScopedPhase lives in agl_core, which agl_cuda must not depend on).
struct NvtxRange {
    explicit NvtxRange(const char* name) { nvtxRangePushA(name); }
    ~NvtxRange() { nvtxRangePop(); }
};

// Device copy of the function tables of every centre element ("slot" = index into `groups`).
template <typename T>
struct FeatureTables {
    DeviceBuffer<int> slotOfElement, functionBegin, termBegin;
    DeviceBuffer<GpuFunction<T>> functions;
    DeviceBuffer<GpuPairTerm<T>> terms;
    std::vector<int> hostSlotOfElement;  // (kMaxAtomicNumber + 1)
    std::vector<int> numFunctions;       // (numSlots)
    std::vector<double> maxCutoff;       // (numSlots) largest rc of the slot's functions
    int termStride = 0, gradStride = 0;
    double cutoff = 0.0;                 // neighbour-list cutoff: largest rc of all

    FeatureTablesView<T> view() const {
        return {slotOfElement.data(), functionBegin.data(), functions.data(), termBegin.data(), terms.data(),
                termStride, gradStride};
    }
};

template <typename T>
FeatureTables<T> uploadTables(const std::vector<ElementGroups>& groups, cudaStream_t stream);

// Per-atom bookkeeping of a chunk, on the host.
struct AtomLayout {
    std::vector<int> numFunctions;          // (numAtoms)
    std::vector<std::uint64_t> valueOffset; // (numAtoms + 1)
};

// What a chunk's feature pass leaves on the device (layout: include/agl/features.hpp, chunk atom indices;
// the entries are worked out on the device, agl/derivative_entries.hpp). Kept from call to call by a caller
// that evaluates structure after structure (an MD loop): every buffer is grown, never shrunk, so device
// sizes are capacities and the host vectors hold the counts.
template <typename T>
struct DeviceFeatures {
    StructureChunk chunk;
    DeviceNeighborList<T> list;                  // the full neighbour list (kept: the force gather reads it)
    std::vector<int> elements;                   // (numAtoms) atomic numbers, host copy
    AtomLayout atoms;                            // host: functions and value offsets per atom
    DeviceBuffer<std::uint64_t> valueOffset;     // (numAtoms + 1)
    DeviceBuffer<int> numFunctions;              // (numAtoms)
    // What valueOffset, numFunctions and cutoffOfAtom hold (uploadIfChanged: the same in every MD step).
    std::vector<std::uint64_t> uploadedValueOffset;
    std::vector<int> uploadedNumFunctions;
    std::vector<T> uploadedCutoffOfAtom;
    DeviceBuffer<double> values;                 // raw G
    // With derivatives only:
    DeviceBuffer<T> cutoffOfAtom;                // (numAtoms) largest cutoff of the atom's element (0: none)
    std::vector<std::uint32_t> entryOffsets;     // host (numAtoms + 1): entries of atom i
    std::vector<std::uint64_t> derivativeStart;  // host (numAtoms + 1): blocks of atom i in `derivatives`
    DeviceBuffer<std::uint32_t> entryOffsetsDevice, entryAtom;  // entryAtom (Σ entries): chunk index of k
    DeviceBuffer<std::uint64_t> derivativeStartDevice;
    DeviceBuffer<double> derivatives;            // merged (3 × nf) blocks per entry
    // Scratch of the pass.
    DeviceBuffer<int> pairElement;
    DeviceBuffer<T> a, da;
    DeviceBuffer<double> pairGradient;
    DeviceBuffer<std::uint32_t> numEntries, entryOfPair;
};

// The features of `part` (with derivatives when asked) into `out`, on the device; returns false, having
// done nothing, when a chunk of several structures would not fit in free GPU memory (split it and retry);
// throws when a single structure does not fit.
template <typename T>
bool computeOnDevice(const std::vector<const Structure*>& part, const FeatureTables<T>& tables, bool derivatives,
                     cudaStream_t stream, DeviceFeatures<T>& out);

}  // namespace agl::gpu
