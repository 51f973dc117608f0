// bench_gpu_host_plan: the host's part of every GPU MD step — binning the structure for the device's
// neighbour search (planChunk, cuda/structure_chunk.cuh: wrapped positions, cell lists, visit order) — for LJ
// fcc crystals at ρ = 1 (rc 2.8σ) of 2 048, 32 000 and 256 000 atoms. Host code only: runs without a GPU
// (CUDA builds only, as it uses the backend's internal header).
//   baseline:  a new plan per call, every array allocated again (as uploadChunk did until 2026-12-07)
//   candidate: one plan reused from call to call (uploadChunk now: StructureChunk::plan)
// The two plans are first checked to be equal, then timed interleaved, best of 7. Prints ns/atom, the ratio,
// and the ceiling that binning alone puts on GPU MD (atoms / time per step, in atom-steps/s).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "../cuda/structure_chunk.cuh"
#include "agl/md/lattice.hpp"

namespace {

template <typename F>
double seconds(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool samePlans(const agl::gpu::ChunkPlan& a, const agl::gpu::ChunkPlan& b) {
    const auto sameVec = [](const std::vector<agl::Vec3d>& x, const std::vector<agl::Vec3d>& y) {
        return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                          [](const agl::Vec3d& p, const agl::Vec3d& q) { return p.x == q.x && p.y == q.y && p.z == q.z; });
    };
    return a.element == b.element && a.structureOf == b.structureOf && a.atomBegin == b.atomBegin &&
           a.binOf == b.binOf && a.visitOrder == b.visitOrder && a.binStart == b.binStart &&
           a.binAtoms == b.binAtoms && sameVec(a.positions, b.positions);
}

}  // namespace

int main() {
    const double cutoff = 2.8;
    std::printf("%9s %22s %22s %7s %26s\n", "atoms", "new plan (ns/atom)", "reused plan (ns/atom)", "ratio",
                "ceiling (atom-steps/s)");
    for (int cells : {8, 20, 40}) {
        const agl::Structure s = agl::md::fccLattice(cells, 1.0, 18);
        const std::vector<const agl::Structure*> structures{&s};
        agl::gpu::ChunkPlan reused;
        agl::gpu::planChunk(structures, cutoff, reused);
        if (!samePlans(reused, agl::gpu::planChunk(structures, cutoff))) {
            std::printf("MISMATCH between a new and a reused plan\n");
            return 1;
        }
        double fresh = 1e30, kept = 1e30;
        long check = 0;
        for (int rep = 0; rep < 7; ++rep) {
            fresh = std::min(fresh, seconds([&] { check += agl::gpu::planChunk(structures, cutoff).binOf.back(); }));
            kept = std::min(kept, seconds([&] {
                agl::gpu::planChunk(structures, cutoff, reused);
                check += reused.binOf.back();
            }));
        }
        const double n = double(s.numAtoms());
        std::printf("%9zu %22.1f %22.1f %6.2fx %26.3g   [%ld]\n", s.numAtoms(), fresh * 1e9 / n, kept * 1e9 / n,
                    fresh / kept, n / kept, check);
    }
    return 0;
}
