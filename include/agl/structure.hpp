// Structure and Dataset: the atomic configurations with reference energies and forces.
// Units are those of the data (n2p2 has no unit system): lengths must agree with the symmetry-function
// parameters (η in 1/length², rs and rc in length), energies in the data's energy unit.
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "agl/vec3.hpp"

namespace agl {

// Which split a structure belongs to, from `begin set=train|test` in input.data or `set=` in extxyz.
enum class SetTag { Unspecified, Train, Test };

struct Structure {
    std::string comment;                   // n2p2 `comment` line (extxyz: the `comment=` key)
    bool periodic = false;                 // true: `cell` holds 3 lattice vectors, periodic in 3D
    std::array<Vec3d, 3> cell{};           // rows = lattice vectors a, b, c (length)
    std::vector<Vec3d> positions;          // (numAtoms) Cartesian, wrapped into the cell (length)
    std::vector<int> elements;             // (numAtoms) atomic numbers
    std::vector<double> atomCharges;       // (numAtoms) n2p2 column c (charge unit)
    std::vector<Vec3d> forces;             // (numAtoms) reference forces (energy/length)
    double energy = 0.0;                   // total reference energy (energy)
    double charge = 0.0;                   // total charge
    SetTag tag = SetTag::Unspecified;
    long sourceLine = 0;                   // 1-based line where it begins in the file read (Dataset::source:
                                           // `begin` or the extxyz atom count); 0: made here
    // extxyz info keys this project does not interpret, kept verbatim (key, value) in file order.
    std::vector<std::pair<std::string, std::string>> metadata;

    std::size_t numAtoms() const { return positions.size(); }
};

struct Dataset {
    std::vector<Structure> structures;
    std::string source;  // the file the structures were read from ("" when made here)

    std::size_t numAtoms() const;
    // Atomic numbers present, ascending.
    std::vector<int> elements() const;
};

// Volume of the cell (a × b) · c; positive for a right-handed cell. Inline (like toFractional) so that the
// host side of the CUDA backend uses the very same arithmetic without linking the host libraries.
inline double cellVolume(const std::array<Vec3d, 3>& cell) { return dot(cross(cell[0], cell[1]), cell[2]); }
// Fractional coordinates of Cartesian points (solves r = f·cell): r = f0 a + f1 b + f2 c  =>
// f_i = (r · (b_j × b_k)) / V (reciprocal vectors). The cross products and V are computed once per cell, for
// loops over atoms; toFractional computes them per point, with the same operations and so the same numbers.
struct FractionalMap {
    Vec3d bc, ca, ab;  // b × c, c × a, a × b
    double volume;     // (a × b) · c, as cellVolume
    explicit FractionalMap(const std::array<Vec3d, 3>& cell)
        : bc(cross(cell[1], cell[2])), ca(cross(cell[2], cell[0])), ab(cross(cell[0], cell[1])),
          volume(dot(ab, cell[2])) {}
    Vec3d operator()(const Vec3d& r) const { return {dot(r, bc) / volume, dot(r, ca) / volume, dot(r, ab) / volume}; }
};
inline Vec3d toFractional(const std::array<Vec3d, 3>& cell, Vec3d r) { return FractionalMap(cell)(r); }
// Wraps every position of a periodic structure into [0, 1) fractional coordinates; no-op otherwise.
void wrapPositions(Structure& s);

}  // namespace agl
