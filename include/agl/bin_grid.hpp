// BinGrid: the cell lists ("bins") of one structure and the per-atom neighbour search over them — ONE
// implementation for the CPU neighbour list (host/core/neighbor_list.cpp, OpenMP over atoms) and the GPU one
// (cuda/neighbor_list.cu, one thread per centre atom), so the CPU tests check the very traversal the GPU runs.
// Header-only: the CUDA backend builds its grids on the host without linking the host libraries.
//
// Bins are slices of the cell in fractional coordinates: m_d bins along lattice vector d, each at least
// `cutoff` thick when the cell allows (thickness = cell height h_d / m_d, h_d = V / |b × c| etc.). A pair
// within the cutoff differs by at most s_d = ceil(cutoff · m_d / h_d) bins along d, so atom i visits bins
// b + o, o in [−s_d, s_d]; out-of-range bins wrap with a lattice shift. Distinct offsets o give distinct
// (bin, shift) pairs, so no image is visited twice. When the cell is thinner than the cutoff (m_d = 1,
// s_d > 1) the same bin is visited with several shifts, which enumerates every image — including images of
// i itself. Open structures use an axis-aligned box with no wrapping. Work is linear in the number of atoms
// for a fixed density. Lengths in the unit of the data.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "agl/error.hpp"
#include "agl/structure.hpp"
#include "agl/vec3.hpp"

namespace agl {

// What the search reads: plain numbers and pointers (to host or device arrays), copyable to the GPU.
struct BinGridView {
    int periodic = 0;
    Vec3d cell[3] = {};                    // periodic: lattice vectors; open: box edges (axis-aligned)
    int bins[3] = {1, 1, 1};               // m_d
    int reach[3] = {0, 0, 0};              // s_d
    int repeatsAtoms = 0;                  // BinGrid::repeatsAtoms
    const Vec3d* positions = nullptr;      // (numAtoms) wrapped into the cell (images are r + n·cell)
    const std::uint32_t* binStart = nullptr;  // (numBins + 1) atoms of bin b: binAtoms[binStart[b] .. [b+1])
    const std::uint32_t* binAtoms = nullptr;  // (numAtoms) atom indices, bin by bin, ascending within a bin
    const int* binOf = nullptr;            // (numAtoms) linear bin (b0·m1 + b1)·m2 + b2 of each atom
};

// The grid of one structure on the host (owns the arrays a BinGridView points into).
struct BinGrid {
    bool periodic = false;
    std::array<Vec3d, 3> cell{};
    std::array<int, 3> bins{1, 1, 1};
    std::array<int, 3> reach{0, 0, 0};
    // Whether a centre's list may hold the same atom more than once (two of its images within the cutoff):
    // only in a periodic cell with a height below twice the cutoff. Two images of an atom differ by a lattice
    // vector n·cell, at least as long as the smallest height h_d with n_d ≠ 0, so with every h_d ≥ 2·cutoff
    // (plus a margin far above rounding) at most one of them lies within the cutoff of any point.
    bool repeatsAtoms = false;
    std::vector<Vec3d> positions;
    std::vector<std::uint32_t> binStart, binAtoms;
    std::vector<int> binOf;

    std::size_t numBins() const { return binStart.empty() ? 0 : binStart.size() - 1; }
    // Pointers into this grid's own arrays (valid while it lives and is not resized).
    BinGridView view() const {
        BinGridView v;
        v.periodic = periodic ? 1 : 0;
        for (int d = 0; d < 3; ++d) {
            v.cell[d] = cell[d];
            v.bins[d] = bins[d];
            v.reach[d] = reach[d];
        }
        v.repeatsAtoms = repeatsAtoms ? 1 : 0;
        v.positions = positions.data();
        v.binStart = binStart.data();
        v.binAtoms = binAtoms.data();
        v.binOf = binOf.data();
        return v;
    }
};

namespace bin_grid_detail {

// The most bins (cells of the grid and their periodic images) one atom's search may visit.
constexpr long kMaxImageBins = 1L << 24;

inline int binsAlong(double height, double cutoff) {
    const double m = std::floor(height / cutoff);
    return static_cast<int>(std::clamp(m, 1.0, 1024.0));
}

// Keeps the number of bins near the number of atoms (huge empty boxes would otherwise cost more than the atoms).
inline void limitBins(std::array<int, 3>& m, std::size_t numAtoms) {
    const double cap = std::max<double>(8.0, 2.0 * static_cast<double>(numAtoms));
    while (static_cast<double>(m[0]) * m[1] * m[2] > cap) {
        const int d = static_cast<int>(std::max_element(m.begin(), m.end()) - m.begin());
        m[d] = std::max(1, m[d] / 2);
    }
}

// Rounded double operations, never contracted into FMAs on either side: the GPU's count and fill passes must
// agree bit for bit, and both must decide "inside the cutoff" exactly as the CPU does. On the host the
// translation units that search are compiled with -ffp-contract=off (CMakeLists.txt), since a plain a * b + c
// may become an FMA there.
AGL_HD double mul(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
}
AGL_HD double add(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dadd_rn(a, b);
#else
    return a + b;
#endif
}
AGL_HD double sub(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dsub_rn(a, b);
#else
    return a - b;
#endif
}
// The same lattice with a basis as short as pairwise reduction makes it: while some |a_i·a_j| > |a_j|²/2,
// a_i −= round(a_i·a_j / |a_j|²)·a_j (each step shortens a_i, so it ends). A strongly skewed cell (a tilt of
// many cell lengths) has tiny heights and would otherwise need thousands of images per atom; the pairs
// found are the same, as both bases span one lattice. Cells with tilts of at most half a length (LAMMPS's
// convention, and almost every data set) are returned unchanged, bit for bit.
inline std::array<Vec3d, 3> reducedCell(std::array<Vec3d, 3> c) {
    for (int sweep = 0; sweep < 200; ++sweep) {
        bool changed = false;
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
                const double jj = dot(c[j], c[j]);
                if (i == j || !(jj > 0)) continue;
                const double t = dot(c[i], c[j]) / jj;
                if (!(std::abs(t) > 0.5 + 1e-9)) continue;
                c[i] = c[i] - std::round(t) * c[j];
                changed = true;
            }
        if (!changed) break;
    }
    return c;
}

// Positions far outside the cell are wrapped; beyond this many cell lengths the wrap loses all digits
// (a position that large comes from a damaged file or a diverged run, not from physics).
constexpr double kMaxCellsAway = 1e12;

inline bool isFinite(const Vec3d& r) { return std::isfinite(r.x) && std::isfinite(r.y) && std::isfinite(r.z); }

[[noreturn]] inline void refusePosition(std::size_t i, const Vec3d& r) {
    std::ostringstream msg;
    msg << "atom " << i << " is at (" << r.x << ", " << r.y << ", " << r.z
        << "): not finite, or more than 1e12 cell lengths from the cell (a damaged file or a diverged run?)";
    throw Error(msg.str());
}

// ⌊a / b⌋ for b > 0.
AGL_HD int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace bin_grid_detail

// Throws Error naming the first atom whose position is not finite or, in a periodic structure, lies more than
// kMaxCellsAway cell lengths from the cell (`cell`: s.cell reduced, as the bins use it).
inline void checkPositionsPlaceable(const Structure& s, const std::array<Vec3d, 3>& cell) {
    using namespace bin_grid_detail;
    const FractionalMap fractional(cell);
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        if (!isFinite(s.positions[i])) refusePosition(i, s.positions[i]);
        if (!s.periodic) continue;
        const Vec3d f = fractional(s.positions[i]);
        for (int d = 0; d < 3; ++d)
            if (!(std::abs(f[d]) < kMaxCellsAway)) refusePosition(i, s.positions[i]);
    }
}
inline void checkPositionsPlaceable(const Structure& s) {
    checkPositionsPlaceable(s, s.periodic ? bin_grid_detail::reducedCell(s.cell) : s.cell);
}

namespace bin_grid_detail {

// Bins m_d along each axis for cell heights h_d, the search reach s_d and repeatsAtoms; refuses a periodic
// cell so thin that the search would need more than kMaxImageBins image bins per atom.
inline void setBinsAndReach(BinGrid& g, const std::array<double, 3>& height, double cutoff, std::size_t numAtoms) {
    for (int d = 0; d < 3; ++d) g.bins[d] = binsAlong(height[d], cutoff);
    g.repeatsAtoms = g.periodic && *std::min_element(height.begin(), height.end()) < 2.0 * cutoff * (1.0 + 1e-9);
    limitBins(g.bins, numAtoms);
    // Bins to search on each side. Without periodicity at most bins − 1 (flat or linear clusters have a
    // height of ~0 along some axis); with it, one per bin width within the cutoff, so a cell much thinner
    // than the cutoff means very many images: refused beyond kMaxImageBins bins per atom, where the search
    // would run for hours and the list would not fit in memory. Capped in double before the cast to int.
    double imageBins = 1.0;
    for (int d = 0; d < 3; ++d) {
        const double need = std::ceil(cutoff * g.bins[d] / height[d]);
        g.reach[d] = static_cast<int>(std::min(need, g.periodic ? double(kMaxImageBins) : double(g.bins[d] - 1)));
        imageBins *= 2.0 * std::min(need, double(kMaxImageBins)) + 1.0;
    }
    if (g.periodic && imageBins > double(kMaxImageBins)) {
        std::ostringstream msg;
        msg << "periodic cell too thin for the neighbour cutoff " << cutoff << " (cell heights " << height[0]
            << ", " << height[1] << ", " << height[2] << "): more than " << kMaxImageBins
            << " image bins per atom. Are the cutoffs in the length unit of the structures?";
        throw Error(msg.str());
    }
}

// The cell heights; an open structure gets an axis-aligned box from `lo` that holds every atom.
inline std::array<double, 3> cellHeights(const Structure& s, BinGrid& g, Vec3d& lo) {
    std::array<double, 3> height{};
    if (s.periodic) {
        const double v = std::abs(cellVolume(g.cell));
        AGL_CHECK(v > 0, "periodic cell has zero volume");
        for (int d = 0; d < 3; ++d) height[d] = v / norm(cross(g.cell[(d + 1) % 3], g.cell[(d + 2) % 3]));
        return height;
    }
    Vec3d hi{0, 0, 0};
    lo = hi;
    if (s.numAtoms() > 0) lo = hi = s.positions[0];
    for (const auto& r : s.positions)
        for (int d = 0; d < 3; ++d) {
            lo[d] = std::min(lo[d], r[d]);
            hi[d] = std::max(hi[d], r[d]);
        }
    for (int d = 0; d < 3; ++d) {
        height[d] = std::max(hi[d] - lo[d], 1e-12) * (1 + 1e-12);
        g.cell[d] = Vec3d{0, 0, 0};
        g.cell[d][d] = height[d];
    }
    return height;
}

}  // namespace bin_grid_detail

// Bins of structure s for neighbours within `cutoff`, into g, whose arrays are reused (an MD loop that bins
// every step allocates only while the system grows). Periodic positions are wrapped into [0, 1) fractional
// coordinates (every atom, so that r_j + n·cell is computed from the same wrapped point on both devices).
inline void makeBinGrid(const Structure& s, double cutoff, BinGrid& g) {
    using namespace bin_grid_detail;
    AGL_CHECK(cutoff > 0, "neighbour cutoff must be positive");
    g.periodic = s.periodic;
    const std::size_t n = s.numAtoms();
    g.cell = s.periodic ? reducedCell(s.cell) : std::array<Vec3d, 3>{};
    checkPositionsPlaceable(s, g.cell);
    Vec3d lo{0, 0, 0};
    const std::array<double, 3> height = cellHeights(s, g, lo);
    setBinsAndReach(g, height, cutoff, n);
    const std::size_t numBins = static_cast<std::size_t>(g.bins[0]) * g.bins[1] * g.bins[2];
    g.positions.resize(n);
    g.binOf.resize(n);
    g.binStart.assign(numBins + 1, 0);
    const FractionalMap fractional(g.cell);
    for (std::size_t i = 0; i < n; ++i) {
        Vec3d f;
        if (s.periodic) {
            f = fractional(s.positions[i]);
            for (int d = 0; d < 3; ++d) {
                f[d] -= std::floor(f[d]);
                if (f[d] >= 1.0) f[d] = 0.0;  // -1e-17 - floor(...) rounds to 1.0
            }
            g.positions[i] = f[0] * g.cell[0] + f[1] * g.cell[1] + f[2] * g.cell[2];
        } else {
            for (int d = 0; d < 3; ++d) f[d] = std::clamp((s.positions[i][d] - lo[d]) / height[d], 0.0, 1.0 - 1e-15);
            g.positions[i] = s.positions[i];
        }
        int b[3];
        for (int d = 0; d < 3; ++d) b[d] = std::min(static_cast<int>(f[d] * g.bins[d]), g.bins[d] - 1);
        g.binOf[i] = (b[0] * g.bins[1] + b[1]) * g.bins[2] + b[2];
        ++g.binStart[static_cast<std::size_t>(g.binOf[i]) + 1];
    }
    for (std::size_t b = 0; b < numBins; ++b) g.binStart[b + 1] += g.binStart[b];
    g.binAtoms.resize(n);
    std::vector<std::uint32_t> fill(g.binStart.begin(), g.binStart.end() - 1);
    for (std::size_t i = 0; i < n; ++i) g.binAtoms[fill[static_cast<std::size_t>(g.binOf[i])]++] = static_cast<std::uint32_t>(i);
}

inline BinGrid makeBinGrid(const Structure& s, double cutoff) {
    BinGrid g;
    makeBinGrid(s, cutoff, g);
    return g;
}

// Calls visit(j, delta, r²) for every atom j (or image of j) with |delta| < cutoff of atom i, where
// delta = (r_j − r_i) + shift and cutoffSq = cutoff²; j ≠ i unless shifted. The lists are exactly symmetric:
// j's has i at −delta, bit for bit. Order: offsets o0, o1, o2 ascending, then the atoms of the bin — the same
// on every device.
template <typename Visit>
AGL_HD void forEachNeighbor(const BinGridView& g, std::uint32_t i, double cutoffSq, Visit&& visit) {
    using namespace bin_grid_detail;
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
                    shift[d] = floorDiv(raw, g.bins[d]);
                    b[d] = raw - shift[d] * g.bins[d];
                    inside = inside && shift[d] == 0;
                }
                if (!g.periodic && !inside) continue;
                // shift·cell as ((n0·a + n1·b) + n2·c), component by component.
                Vec3d sh;
                for (int c = 0; c < 3; ++c)
                    sh[c] = add(add(mul(double(shift[0]), g.cell[0][c]), mul(double(shift[1]), g.cell[1][c])),
                                mul(double(shift[2]), g.cell[2][c]));
                const bool unshifted = inside;
                const int bin = (b[0] * g.bins[1] + b[1]) * g.bins[2] + b[2];
                for (std::uint32_t p = g.binStart[bin]; p < g.binStart[bin + 1]; ++p) {
                    const std::uint32_t j = g.binAtoms[p];
                    if (unshifted && j == i) continue;
                    const Vec3d rj = g.positions[j];
                    // (r_j − r_i) + shift: the exact negative of the reverse pair's delta (fl(a − b) = −fl(b − a),
                    // and the shift of −n is −shift(n)), so i sees j at bit for bit the distance j sees i at,
                    // and a pair at the cutoff is in both lists or in neither.
                    const Vec3d delta{add(sub(rj.x, ri.x), sh.x), add(sub(rj.y, ri.y), sh.y),
                                      add(sub(rj.z, ri.z), sh.z)};
                    const double r2 = add(add(mul(delta.x, delta.x), mul(delta.y, delta.y)), mul(delta.z, delta.z));
                    if (r2 < cutoffSq) visit(j, delta, r2);
                }
            }
}

}  // namespace agl
