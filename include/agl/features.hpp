// Feature engine: the symmetry functions G (and their derivatives dG/dr) of structures and data sets.
//
//   FeatureTable computeFeatures(const Dataset&, const NnSettings&, const FeatureOptions&)
//       Whole data set → one matrix per element (include/agl/feature_table.hpp), raw G, n2p2 column order.
//   StructureFeatures computeStructureFeatures(const Structure&, const NnSettings&, const FeatureOptions&)
//       One structure, with derivatives when options.derivatives (for forces F = −Σ dE/dG · dG/dr).
//   FeatureEngine  the same, with the grouped function tables built once (use it in loops: MD, training).
//
// Device::Cpu: grouped evaluation in double precision (options.precision is ignored on the CPU), OpenMP over
// atoms. Device::Gpu: dispatched to the CUDA backend (include/agl/gpu_features.hpp when built with CUDA);
// a build without it throws agl::Error("... not built ...").
//
// Derivative layout (sparse per centre atom i; k runs over i itself and every distinct atom that has an image
// within the largest cutoff of i's element; images of one atom are merged because they move together):
//   derivativeOffsets  (numAtoms + 1)  the entries of atom i are e in [derivativeOffsets[i], derivativeOffsets[i+1])
//   derivativeAtom     (numEntries)    atom k of entry e; the FIRST entry of atom i is i itself
//   derivativeStart    (numAtoms)      position of entry derivativeOffsets[i] in `derivatives`
//   derivatives        for entry e of atom i with nf = numFunctions(element of i):
//                      (3 × nf) row-major at derivativeStart[i] + (e − derivativeOffsets[i])·3·nf,
//                      row x holds ∂G_i,f/∂r_k,x for f = 0..nf−1 (1/length times the unit of G)
// So the force on atom k from centre i is F_k,x −= Σ_f dE/dG_i,f · row_x[f] — a contiguous dot product.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "agl/device.hpp"
#include "agl/feature_table.hpp"
#include "agl/neighbor_list.hpp"
#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"
#include "agl/symmetry_function_groups.hpp"

namespace agl {

struct FeatureOptions {
    Device device = Device::Cpu;
    Precision precision = Precision::Fp64;  // GPU only; the CPU computes in double
    int threads = 0;                        // OpenMP threads on the CPU; 0 = OpenMP's default
    std::size_t chunkStructures = 256;      // structures per chunk (progress, GPU batches)
    bool derivatives = false;               // computeStructureFeatures, continueFeatures: with derivatives
};

// A vector whose resize() leaves new doubles uninitialised: the derivative blocks are zeroed and filled per atom
// by the thread that computes the atom (cache-hot), so a value-initialising resize would only add a memset of the
// whole buffer (tens of MB per structure) and touch every page twice.
template <typename T>
struct NoInitAllocator : std::allocator<T> {
    template <typename U>
    struct rebind {
        using other = NoInitAllocator<U>;
    };
    NoInitAllocator() = default;
    template <typename U>
    NoInitAllocator(const NoInitAllocator<U>&) {}
    template <typename U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;  // default-initialise: no zeroing
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

struct StructureFeatures {
    std::vector<int> numFunctions;               // (numAtoms) functions of each atom's element
    std::vector<std::size_t> valueOffsets;       // (numAtoms + 1) G of atom i: values[valueOffsets[i] ...]
    std::vector<double> values;                  // raw G, n2p2 column order per element
    // Derivatives (empty unless requested); layout in the header comment.
    std::vector<std::uint32_t> derivativeOffsets;  // (numAtoms + 1)
    std::vector<std::uint32_t> derivativeAtom;     // (numEntries)
    std::vector<std::size_t> derivativeStart;      // (numAtoms)
    std::vector<double, NoInitAllocator<double>> derivatives;

    std::size_t numAtoms() const { return numFunctions.size(); }
    const double* g(std::size_t i) const { return values.data() + valueOffsets[i]; }
    bool hasDerivatives() const { return !derivativeOffsets.empty(); }
    // (3 × nf) block of entry e (absolute entry index) of centre atom i.
    const double* dGdr(std::size_t i, std::size_t e) const {
        return derivatives.data() + derivativeStart[i] + (e - derivativeOffsets[i]) * 3 * numFunctions[i];
    }
};

class FeatureEngine {
public:
    explicit FeatureEngine(const NnSettings& settings);
    // Features of one structure on the CPU; OpenMP over atoms (`threads`, 0 = OpenMP's default).
    StructureFeatures compute(const Structure& s, bool derivatives, int threads = 0) const;
    // The same into `out`, reusing its buffers (no allocation or page faults when called in a loop, as in MD).
    void compute(const Structure& s, bool derivatives, int threads, StructureFeatures& out) const;
    // The same over a given full neighbour list of s (cutoff >= maxCutoff(); pairs beyond a function's cutoff
    // are skipped, so a Verlet list with a skin serves: SkinNeighborList).
    void compute(const Structure& s, const NeighborList& list, bool derivatives, int threads,
                 StructureFeatures& out) const;
    // Features of several structures appended to `table` (made by emptyTable(); rows, structure index
    // counted on from table.numStructures(), energies, atom counts and tags). OpenMP over all atoms.
    void appendTo(const std::vector<const Structure*>& chunk, FeatureTable& table, int threads = 0) const;
    // The rows of `chunk` appended to `table` as appendTo does (structure and atom indices, energies, atom
    // counts, tags) with every value 0: for a caller that has the values already (agl features resuming).
    void appendLayout(const std::vector<const Structure*>& chunk, FeatureTable& table) const;
    // An empty table with one ElementFeatures (and its functions) per settings element.
    FeatureTable emptyTable() const;

    const std::vector<ElementGroups>& groups() const { return groups_; }
    // Groups of element z, or nullptr when the settings have no functions for it.
    const ElementGroups* groupsOf(int z) const;
    double maxCutoff() const { return maxCutoff_; }

private:
    std::vector<ElementGroups> groups_;  // ascending element
    std::vector<int> slotOfElement_;     // (119) index into groups_ or −1
    double maxCutoff_ = 0.0;
};

// In chunks of options.chunkStructures structures; `afterChunk(n)` is told the n structures of each finished
// chunk (progress). A structure whose neighbours cannot be searched (a cell far thinner than the cutoff, an
// atom far outside it) is named in the error with the function that sets the cutoff: an InputError
// "input.data:40: structure 12: … (the cutoff is that of input.nn:9 `symfunction_short …`)" when data and
// settings were read from files (Dataset::source, NnSettings::source), else "structure 12 (of the data,
// counting from 1): … (the cutoff is that of `symfunction_short …`)". An atom of an element without
// functions is refused the same way before any work ("input.data:40: structure 12: atom 3 is O, an element
// input.nn has no symmetry functions for").
FeatureTable computeFeatures(const Dataset& data, const NnSettings& settings, const FeatureOptions& options,
                             const std::function<void(std::size_t)>& afterChunk = {});
// The same with an engine already built from `settings` (a caller that needs it again, for derivatives).
FeatureTable computeFeatures(const Dataset& data, const FeatureEngine& engine, const NnSettings& settings,
                             const FeatureOptions& options, const std::function<void(std::size_t)>& afterChunk = {});
// The chunked driver behind computeFeatures, for a caller that keeps each chunk as it is done (agl features:
// files that grow chunk by chunk, resumable). Appends data.structures[table.numStructures() ...] to `table`
// (made by engine.emptyTable(), possibly holding the first structures of `data` already). With
// options.derivatives every structure is computed with its derivatives, its G taken from that same pass (equal
// to the energies-only G to rounding, not bit for bit: type 9 sums in another order), and handed to
// onStructure(structure index, features) after its rows were appended; one structure's derivatives are in
// memory at a time. afterChunk(n) follows each chunk of n structures; returning false stops (the table then
// holds the chunks done). Errors as computeFeatures.
using StructureSink = std::function<void(std::size_t, const StructureFeatures&)>;
void continueFeatures(const Dataset& data, const FeatureEngine& engine, const NnSettings& settings,
                      const FeatureOptions& options, FeatureTable& table, const StructureSink& onStructure,
                      const std::function<bool(std::size_t)>& afterChunk);
StructureFeatures computeStructureFeatures(const Structure& s, const NnSettings& settings,
                                           const FeatureOptions& options);

}  // namespace agl
