// Full neighbour lists with cell lists (bins), triclinic periodic cells of any size and open clusters.
//
// Bins are slices of the cell in fractional coordinates: m_d bins along lattice vector d, each at least
// `cutoff` thick when the cell allows (thickness = cell height h_d / m_d, h_d = V / |b × c| etc.). A pair
// within the cutoff differs by at most s_d = ceil(cutoff · m_d / h_d) bins along d, so atom i visits bins
// b + o, o in [−s_d, s_d]; out-of-range bins wrap with a lattice shift. When the cell is thinner than the
// cutoff (m_d = 1, s_d > 1) the same bin is visited with several shifts, which enumerates every image —
// including images of i itself. Open structures use an axis-aligned box with no wrapping. Work is linear in
// the number of atoms for a fixed density.
#include "agl/neighbor_list.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <omp.h>

#include "agl/error.hpp"

namespace agl {
namespace {

struct BinGrid {
    bool periodic = false;
    std::array<Vec3d, 3> cell{};       // periodic: lattice vectors; open: box edges (axis-aligned)
    Vec3d origin{0, 0, 0};             // open: lower corner of the box
    std::array<int, 3> bins{1, 1, 1};  // m_d
    std::array<int, 3> reach{0, 0, 0}; // s_d
    std::vector<Vec3d> positions;      // wrapped into the cell (periodic) — images are still r + n·cell
    std::vector<std::uint32_t> binStart, binAtoms;  // CSR: atoms of bin b
    std::vector<int> binOf;            // (numAtoms)
};

int binsAlong(double height, double cutoff) {
    const double m = std::floor(height / cutoff);
    return static_cast<int>(std::clamp(m, 1.0, 1024.0));
}

// Keeps the number of bins near the number of atoms (huge empty boxes would otherwise cost more than the atoms).
void limitBins(std::array<int, 3>& m, std::size_t numAtoms) {
    const double cap = std::max<double>(8.0, 2.0 * static_cast<double>(numAtoms));
    while (static_cast<double>(m[0]) * m[1] * m[2] > cap) {
        int d = static_cast<int>(std::max_element(m.begin(), m.end()) - m.begin());
        m[d] = std::max(1, m[d] / 2);
    }
}

BinGrid makeGrid(const Structure& s, double cutoff) {
    AGL_CHECK(cutoff > 0, "neighbour cutoff must be positive");
    BinGrid g;
    g.periodic = s.periodic;
    const std::size_t n = s.numAtoms();
    g.positions = s.positions;
    std::vector<Vec3d> frac(n);
    std::array<double, 3> height{};
    if (s.periodic) {
        g.cell = s.cell;
        const double v = std::abs(cellVolume(s.cell));
        AGL_CHECK(v > 0, "periodic cell has zero volume");
        for (int d = 0; d < 3; ++d) height[d] = v / norm(cross(s.cell[(d + 1) % 3], s.cell[(d + 2) % 3]));
        for (std::size_t i = 0; i < n; ++i) {
            Vec3d f = toFractional(s.cell, s.positions[i]);
            for (int d = 0; d < 3; ++d) {
                f[d] -= std::floor(f[d]);
                if (f[d] >= 1.0) f[d] = 0.0;
            }
            frac[i] = f;
            g.positions[i] = f[0] * s.cell[0] + f[1] * s.cell[1] + f[2] * s.cell[2];
        }
    } else {
        Vec3d lo{0, 0, 0}, hi{0, 0, 0};
        if (n > 0) lo = hi = s.positions[0];
        for (const auto& r : s.positions)
            for (int d = 0; d < 3; ++d) {
                lo[d] = std::min(lo[d], r[d]);
                hi[d] = std::max(hi[d], r[d]);
            }
        g.origin = lo;
        for (int d = 0; d < 3; ++d) {
            height[d] = std::max(hi[d] - lo[d], 1e-12) * (1 + 1e-12);
            g.cell[d] = Vec3d{0, 0, 0};
            g.cell[d][d] = height[d];
        }
        for (std::size_t i = 0; i < n; ++i)
            for (int d = 0; d < 3; ++d)
                frac[i][d] = std::clamp((s.positions[i][d] - lo[d]) / height[d], 0.0, 1.0 - 1e-15);
    }
    for (int d = 0; d < 3; ++d) g.bins[d] = binsAlong(height[d], cutoff);
    limitBins(g.bins, n);
    for (int d = 0; d < 3; ++d) {
        g.reach[d] = static_cast<int>(std::ceil(cutoff * g.bins[d] / height[d]));
        if (!s.periodic) g.reach[d] = std::min(g.reach[d], g.bins[d] - 1);
    }
    const std::size_t numBins = static_cast<std::size_t>(g.bins[0]) * g.bins[1] * g.bins[2];
    g.binOf.resize(n);
    g.binStart.assign(numBins + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        int b[3];
        for (int d = 0; d < 3; ++d) b[d] = std::min(static_cast<int>(frac[i][d] * g.bins[d]), g.bins[d] - 1);
        g.binOf[i] = (b[0] * g.bins[1] + b[1]) * g.bins[2] + b[2];
        ++g.binStart[g.binOf[i] + 1];
    }
    for (std::size_t b = 0; b < numBins; ++b) g.binStart[b + 1] += g.binStart[b];
    g.binAtoms.resize(n);
    std::vector<std::uint32_t> fill(g.binStart.begin(), g.binStart.end() - 1);
    for (std::size_t i = 0; i < n; ++i) g.binAtoms[fill[g.binOf[i]]++] = static_cast<std::uint32_t>(i);
    return g;
}

// Calls visit(j, delta, distance) for every j (or image of j) within `cutoff` of atom i, j ≠ i unless shifted.
template <typename Visit>
void forEachNeighbor(const BinGrid& g, std::size_t i, double cutoff, Visit&& visit) {
    const double cut2 = cutoff * cutoff;
    const int bi = g.binOf[i];
    const int b0[3] = {bi / (g.bins[1] * g.bins[2]), (bi / g.bins[2]) % g.bins[1], bi % g.bins[2]};
    const Vec3d ri = g.positions[i];
    for (int o0 = -g.reach[0]; o0 <= g.reach[0]; ++o0)
        for (int o1 = -g.reach[1]; o1 <= g.reach[1]; ++o1)
            for (int o2 = -g.reach[2]; o2 <= g.reach[2]; ++o2) {
                const int o[3] = {o0, o1, o2};
                int b[3], shift[3];
                bool inside = true;
                for (int d = 0; d < 3; ++d) {
                    const int raw = b0[d] + o[d];
                    shift[d] = static_cast<int>(std::floor(static_cast<double>(raw) / g.bins[d]));
                    b[d] = raw - shift[d] * g.bins[d];
                    inside = inside && shift[d] == 0;
                }
                if (!g.periodic && !inside) continue;
                const Vec3d sh = static_cast<double>(shift[0]) * g.cell[0] +
                                 static_cast<double>(shift[1]) * g.cell[1] +
                                 static_cast<double>(shift[2]) * g.cell[2];
                const bool unshifted = shift[0] == 0 && shift[1] == 0 && shift[2] == 0;
                const int bin = (b[0] * g.bins[1] + b[1]) * g.bins[2] + b[2];
                for (std::uint32_t p = g.binStart[bin]; p < g.binStart[bin + 1]; ++p) {
                    const std::uint32_t j = g.binAtoms[p];
                    if (unshifted && j == i) continue;
                    const Vec3d delta = g.positions[j] + sh - ri;
                    const double d2 = dot(delta, delta);
                    if (d2 < cut2) visit(j, delta, std::sqrt(d2));
                }
            }
}

}  // namespace

NeighborList buildNeighborList(const Structure& s, double cutoff) {
    const BinGrid g = makeGrid(s, cutoff);
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
#pragma omp parallel for schedule(dynamic, 64) num_threads(threads)
    for (std::size_t i = 0; i < n; ++i) {
        const int t = omp_get_thread_num();
        std::vector<Found>& buffer = found[static_cast<std::size_t>(t)];
        threadOf[i] = static_cast<std::uint32_t>(t);
        startIn[i] = buffer.size();
        forEachNeighbor(g, i, cutoff, [&](std::uint32_t j, const Vec3d& delta, double r) { buffer.push_back({j, r, delta}); });
        list.offsets[i + 1] = static_cast<std::uint32_t>(std::min<std::size_t>(buffer.size() - startIn[i],
                                                                               std::numeric_limits<std::uint32_t>::max()));
    }
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
    const BinGrid g = makeGrid(s, minDistance);
    // Valid data has no such pair, so the scan normally runs to the end; it stops at the first pair found
    // (the readers only need one to report) and never stores a list.
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        std::optional<ClosePair> found;
        forEachNeighbor(g, i, minDistance, [&](std::uint32_t j, const Vec3d&, double r) {
            if (j < i) return;  // each unordered pair once (i == j: an image of i)
            if (!found || r < found->distance) found = ClosePair{i, j, r};
        });
        if (found) return found;
    }
    return std::nullopt;
}

}  // namespace agl
