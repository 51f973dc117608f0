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

Structure replicate(const Structure& s, int na, int nb, int nc) {
    AGL_CHECK(s.periodic, "only periodic structures can be replicated");
    AGL_CHECK(na >= 1 && nb >= 1 && nc >= 1, "replication counts must be at least 1");
    Structure out = s;
    out.positions.clear();
    out.elements.clear();
    for (int i = 0; i < na; ++i)
        for (int j = 0; j < nb; ++j)
            for (int k = 0; k < nc; ++k) {
                const Vec3d shift = double(i) * s.cell[0] + double(j) * s.cell[1] + double(k) * s.cell[2];
                for (std::size_t a = 0; a < s.numAtoms(); ++a) {
                    out.positions.push_back(s.positions[a] + shift);
                    out.elements.push_back(s.elements[a]);
                }
            }
    out.cell = {double(na) * s.cell[0], double(nb) * s.cell[1], double(nc) * s.cell[2]};
    out.atomCharges.assign(out.numAtoms(), 0.0);
    out.forces.assign(out.numAtoms(), Vec3d{0, 0, 0});
    out.energy = 0.0;
    return out;
}

}  // namespace agl::md
