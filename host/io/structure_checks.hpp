// Checks every reader applies to a finished structure (private to the io job), so that input.data and extxyz
// reject the same bad data with the same messages.
#pragma once
#include <string>
#include <vector>

#include "agl/io.hpp"
#include "agl/structure.hpp"

namespace agl::io {

// Where a structure came from, for messages: its file, the line that opened it and each atom's line; and the
// minimum distance between two atoms (or an atom and a periodic image) the reader accepts, in length units of
// the data (ReadOptions: closer atoms are almost always a unit or format mistake; 0 = no check).
struct StructureSource {
    const std::string* file = nullptr;
    long firstLine = 0;
    std::vector<long> atomLines;  // (numAtoms)
    double minAtomDistance = ReadOptions{}.minAtomDistance;
};

// Throws InputError when the cell is singular or left-handed; call when the lattice is complete.
void checkCell(const Structure& s, const std::string& file, long line);

// Wraps positions into the cell, then rejects structures without atoms and atoms closer than
// src.minAtomDistance (the message names both atoms, 1-based, and their lines).
void finishStructure(Structure& s, const StructureSource& src);

}  // namespace agl::io
