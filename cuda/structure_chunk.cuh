// Device-side data of a CHUNK of structures (several structures processed by one set of kernel launches,
// so that small structures still fill the GPU and big data sets stream through in pieces that fit memory).
//
// Atoms of all structures of the chunk are concatenated ("chunk index" a = atomBegin[s] + local index).
// Each structure comes with its cell lists (agl/bin_grid.hpp, built on the host exactly as the CPU builds
// them: the same wrapped positions, bins and search), so the GPU neighbour list is a cell-list search,
// linear in the number of atoms, with the CPU's pairs in the CPU's order.
//
// The neighbour list is a FULL list in CSR form: neighbours of chunk atom a are pairs
// [offsets[a], offsets[a+1]); per pair the chunk index of j and the vector r_j + shift − r_i and its length.
// CSR (count pass, exclusive scan on the host in 64 bits — a few hundred kB for 10⁵ atoms, and an overflow of
// the 32-bit offsets is caught before anything is written —, fill pass) rather than a padded max-neighbour layout: neighbour counts
// vary a lot between clusters, liquids and dense crystals, and the feature kernels give one warp to one
// atom, whose lanes read consecutive pairs — coalesced in CSR just as in a column-major padded layout.
// Internal to cuda/ (host code uses include/agl/gpu_features.hpp).
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <vector>

#include "agl/bin_grid.hpp"
#include "agl/gpu/device_buffer.hpp"
#include "agl/structure.hpp"

namespace agl::gpu {

// Pair and derivative-entry indices are 32-bit. A chunk may hold fewer than this many of either, leaving
// headroom so that a warp's strided loop (p += 32) over the last atom's pairs cannot wrap around.
constexpr std::uint64_t kMaxChunkIndex = (1ull << 32) - 64;
// Pairs plus atoms bound the derivative entries (one per pair, one self entry per atom).
inline bool fitsOneChunk(std::uint64_t numAtoms, std::uint64_t numPairs) { return numPairs + numAtoms < kMaxChunkIndex; }

// The host side of a chunk: the arrays uploadChunk copies to the device, with each structure's grid view
// pointing at its part of them (plain host code: tests/gpu/neighbor_list_test.cpp runs the kernels' search
// over a plan on the CPU, without a GPU).
struct ChunkPlan {
    std::vector<int> element, structureOf, atomBegin, binOf, visitOrder;  // as in StructureChunk
    std::vector<Vec3d> positions;
    std::vector<std::uint32_t> binStart, binAtoms;
    std::vector<std::size_t> binStartOffset;  // (numStructures) first binStart entry of each structure
    std::vector<BinGridView> grids;           // geometry only: pointers set by viewsInto
    BinGrid grid;                             // scratch: the grid of one structure at a time
    // The grids with their pointers into copies of positions, binStart, binAtoms and binOf at these addresses.
    std::vector<BinGridView> viewsInto(const Vec3d* positions, const std::uint32_t* binStart,
                                       const std::uint32_t* binAtoms, const int* binOf) const;
};

struct StructureChunk {
    int numStructures = 0;
    int numAtoms = 0;
    DeviceBuffer<int> element;               // (numAtoms) atomic number
    DeviceBuffer<int> structureOf;           // (numAtoms) structure (0-based within the chunk)
    DeviceBuffer<int> atomBegin;             // (numStructures + 1) first chunk atom of each structure
    // Cell lists: every structure's BinGrid arrays concatenated (local indices inside each), and one
    // BinGridView per structure pointing into them.
    DeviceBuffer<Vec3d> positions;           // (numAtoms) wrapped Cartesian positions (length)
    DeviceBuffer<std::uint32_t> binStart;    // (Σ (numBins + 1))
    DeviceBuffer<std::uint32_t> binAtoms;    // (numAtoms)
    DeviceBuffer<int> binOf;                 // (numAtoms)
    DeviceBuffer<BinGridView> grids;         // (numStructures)
    DeviceBuffer<int> visitOrder;            // (numAtoms) chunk atoms bin by bin: neighbouring threads, nearby atoms
    ChunkPlan plan;                          // the host side of the last upload (its arrays reused)
};

// Pair geometry in the precision T of the feature kernels (computed in double, then rounded once).
// Buffers are grown, never shrunk (reused from call to call): their sizes are capacities.
template <typename T>
struct DeviceNeighborList {
    std::size_t numPairs = 0;
    DeviceBuffer<std::uint32_t> counts;      // scratch of the count pass
    DeviceBuffer<std::uint32_t> offsets;     // (numAtoms + 1)
    DeviceBuffer<std::uint32_t> index;       // (numPairs) chunk index of neighbour j
    DeviceBuffer<T> dx, dy, dz;              // (numPairs) r_j + shift − r_i (length)
    DeviceBuffer<T> r;                       // (numPairs) |delta| < cutoff (length)
};

// The plan of a chunk, into `plan` (its arrays reused: an MD loop plans a chunk every step), or a new one.
void planChunk(const std::vector<const Structure*>& structures, double cutoff, ChunkPlan& plan);
ChunkPlan planChunk(const std::vector<const Structure*>& structures, double cutoff);

// Uploads the structures (positions wrapped into the cell) and their cell lists for `cutoff` into `chunk`,
// reusing its buffers (grown, never shrunk: sizes are capacities; counts are numAtoms and numStructures).
void uploadChunk(const std::vector<const Structure*>& structures, double cutoff, cudaStream_t stream,
                 StructureChunk& chunk);

// Count pass: fills list.numPairs and, when the chunk fits 32-bit indices (fitsOneChunk), list.offsets (no
// pair arrays yet), so the caller can check size and memory first and split the chunk.
template <typename T>
void countDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list);
// Fill pass: grows and fills the pair arrays (after countDeviceNeighbors with the same chunk and cutoff).
template <typename T>
void fillDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list);

}  // namespace agl::gpu
