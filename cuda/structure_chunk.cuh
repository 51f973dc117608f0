// Device-side data of a CHUNK of structures (several structures processed by one set of kernel launches,
// so that small structures still fill the GPU and big data sets stream through in pieces that fit memory).
//
// Atoms of all structures of the chunk are concatenated ("chunk index" a = atomBegin[s] + local index).
// Positions are wrapped into the cell on the host so that the image shifts n ∈ [−m_d, m_d]³ with
// m_d = ceil(rc / h_d) (h_d = height of the cell perpendicular to lattice vector d) reach every image
// within the cutoff — the same image range as the CPU cell lists, including self images of small cells.
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

#include "agl/gpu/device_buffer.hpp"
#include "agl/structure.hpp"

namespace agl::gpu {

struct StructureChunk {
    int numStructures = 0;
    int numAtoms = 0;
    DeviceBuffer<double> x, y, z;            // (numAtoms) wrapped Cartesian positions (length)
    DeviceBuffer<int> element;               // (numAtoms) atomic number
    DeviceBuffer<int> structureOf;           // (numAtoms) structure (0-based within the chunk)
    DeviceBuffer<int> atomBegin;             // (numStructures + 1) first chunk atom of each structure
    DeviceBuffer<double> shiftX, shiftY, shiftZ;  // (numShifts) Cartesian image shifts, all structures
    DeviceBuffer<int> shiftBegin;            // (numStructures + 1) shifts of structure s: [shiftBegin[s], ..[s+1])
    std::vector<int> hostAtomBegin;          // host copy of atomBegin
};

// Pair geometry in the precision T of the feature kernels (computed in double, then rounded once).
template <typename T>
struct DeviceNeighborList {
    std::size_t numPairs = 0;
    DeviceBuffer<std::uint32_t> offsets;     // (numAtoms + 1)
    DeviceBuffer<std::uint32_t> index;       // (numPairs) chunk index of neighbour j
    DeviceBuffer<T> dx, dy, dz;              // (numPairs) r_j + shift − r_i (length)
    DeviceBuffer<T> r;                       // (numPairs) |delta| < cutoff (length)
};

// Image shifts a periodic structure needs for `cutoff` ({0} for a non-periodic one), Cartesian.
std::vector<Vec3d> imageShifts(const Structure& s, double cutoff);

// Uploads the structures (positions wrapped into the cell) and their image shifts.
StructureChunk uploadChunk(const std::vector<const Structure*>& structures, double cutoff, cudaStream_t stream);

// Count pass: fills list.offsets and list.numPairs (no pair arrays yet), so the caller can check memory first.
template <typename T>
void countDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list);
// Fill pass: allocates and fills the pair arrays (after countDeviceNeighbors with the same chunk and cutoff).
template <typename T>
void fillDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list);

}  // namespace agl::gpu
