// Crystal builders for MD starts. Lengths in σ, density in atoms/σ³.
#pragma once
#include "agl/structure.hpp"

namespace agl::md {

// Face-centred cubic crystal of n × n × n conventional cells (4n³ atoms) in a periodic cubic box, lattice
// constant a = (4/ρ)^(1/3); basis (0,0,0), (½,½,0), (½,0,½), (0,½,½)·a as LAMMPS `lattice fcc`. Nearest
// neighbours: 12 at a/√2. Atoms of atomic number `element`, zero forces and charges.
Structure fccLattice(int cellsPerSide, double density, int element);

// The periodic structure repeated na × nb × nc times along its lattice vectors (supercell; atom order: image
// outer, original atom inner). Energies and forces of the copy are cleared; throws agl::Error when `s` is
// not periodic or a count is < 1.
Structure replicate(const Structure& s, int na, int nb, int nc);

// A periodic cubic cell of edge `length`.
std::array<Vec3d, 3> cubicCell(double length);

}  // namespace agl::md
