// fcc crystal builder.
#include "agl/md/lattice.hpp"

#include <cmath>

#include "agl/error.hpp"

namespace agl::md {

std::array<Vec3d, 3> cubicCell(double length) {
    return {Vec3d{length, 0, 0}, Vec3d{0, length, 0}, Vec3d{0, 0, length}};
}

Structure fccLattice(int cellsPerSide, double density, int element) {
    AGL_CHECK(cellsPerSide >= 1, "an fcc crystal needs at least one cell per side");
    AGL_CHECK(density > 0.0, "density must be positive");
    const double a = std::cbrt(4.0 / density);
    const Vec3d basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    Structure s;
    s.periodic = true;
    s.cell = cubicCell(a * cellsPerSide);
    for (int i = 0; i < cellsPerSide; ++i)
        for (int j = 0; j < cellsPerSide; ++j)
            for (int k = 0; k < cellsPerSide; ++k)
                for (const Vec3d& b : basis)
                    s.positions.push_back(a * Vec3d{i + b.x, j + b.y, k + b.z});
    std::size_t n = s.positions.size();
    s.elements.assign(n, element);
    s.atomCharges.assign(n, 0.0);
    s.forces.assign(n, Vec3d{0, 0, 0});
    return s;
}

}  // namespace agl::md
