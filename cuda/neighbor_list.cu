// GPU neighbour list: FULL list (every j ≠ i within the cutoff, periodic images included, self images of
// cells smaller than the cutoff too), the same set of pairs as the CPU cell lists (tests/gpu/
// neighbor_list_test.cpp checks equality as sets).
//
// Algorithm: brute force over the atoms of the same structure × the image shifts, one WARP per centre atom i
// (lanes take consecutive j, so position reads are coalesced). Count pass → exclusive scan → fill pass;
// the fill pass writes each warp's pairs in a fixed order (j block, shift, lane) using a ballot, so the list
// is deterministic run to run. Cost O(N² · shifts) per structure: ~0.1 ms for a 2048-atom cell on an H100,
// fine for training structures (up to a few 10⁴ atoms); a cell-list kernel would be the next step for more.
// Distances are decided in double precision whatever the feature precision, so the set never depends on it.
#include <cmath>
#include <string>

#include "agl/element.hpp"
#include "agl/gpu/cuda_check.hpp"
#include "agl/gpu/stream.hpp"
#include "agl/gpu_features.hpp"
#include "structure_chunk.cuh"

namespace agl::gpu {
namespace {

constexpr int kWarp = 32;
constexpr int kBlock = 256;  // 8 centre atoms per block

struct ChunkView {
    int numAtoms;
    const double *x, *y, *z;
    const int *structureOf, *atomBegin;
    const double *sx, *sy, *sz;
    const int* shiftBegin;
};

ChunkView view(const StructureChunk& c) {
    return {c.numAtoms,          c.x.data(),         c.y.data(),      c.z.data(),
            c.structureOf.data(), c.atomBegin.data(), c.shiftX.data(), c.shiftY.data(),
            c.shiftZ.data(),      c.shiftBegin.data()};
}

// Pair (i, j, shift k) is a neighbour: inside the cutoff and not atom i itself (j == i with the zero shift).
__device__ __forceinline__ bool isNeighbor(const ChunkView& v, int i, int j, int k, double xi, double yi, double zi,
                                           double cutoffSq, double& dx, double& dy, double& dz, double& r2) {
    // Explicitly rounded operations (never contracted into FMAs): the count and fill passes must agree
    // bit for bit, and the result is then also what the CPU computes for (r_j + shift) − r_i.
    const double sx = v.sx[k], sy = v.sy[k], sz = v.sz[k];
    dx = __dsub_rn(__dadd_rn(v.x[j], sx), xi);
    dy = __dsub_rn(__dadd_rn(v.y[j], sy), yi);
    dz = __dsub_rn(__dadd_rn(v.z[j], sz), zi);
    r2 = __dadd_rn(__dadd_rn(__dmul_rn(dx, dx), __dmul_rn(dy, dy)), __dmul_rn(dz, dz));
    const bool self = (j == i) && sx == 0.0 && sy == 0.0 && sz == 0.0;
    return r2 < cutoffSq && !self;
}

// counts[i] = number of neighbours of chunk atom i. One warp per atom.
__global__ void countNeighborsKernel(ChunkView v, double cutoffSq, std::uint32_t* counts) {
    const int i = (blockIdx.x * blockDim.x + threadIdx.x) / kWarp;
    const int lane = threadIdx.x % kWarp;
    if (i >= v.numAtoms) return;  // uniform across the warp
    const int s = v.structureOf[i];
    const double xi = v.x[i], yi = v.y[i], zi = v.z[i];
    std::uint32_t count = 0;
    for (int j = v.atomBegin[s] + lane; j < v.atomBegin[s + 1]; j += kWarp)
        for (int k = v.shiftBegin[s]; k < v.shiftBegin[s + 1]; ++k) {
            double dx, dy, dz, r2;
            count += isNeighbor(v, i, j, k, xi, yi, zi, cutoffSq, dx, dy, dz, r2) ? 1u : 0u;
        }
    for (int o = kWarp / 2; o > 0; o /= 2) count += __shfl_down_sync(0xffffffffu, count, o);
    if (lane == 0) counts[i] = count;
}

// Writes the pairs of atom i into [offsets[i], offsets[i+1]) in the order (j block, shift, lane).
template <typename T>
__global__ void fillNeighborsKernel(ChunkView v, double cutoffSq, const std::uint32_t* offsets,
                                    std::uint32_t* index, T* dxOut, T* dyOut, T* dzOut, T* rOut) {
    const int i = (blockIdx.x * blockDim.x + threadIdx.x) / kWarp;
    const int lane = threadIdx.x % kWarp;
    if (i >= v.numAtoms) return;
    const int s = v.structureOf[i];
    const int jBegin = v.atomBegin[s], jEnd = v.atomBegin[s + 1];
    const double xi = v.x[i], yi = v.y[i], zi = v.z[i];
    const unsigned lanesBelow = (1u << lane) - 1u;
    std::uint32_t next = offsets[i];
    const std::uint32_t last = offsets[i + 1];  // never write past the counted pairs, whatever happens
    for (int jBlock = jBegin; jBlock < jEnd; jBlock += kWarp) {  // same trip count on every lane
        const int j = jBlock + lane;
        for (int k = v.shiftBegin[s]; k < v.shiftBegin[s + 1]; ++k) {
            double dx = 0, dy = 0, dz = 0, r2 = 0;
            const bool hit = j < jEnd && isNeighbor(v, i, j, k, xi, yi, zi, cutoffSq, dx, dy, dz, r2);
            const unsigned ballot = __ballot_sync(0xffffffffu, hit);
            const std::uint32_t p = next + __popc(ballot & lanesBelow);
            if (hit && p < last) {
                index[p] = static_cast<std::uint32_t>(j);
                dxOut[p] = static_cast<T>(dx);
                dyOut[p] = static_cast<T>(dy);
                dzOut[p] = static_cast<T>(dz);
                rOut[p] = static_cast<T>(sqrt(r2));
            }
            next += __popc(ballot);
        }
    }
}

int numBlocks(int numAtoms) { return (numAtoms * kWarp + kBlock - 1) / kBlock; }

// Reciprocal-vector fractional coordinates (same formula as agl::toFractional, kept here so that agl_cuda
// depends on headers only).
Vec3d fractional(const std::array<Vec3d, 3>& cell, Vec3d r, double volume) {
    return {dot(r, cross(cell[1], cell[2])) / volume, dot(r, cross(cell[2], cell[0])) / volume,
            dot(r, cross(cell[0], cell[1])) / volume};
}

}  // namespace

std::vector<Vec3d> imageShifts(const Structure& s, double cutoff) {
    if (!s.periodic) return {Vec3d{0, 0, 0}};
    const double volume = std::abs(dot(cross(s.cell[0], s.cell[1]), s.cell[2]));
    AGL_CHECK(volume > 0.0, "periodic structure with a degenerate cell");
    int m[3];
    long long total = 1;
    for (int d = 0; d < 3; ++d) {
        const double height = volume / norm(cross(s.cell[(d + 1) % 3], s.cell[(d + 2) % 3]));
        m[d] = static_cast<int>(std::ceil(cutoff / height));
        total *= 2LL * m[d] + 1;
    }
    AGL_CHECK(total <= 1000000, "cell far smaller than the cutoff: " + std::to_string(total) + " image shifts");
    std::vector<Vec3d> shifts;
    shifts.reserve(static_cast<std::size_t>(total));
    for (int a = -m[0]; a <= m[0]; ++a)
        for (int b = -m[1]; b <= m[1]; ++b)
            for (int c = -m[2]; c <= m[2]; ++c)
                shifts.push_back(double(a) * s.cell[0] + double(b) * s.cell[1] + double(c) * s.cell[2]);
    return shifts;
}

StructureChunk uploadChunk(const std::vector<const Structure*>& structures, double cutoff, cudaStream_t stream) {
    StructureChunk c;
    c.numStructures = static_cast<int>(structures.size());
    std::vector<double> x, y, z, sx, sy, sz;
    std::vector<int> element, structureOf, atomBegin{0}, shiftBegin{0};
    for (int s = 0; s < c.numStructures; ++s) {
        const Structure& st = *structures[s];
        AGL_CHECK(st.elements.size() == st.positions.size(), "structure with mismatched positions and elements");
        const double volume = st.periodic ? dot(cross(st.cell[0], st.cell[1]), st.cell[2]) : 1.0;
        for (std::size_t a = 0; a < st.numAtoms(); ++a) {
            Vec3d r = st.positions[a];
            if (st.periodic) {  // wrap atoms outside the cell; atoms inside keep their exact coordinates
                Vec3d f = fractional(st.cell, r, volume);
                bool inside = true;
                for (int d = 0; d < 3; ++d) inside = inside && f[d] >= 0.0 && f[d] < 1.0;
                if (!inside) {
                    for (int d = 0; d < 3; ++d) {
                        f[d] -= std::floor(f[d]);
                        if (f[d] >= 1.0) f[d] = 0.0;
                    }
                    r = f[0] * st.cell[0] + f[1] * st.cell[1] + f[2] * st.cell[2];
                }
            }
            x.push_back(r.x);
            y.push_back(r.y);
            z.push_back(r.z);
            AGL_CHECK(st.elements[a] >= 1 && st.elements[a] <= kMaxAtomicNumber,
                      "atomic number " + std::to_string(st.elements[a]) + " out of range");
            element.push_back(st.elements[a]);
            structureOf.push_back(s);
        }
        atomBegin.push_back(static_cast<int>(x.size()));
        for (const Vec3d& shift : imageShifts(st, cutoff)) {
            sx.push_back(shift.x);
            sy.push_back(shift.y);
            sz.push_back(shift.z);
        }
        shiftBegin.push_back(static_cast<int>(sx.size()));
    }
    c.numAtoms = static_cast<int>(x.size());
    auto put = [stream](auto& buffer, const auto& host) {
        buffer.resize(host.size());
        buffer.upload(host, stream);
    };
    put(c.x, x);
    put(c.y, y);
    put(c.z, z);
    put(c.element, element);
    put(c.structureOf, structureOf);
    put(c.atomBegin, atomBegin);
    put(c.shiftX, sx);
    put(c.shiftY, sy);
    put(c.shiftZ, sz);
    put(c.shiftBegin, shiftBegin);
    c.hostAtomBegin = std::move(atomBegin);
    return c;
}

template <typename T>
void countDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list) {
    const int n = chunk.numAtoms;
    std::vector<std::uint32_t> offsets(static_cast<std::size_t>(n) + 1, 0);
    if (n > 0) {
        DeviceBuffer<std::uint32_t> counts(static_cast<std::size_t>(n));
        countNeighborsKernel<<<numBlocks(n), kBlock, 0, stream>>>(view(chunk), cutoff * cutoff, counts.data());
        AGL_CUDA_CHECK_LAUNCH();
        const std::vector<std::uint32_t> c = counts.download(stream);
        std::uint64_t total = 0;
        for (int a = 0; a < n; ++a) {
            offsets[a] = static_cast<std::uint32_t>(total);
            total += c[a];
            AGL_CHECK(total < (1ull << 32), "more than 2^32 neighbour pairs in one chunk of structures");
        }
        offsets[n] = static_cast<std::uint32_t>(total);
    }
    list.offsets.resize(offsets.size());
    list.offsets.upload(offsets, stream);
    list.numPairs = offsets[n];
}

template <typename T>
void fillDeviceNeighbors(const StructureChunk& chunk, double cutoff, cudaStream_t stream, DeviceNeighborList<T>& list) {
    const std::size_t total = list.numPairs;
    list.index.resize(total);
    list.dx.resize(total);
    list.dy.resize(total);
    list.dz.resize(total);
    list.r.resize(total);
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
    const StructureChunk chunk = uploadChunk(structures, cutoff, stream.get());
    DeviceNeighborList<double> list;
    countDeviceNeighbors(chunk, cutoff, stream.get(), list);
    fillDeviceNeighbors(chunk, cutoff, stream.get(), list);
    const auto offsets = list.offsets.download(stream.get());
    const auto index = list.index.download(stream.get());
    const auto dx = list.dx.download(stream.get()), dy = list.dy.download(stream.get()),
               dz = list.dz.download(stream.get()), r = list.r.download(stream.get());

    std::vector<NeighborList> lists(structures.size());
    for (std::size_t s = 0; s < structures.size(); ++s) {
        NeighborList& out = lists[s];
        out.cutoff = cutoff;
        const int first = chunk.hostAtomBegin[s], last = chunk.hostAtomBegin[s + 1];
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
