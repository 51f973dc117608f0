#include "structure_checks.hpp"

#include <cmath>

#include "agl/error.hpp"
#include "agl/neighbor_list.hpp"
#include "agl/number_text.hpp"

namespace agl::io {
namespace {

// Fractional distance from the cell within which an atom counts as inside and is left untouched.
constexpr double kFaceTolerance = 1e-12;

// agl::wrapPositions applied to the atoms that are really outside the cell. An atom that the wrap put on a
// cell face (f = 0) can come back at f = -1e-17 when its printed position is read again; wrapping it a second
// time would move it by one ulp, and input.data -> extxyz -> input.data would not reproduce the text. Atoms
// within kFaceTolerance of the cell are therefore kept exactly as read (the neighbour list wraps internally,
// so a 1e-17 excursion changes nothing downstream).
void wrapIntoCell(Structure& s) {
    if (!s.periodic) return;
    Structure outside;
    outside.periodic = true;
    outside.cell = s.cell;
    std::vector<std::size_t> moved;
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        const Vec3d f = toFractional(s.cell, s.positions[i]);
        bool inside = true;
        for (int d = 0; d < 3; ++d) inside = inside && f[d] >= -kFaceTolerance && f[d] < 1.0 + kFaceTolerance;
        if (inside) continue;
        moved.push_back(i);
        outside.positions.push_back(s.positions[i]);
    }
    if (moved.empty()) return;
    wrapPositions(outside);
    for (std::size_t k = 0; k < moved.size(); ++k) s.positions[moved[k]] = outside.positions[k];
}
}  // namespace

void checkCell(const Structure& s, const std::string& file, long line) {
    const double v = cellVolume(s.cell);
    const double scale = norm(s.cell[0]) * norm(s.cell[1]) * norm(s.cell[2]);
    // Relative test: |V| / (|a||b||c|) is the sine-like "flatness" of the cell, independent of units.
    if (!(std::fabs(v) > 1e-9 * scale) || scale == 0.0)
        throw InputError(file, line, "singular cell: lattice vectors are (nearly) linearly dependent, volume " +
                                         significant(v));
    if (v < 0)
        throw InputError(file, line, "left-handed cell (volume " + significant(v) +
                                         " < 0): order the lattice vectors so that (a x b) . c > 0");
}

void finishStructure(Structure& s, const StructureSource& src) {
    if (s.positions.empty()) throw InputError(*src.file, src.firstLine, "structure has no atoms");
    wrapIntoCell(s);
    if (src.minAtomDistance <= 0.0) return;
    if (auto pair = findPairCloserThan(s, src.minAtomDistance)) {
        const std::size_t i = pair->i, j = pair->j;
        const long line = j < src.atomLines.size() ? src.atomLines[j] : src.firstLine;
        std::string what =
            i == j ? "atom " + std::to_string(i + 1) + " is " + significant(pair->distance) +
                         " from its own periodic image (cell too small?)"
                   : "atoms " + std::to_string(i + 1) + " and " + std::to_string(j + 1) + " (lines " +
                         std::to_string(src.atomLines[i]) + " and " + std::to_string(src.atomLines[j]) +
                         ") are " + significant(pair->distance) + " apart";
        throw InputError(*src.file, line,
                         what + ", closer than " + significant(src.minAtomDistance) +
                             " length units: atoms on top of each other (wrong units or duplicated atom?)");
    }
}

}  // namespace agl::io
