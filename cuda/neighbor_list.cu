// GPU neighbour list: FULL list (every j ≠ i within the cutoff, periodic images included, self images of
// cells smaller than the cutoff too) with cell lists: one thread per centre atom runs agl/bin_grid.hpp's
// forEachNeighbor — the very search of the CPU list (host/core/neighbor_list.cpp) over the very grid
// (makeBinGrid on the host), so the GPU finds the CPU's pairs in the CPU's order with the CPU's rounding
// (tests/gpu/neighbor_list_test.cpp; the search itself is tested on the CPU by tests/core).
//
// Count pass → exclusive scan on the host (64 bits) → fill pass; each thread writes its atom's pairs in
// search order, so the list is deterministic. Threads take the atoms bin by bin (visitOrder), so the
// threads of a warp read the same few bins. Cost O(N · neighbours), like the CPU. Distances are decided in
// double precision whatever the feature precision, so the set never depends on it.
#include <cmath>
#include <string>

#include "agl/element.hpp"
#include "agl/gpu/cuda_check.hpp"
#include "agl/gpu/stream.hpp"
#include "agl/gpu_features.hpp"
#include "structure_chunk.cuh"

namespace agl::gpu {
namespace {

constexpr int kBlock = 128;

struct ChunkView {
    int numAtoms;
    const int *structureOf, *atomBegin, *visitOrder;
    const BinGridView* grids;
};

ChunkView view(const StructureChunk& c) {
    return {c.numAtoms, c.structureOf.data(), c.atomBegin.data(), c.visitOrder.data(), c.grids.data()};
}

// counts[i] = number of neighbours of chunk atom i.
__global__ void countNeighborsKernel(ChunkView v, double cutoffSq, std::uint32_t* counts) {
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t >= v.numAtoms) return;
    const int i = v.visitOrder[t], s = v.structureOf[i];
    std::uint32_t count = 0;
    forEachNeighbor(v.grids[s], std::uint32_t(i - v.atomBegin[s]), cutoffSq,
                    [&](std::uint32_t, const Vec3d&, double) { ++count; });
    counts[i] = count;
}

// Writes the pairs of atom i into [offsets[i], offsets[i+1]) in search order (chunk indices of j).
template <typename T>
__global__ void fillNeighborsKernel(ChunkView v, double cutoffSq, const std::uint32_t* offsets,
                                    std::uint32_t* index, T* dxOut, T* dyOut, T* dzOut, T* rOut) {
    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t >= v.numAtoms) return;
    const int i = v.visitOrder[t], s = v.structureOf[i];
    const std::uint32_t base = std::uint32_t(v.atomBegin[s]);
    std::uint32_t p = offsets[i];
    const std::uint32_t last = offsets[i + 1];  // never write past the counted pairs, whatever happens
    forEachNeighbor(v.grids[s], std::uint32_t(i) - base, cutoffSq, [&](std::uint32_t j, const Vec3d& d, double r2) {
        if (p < last) {
            index[p] = base + j;
            dxOut[p] = static_cast<T>(d.x);
            dyOut[p] = static_cast<T>(d.y);
            dzOut[p] = static_cast<T>(d.z);
            rOut[p] = static_cast<T>(sqrt(r2));
        }
        ++p;
    });
}

int numBlocks(int numAtoms) { return (numAtoms + kBlock - 1) / kBlock; }

}  // namespace

void planChunk(const std::vector<const Structure*>& structures, double cutoff, ChunkPlan& c) {
    std::size_t atoms = 0;
    for (const Structure* st : structures) atoms += st->numAtoms();
    for (std::vector<int>* v : {&c.element, &c.structureOf, &c.binOf, &c.visitOrder}) {
        v->clear();
        v->reserve(atoms);
    }
    c.atomBegin.clear();
    c.positions.clear();
    c.positions.reserve(atoms);
    c.binAtoms.clear();
    c.binAtoms.reserve(atoms);
    c.binStart.clear();
    c.binStartOffset.clear();
    c.grids.clear();
    c.atomBegin.push_back(0);
    BinGrid& g = c.grid;
    for (std::size_t s = 0; s < structures.size(); ++s) {
        const Structure& st = *structures[s];
        AGL_CHECK(st.elements.size() == st.positions.size(), "structure with mismatched positions and elements");
        makeBinGrid(st, cutoff, g);
        const int first = c.atomBegin.back();
        for (std::size_t a = 0; a < st.numAtoms(); ++a) {
            AGL_CHECK(st.elements[a] >= 1 && st.elements[a] <= kMaxAtomicNumber,
                      "atomic number " + std::to_string(st.elements[a]) + " out of range");
            c.element.push_back(st.elements[a]);
            c.structureOf.push_back(static_cast<int>(s));
        }
        c.positions.insert(c.positions.end(), g.positions.begin(), g.positions.end());
        c.binOf.insert(c.binOf.end(), g.binOf.begin(), g.binOf.end());
        c.binAtoms.insert(c.binAtoms.end(), g.binAtoms.begin(), g.binAtoms.end());
        for (std::uint32_t a : g.binAtoms) c.visitOrder.push_back(first + static_cast<int>(a));
        c.binStartOffset.push_back(c.binStart.size());
        c.binStart.insert(c.binStart.end(), g.binStart.begin(), g.binStart.end());
        c.grids.push_back(g.view());
        c.atomBegin.push_back(static_cast<int>(c.element.size()));
    }
}

ChunkPlan planChunk(const std::vector<const Structure*>& structures, double cutoff) {
    ChunkPlan c;
    planChunk(structures, cutoff, c);
    return c;
}

std::vector<BinGridView> ChunkPlan::viewsInto(const Vec3d* pos, const std::uint32_t* starts, const std::uint32_t* atoms,
                                              const int* bins) const {
    std::vector<BinGridView> v = grids;
    for (std::size_t s = 0; s < v.size(); ++s) {
        const std::size_t a = static_cast<std::size_t>(atomBegin[s]);
        v[s].positions = pos + a;
        v[s].binAtoms = atoms + a;
        v[s].binOf = bins + a;
        v[s].binStart = starts + binStartOffset[s];
    }
    return v;
}

void uploadChunk(const std::vector<const Structure*>& structures, double cutoff, cudaStream_t stream,
                 StructureChunk& c) {
    planChunk(structures, cutoff, c.plan);
    const ChunkPlan& plan = c.plan;
    c.numStructures = static_cast<int>(structures.size());
    c.numAtoms = static_cast<int>(plan.element.size());
    auto put = [stream](auto& buffer, const auto& host) { uploadInto(buffer, host, stream); };
    put(c.element, plan.element);
    put(c.structureOf, plan.structureOf);
    put(c.atomBegin, plan.atomBegin);
    put(c.positions, plan.positions);
    put(c.binStart, plan.binStart);
    put(c.binAtoms, plan.binAtoms);
    put(c.binOf, plan.binOf);
    put(c.visitOrder, plan.visitOrder);
    put(c.grids, plan.viewsInto(c.positions.data(), c.binStart.data(), c.binAtoms.data(), c.binOf.data()));
}

template <typename T>
void countDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list) {
    const int n = chunk.numAtoms;
    std::vector<std::uint32_t> offsets(static_cast<std::size_t>(n) + 1, 0);
    if (n > 0) {
        ensureSize(list.counts, static_cast<std::size_t>(n));
        countNeighborsKernel<<<numBlocks(n), kBlock, 0, stream>>>(view(chunk), cutoff * cutoff, list.counts.data());
        AGL_CUDA_CHECK_LAUNCH();
        const std::vector<std::uint32_t> c = list.counts.download(static_cast<std::size_t>(n), stream);
        std::uint64_t total = 0;
        for (int a = 0; a < n; ++a) {
            offsets[a] = static_cast<std::uint32_t>(total);
            total += c[a];
        }
        list.numPairs = total;
        if (!fitsOneChunk(n, total)) return;  // the caller splits the chunk (fillDeviceNeighbors refuses it)
        offsets[n] = static_cast<std::uint32_t>(total);
    } else {
        list.numPairs = 0;
    }
    uploadInto(list.offsets, offsets, stream);
}

template <typename T>
void fillDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list) {
    AGL_CHECK(fitsOneChunk(chunk.numAtoms, list.numPairs),
              "more than 2^32 - 64 neighbour pairs and atoms in one chunk of structures");
    const std::size_t total = list.numPairs;
    ensureSize(list.index, total);
    ensureSize(list.dx, total);
    ensureSize(list.dy, total);
    ensureSize(list.dz, total);
    ensureSize(list.r, total);
    if (total == 0) return;
    fillNeighborsKernel<T><<<numBlocks(chunk.numAtoms), kBlock, 0, stream>>>(
        view(chunk), cutoff * cutoff, list.offsets.data(), list.index.data(), list.dx.data(), list.dy.data(),
        list.dz.data(), list.r.data());
    AGL_CUDA_CHECK_LAUNCH();
    AGL_CUDA_CHECK(cudaStreamSynchronize(stream));
}

template void countDeviceNeighbors<float>(const StructureChunk&, double, cudaStream_t, DeviceNeighborList<float>&);
template void countDeviceNeighbors<double>(const StructureChunk&, double, cudaStream_t, DeviceNeighborList<double>&);
template void fillDeviceNeighbors<float>(const StructureChunk&, double, cudaStream_t, DeviceNeighborList<float>&);
template void fillDeviceNeighbors<double>(const StructureChunk&, double, cudaStream_t, DeviceNeighborList<double>&);

std::vector<NeighborList> buildNeighborLists(const std::vector<const Structure*>& structures, double cutoff) {
    AGL_CHECK(cutoff > 0.0, "neighbour list cutoff must be positive");
    Stream stream;
    StructureChunk chunk;
    uploadChunk(structures, cutoff, stream.get(), chunk);
    DeviceNeighborList<double> list;
    countDeviceNeighbors(chunk, cutoff, stream.get(), list);
    fillDeviceNeighbors(chunk, cutoff, stream.get(), list);
    const std::size_t pairs = list.numPairs;
    const auto offsets = list.offsets.download(std::size_t(chunk.numAtoms) + 1, stream.get());
    const auto index = list.index.download(pairs, stream.get());
    const auto dx = list.dx.download(pairs, stream.get()), dy = list.dy.download(pairs, stream.get()),
               dz = list.dz.download(pairs, stream.get()), r = list.r.download(pairs, stream.get());

    std::vector<NeighborList> lists(structures.size());
    for (std::size_t s = 0; s < structures.size(); ++s) {
        NeighborList& out = lists[s];
        out.cutoff = cutoff;
        const int first = chunk.plan.atomBegin[s], last = chunk.plan.atomBegin[s + 1];
        const std::uint32_t base = offsets[first];
        for (int a = first; a <= last; ++a) out.offsets.push_back(offsets[a] - base);
        for (std::uint32_t p = base; p < offsets[last]; ++p) {
            out.index.push_back(index[p] - static_cast<std::uint32_t>(first));
            out.delta.push_back(Vec3d{dx[p], dy[p], dz[p]});
            out.distance.push_back(r[p]);
        }
    }
    return lists;
}

}  // namespace agl::gpu
