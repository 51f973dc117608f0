// Perpendicular widths of a periodic cell and the minimum-image radius (shared by g(r) and MSD unwrapping).
#include <algorithm>
#include <cmath>

#include "agl/error.hpp"
#include "agl/md/analysis.hpp"

namespace agl::md {

std::array<double, 3> cellWidths(const std::array<Vec3d, 3>& cell) {
    const double volume = std::abs(cellVolume(cell));
    AGL_CHECK(volume > 0.0, "periodic cell has zero volume");
    std::array<double, 3> h{};
    // The face spanned by the two other lattice vectors has area |b_e × b_f|; volume / area is the height.
    for (int d = 0; d < 3; ++d) h[d] = volume / norm(cross(cell[(d + 1) % 3], cell[(d + 2) % 3]));
    return h;
}

double minimumImageRadius(const std::array<Vec3d, 3>& cell) {
    const auto h = cellWidths(cell);
    return 0.5 * std::min({h[0], h[1], h[2]});
}

}  // namespace agl::md
