// Per-format structure readers and writers (private to the io job); io.hpp's functions dispatch to them.
// A reader returns false at a clean end of file and throws InputError on anything malformed.
#pragma once
#include <string>
#include <string_view>

#include "agl/io.hpp"
#include "agl/structure.hpp"
#include "structure_checks.hpp"
#include "text_scan.hpp"

namespace agl::io {

// Element symbol -> atomic number with a one-entry cache (files repeat the same symbol line after line).
class ElementLookup {
public:
    int operator()(const LineReader& in, std::string_view symbol);

private:
    std::string last_;
    int lastZ_ = 0;
};

// n2p2 input.data: begin [set=..] / comment / 0 or 3 lattice / atom ×N / energy / charge / end.
class InputDataReader {
public:
    InputDataReader(LineReader& in, const ReadOptions& options) : in_(in) {
        src_.minAtomDistance = options.minAtomDistance;
    }
    bool next(Structure& s);

private:
    LineReader& in_;
    ElementLookup element_;
    StructureSource src_;
    std::size_t lastNumAtoms_ = 0;  // capacity hint: structures in one file tend to have similar sizes
};

// Extended XYZ (ASE convention): count line, key=value line, one line per atom by Properties.
class ExtXyzReader {
public:
    ExtXyzReader(LineReader& in, const ReadOptions& options) : in_(in), options_(options) {
        src_.minAtomDistance = options.minAtomDistance;
    }
    bool next(Structure& s);

private:
    LineReader& in_;
    ReadOptions options_;
    ElementLookup element_;
    StructureSource src_;
};

// Appends the text of one structure; numbers in shortest round-trip form.
void appendInputData(std::string& out, const Structure& s);
void appendExtXyz(std::string& out, const Structure& s);

}  // namespace agl::io
