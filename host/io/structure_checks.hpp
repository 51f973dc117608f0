// Checks every reader applies to a finished structure (private to the io job), so that input.data and extxyz
// reject the same bad data with the same messages.
#pragma once
#include <string>
#include <vector>

#include "agl/structure.hpp"

namespace agl::io {

// Minimum distance between two atoms (or an atom and a periodic image), in length units of the data.
// Closer atoms are almost always a unit or format mistake (Bohr vs Å, fractional vs Cartesian).
constexpr double kMinAtomDistance = 0.1;

// Where a structure came from, for messages: its file, the line that opened it and each atom's line.
struct StructureSource {
    const std::string* file = nullptr;
    long firstLine = 0;
    std::vector<long> atomLines;  // (numAtoms)
};

// Throws InputError when the cell is singular or left-handed; call when the lattice is complete.
void checkCell(const Structure& s, const std::string& file, long line);

// Wraps positions into the cell, then rejects structures without atoms and atoms closer than
// kMinAtomDistance (the message names both atoms, 1-based, and their lines).
void finishStructure(Structure& s, const StructureSource& src);

}  // namespace agl::io
