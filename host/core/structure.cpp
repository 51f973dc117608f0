#include "agl/structure.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace agl {

std::size_t Dataset::numAtoms() const {
    std::size_t n = 0;
    for (const auto& s : structures) n += s.numAtoms();
    return n;
}

std::vector<int> Dataset::elements() const {
    std::set<int> z;
    for (const auto& s : structures) z.insert(s.elements.begin(), s.elements.end());
    return {z.begin(), z.end()};
}

void wrapPositions(Structure& s) {
    if (!s.periodic) return;
    for (auto& r : s.positions) {
        Vec3d f = toFractional(s.cell, r);
        bool inside = true;
        for (int d = 0; d < 3; ++d) inside = inside && f[d] >= 0.0 && f[d] < 1.0;
        if (inside) continue;  // keep the printed digits of atoms already in the cell
        for (int d = 0; d < 3; ++d) {
            f[d] -= std::floor(f[d]);
            if (f[d] >= 1.0) f[d] = 0.0;  // -1e-17 - floor(...) rounds to 1.0
        }
        r = f[0] * s.cell[0] + f[1] * s.cell[1] + f[2] * s.cell[2];
    }
}

}  // namespace agl
