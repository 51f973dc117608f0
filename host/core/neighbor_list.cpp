// Full neighbour lists with cell lists (bins), triclinic periodic cells of any size and open clusters: the
// grid and the per-atom search are agl/bin_grid.hpp's (shared with the GPU list, cuda/neighbor_list.cu).
#include "agl/neighbor_list.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <omp.h>

#include "agl/bin_grid.hpp"
#include "agl/error.hpp"
#include "agl/first_error.hpp"

namespace agl {

NeighborList buildNeighborList(const Structure& s, double cutoff) {
    const BinGrid grid = makeBinGrid(s, cutoff);
    const BinGridView g = grid.view();
    const double cutoffSq = cutoff * cutoff;
    const std::size_t n = s.numAtoms();
    NeighborList list;
    list.cutoff = cutoff;
    list.offsets.assign(n + 1, 0);
    // One search pass into per-thread buffers (each atom's neighbours contiguous there, in search order), then
    // one copy into the contiguous list: every distance is computed once, and the list does not depend on
    // which thread found which atom.
    struct Found {
        std::uint32_t j;
        double r;
        Vec3d delta;
    };
    const int threads = n > 256 ? omp_get_max_threads() : 1;
    std::vector<std::vector<Found>> found(static_cast<std::size_t>(threads));
    std::vector<std::uint32_t> threadOf(n);
    std::vector<std::size_t> startIn(n);
    FirstError error;  // std::bad_alloc of a buffer must not terminate the program
#pragma omp parallel for schedule(dynamic, 64) num_threads(threads)
    for (std::size_t i = 0; i < n; ++i)
        error.run([&] {
            const int t = omp_get_thread_num();
            std::vector<Found>& buffer = found[static_cast<std::size_t>(t)];
            threadOf[i] = static_cast<std::uint32_t>(t);
            startIn[i] = buffer.size();
            forEachNeighbor(g, std::uint32_t(i), cutoffSq, [&](std::uint32_t j, const Vec3d& delta, double r2) {
                buffer.push_back({j, std::sqrt(r2), delta});
            });
            list.offsets[i + 1] = static_cast<std::uint32_t>(
                std::min<std::size_t>(buffer.size() - startIn[i], std::numeric_limits<std::uint32_t>::max()));
        });
    error.rethrow();
    for (std::size_t i = 0; i < n; ++i) {
        AGL_CHECK(static_cast<std::uint64_t>(list.offsets[i]) + list.offsets[i + 1] <
                      std::numeric_limits<std::uint32_t>::max(),
                  "neighbour list too large");
        list.offsets[i + 1] += list.offsets[i];
    }
    const std::size_t pairs = list.offsets[n];
    list.index.resize(pairs);
    list.delta.resize(pairs);
    list.distance.resize(pairs);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::size_t i = 0; i < n; ++i) {
        const Found* from = found[threadOf[i]].data() + startIn[i];
        for (std::size_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p, ++from) {
            list.index[p] = from->j;
            list.delta[p] = from->delta;
            list.distance[p] = from->r;
        }
    }
    return list;
}

std::optional<ClosePair> findPairCloserThan(const Structure& s, double minDistance) {
    if (!(minDistance > 0) || s.numAtoms() == 0) return std::nullopt;
    const BinGrid grid = makeBinGrid(s, minDistance);
    const BinGridView g = grid.view();
    // Valid data has no such pair, so the scan normally runs to the end; it stops at the first pair found
    // (the readers only need one to report) and never stores a list.
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        std::optional<ClosePair> found;
        forEachNeighbor(g, std::uint32_t(i), minDistance * minDistance, [&](std::uint32_t j, const Vec3d&, double r2) {
            if (j < i) return;  // each unordered pair once (i == j: an image of i)
            const double r = std::sqrt(r2);
            if (!found || r < found->distance) found = ClosePair{i, j, r};
        });
        if (found) return found;
    }
    return std::nullopt;
}

}  // namespace agl
