// Full neighbour list with a skin, reused across MD steps (skin_neighbor_list.hpp).
#include "agl/skin_neighbor_list.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "agl/error.hpp"

namespace agl {

SkinNeighborList::SkinNeighborList(double cutoff, double skin) : cutoff_(cutoff), trigger_(skin) {
    AGL_CHECK(cutoff > 0.0, "neighbour cutoff must be positive");
}

const NeighborList& SkinNeighborList::update(const Structure& s) {
    if (trigger_.needsRebuild(s)) rebuild(s);
    refresh(s);
    return list_;
}

void SkinNeighborList::rebuild(const Structure& s) {
    const NeighborList fresh = buildNeighborList(s, cutoff_ + trigger_.skin());
    const std::size_t n = s.numAtoms();
    // Integer image of each pair: delta = r_j − r_i + n·cell for the positions as given.
    std::vector<std::array<int, 3>> image(fresh.numPairs(), std::array<int, 3>{0, 0, 0});
    if (s.periodic)
        for (std::size_t i = 0; i < n; ++i)
            for (std::uint32_t p = fresh.offsets[i]; p < fresh.offsets[i + 1]; ++p) {
                const Vec3d f = toFractional(s.cell, fresh.delta[p] - (s.positions[fresh.index[p]] - s.positions[i]));
                for (int d = 0; d < 3; ++d) image[p][d] = int(std::lround(f[d]));
            }
    // Canonical order per atom: neighbour, then image.
    list_.cutoff = fresh.cutoff;
    list_.offsets = fresh.offsets;
    list_.index.resize(fresh.numPairs());
    shift_.resize(fresh.numPairs());
    std::vector<std::uint32_t> order;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t a = fresh.offsets[i], b = fresh.offsets[i + 1];
        order.resize(b - a);
        std::iota(order.begin(), order.end(), a);
        std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
            return std::tie(fresh.index[x], image[x]) < std::tie(fresh.index[y], image[y]);
        });
        for (std::uint32_t k = 0; k < b - a; ++k) {
            const std::array<int, 3>& m = image[order[k]];
            list_.index[a + k] = fresh.index[order[k]];
            shift_[a + k] = double(m[0]) * s.cell[0] + double(m[1]) * s.cell[1] + double(m[2]) * s.cell[2];
        }
    }
    list_.delta.resize(fresh.numPairs());
    list_.distance.resize(fresh.numPairs());
    trigger_.recordBuild(s);
}

void SkinNeighborList::refresh(const Structure& s) {
    const std::size_t n = s.numAtoms();
    for (std::size_t i = 0; i < n; ++i)
        for (std::uint32_t p = list_.offsets[i]; p < list_.offsets[i + 1]; ++p) {
            const Vec3d d = (s.positions[list_.index[p]] - s.positions[i]) + shift_[p];
            list_.delta[p] = d;
            list_.distance[p] = std::sqrt(dot(d, d));
        }
}

}  // namespace agl
