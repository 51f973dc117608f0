// Reading and writing structures (n2p2 input.data, extended XYZ) and settings (n2p2 input.nn).
// Every malformed input throws agl::InputError naming the file, the line and the problem.
// Writers that take a path write atomically (AtomicFile) and refuse to overwrite unless `force`.
//
// Conventions (implemented in host/io/):
// - Numbers are written in their shortest round-trip form (std::to_chars, with ".0" on integral values):
//   reading written text gives bit-identical doubles, so input.data -> extxyz -> input.data reproduces the
//   text exactly. NaN and Inf are rejected on reading everywhere.
// - Readers reject: non-numbers, wrong token counts, 1 or 2 lattice lines, a structure without energy or
//   atoms, unknown elements, singular or left-handed cells, atoms closer than 0.1 length units (both atoms
//   named, 1-based, with their lines), empty files, truncated last structures.
// - Periodic positions are wrapped into the cell with agl::wrapPositions; atoms within 1e-12 (fractional) of
//   the cell are kept exactly as read, so re-reading written positions never moves them again.
// - extxyz (ASE): Lattice/pbc/Properties/energy/charge/set/comment are interpreted (the energy and forces keys
//   can be others: ReadOptions); other info keys are kept
//   in Structure::metadata (unquoted values) and written back, quoted where needed; input.data has no place for
//   them (only the comment survives). pbc must be "T T T" or "F F F" (absent: periodic iff Lattice given).
//   Per-atom columns: species, pos, forces (required), initial_charges or charges (-> atomCharges; written as
//   initial_charges only when a charge is non-zero). Any other per-atom property is an error unless
//   ReadOptions::drop names it (nothing is dropped silently).
// - input.nn: see readNnSettings below.
#pragma once
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"

namespace agl {

enum class StructureFormat { InputData, ExtXyz };

// `option` is "auto" (by extension: .xyz/.extxyz → ExtXyz, otherwise input.data), "n2p2" or "extxyz".
StructureFormat structureFormat(const std::string& path, const std::string& option = "auto");

// What the readers accept beyond the format.
struct ReadOptions {
    // Atoms (or an atom and an image) closer than this are an error: almost always wrong units or a duplicated
    // atom. 0 accepts them (the trajectory of a run whose potential let atoms collide, for agl analyze).
    double minAtomDistance = 0.1;
    // extxyz: the info key that holds the reference energy and the per-atom property that holds the reference
    // forces (ASE writes energy= and forces:R:3; data sets often carry REF_energy, dft_energy, REF_forces, …).
    std::string energyKey = "energy", forcesKey = "forces";
    // extxyz: info keys and per-atom properties to leave out. Only what is named here is dropped: any other
    // per-atom property is an error, and `energy`/`forces` beside other chosen keys are too.
    std::vector<std::string> drop;
};

// Why `options` cannot be used ("" when it can): an energy or forces key that names a key the reader
// interprets otherwise, or a dropped name that is needed.
std::string readOptionsProblem(const ReadOptions& options);

// Streams structures one by one (memory stays near one structure); `visit` may stop early by returning false.
void forEachStructure(const std::string& path, StructureFormat format,
                      const std::function<bool(Structure&&)>& visit, const ReadOptions& options = {});
Dataset readDataset(const std::string& path, StructureFormat format, const ReadOptions& options = {});
Dataset readDataset(const std::string& path);  // format by extension

void writeStructure(std::ostream& out, const Structure& s, StructureFormat format);
void writeDataset(const std::string& path, const Dataset& data, StructureFormat format, bool force);

// Keywords in any order; `#` or `!` starts a comment (as in n2p2). Required: number_of_elements (must match), elements,
// cutoff_type <n> [alpha] (applies to every function). symfunction_short types 2, 3, 9 are validated
// (agl::validationProblem; elements must be listed), angular pairs normalised to Z(e1) <= Z(e2), grouped by
// centre in ascending Z and sorted by agl::n2p2Less; duplicates are errors. global_hidden_layers_short,
// global_nodes_short and global_activation_short go together (layers+1 letters); element_nodes_short
// <el> <layer 1-based> <nodes> overrides; scaling flags, scale_min/max_short, atom_energy, random_seed.
// Anything else is kept verbatim in NnSettings::unknown (warned about with file:line) and written back.
NnSettings readNnSettings(const std::string& path);
void writeNnSettings(std::ostream& out, const NnSettings& settings);
void writeNnSettings(const std::string& path, const NnSettings& settings, bool force);

}  // namespace agl
