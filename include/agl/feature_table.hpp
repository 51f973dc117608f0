// FeatureTable: the symmetry functions of a whole data set, one matrix per element — what the feature
// engine produces and what training, the filters and selection consume (data → features → models).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "agl/structure.hpp"
#include "agl/symmetry_function.hpp"

namespace agl {

// Rows = atoms of this element in data-set order (structure by structure), columns = its symmetry
// functions in n2p2 order. Values are RAW G (not scaled).
struct ElementFeatures {
    int element = 0;                          // atomic number
    std::vector<SymmetryFunction> functions;  // (numFunctions) column definitions
    std::vector<double> values;               // (numAtoms × numFunctions) row-major
    std::vector<std::uint32_t> structure;     // (numAtoms) structure index of each row
    std::vector<std::uint32_t> atom;          // (numAtoms) atom index within its structure

    std::size_t numAtoms() const { return structure.size(); }
    std::size_t numFunctions() const { return functions.size(); }
    double at(std::size_t row, std::size_t col) const { return values[row * functions.size() + col]; }
};

struct FeatureTable {
    std::vector<ElementFeatures> elements;    // ascending atomic number
    std::vector<double> energies;             // (numStructures) total reference energy
    std::vector<std::uint32_t> numAtoms;      // (numStructures) atoms per structure
    std::vector<SetTag> tags;                 // (numStructures) from the data file

    std::size_t numStructures() const { return energies.size(); }
    // The position of atomic number z in `elements`; elements.size() when the table has no such element.
    std::size_t elementIndex(int z) const {
        std::size_t e = 0;
        while (e < elements.size() && elements[e].element != z) ++e;
        return e;
    }
};

// One short label per column over all elements, for plots and reports: "Ar:7" (element, 1-based n2p2 index),
// with an "n" appended for a noise column ("Ar:23n").
std::vector<std::string> featureColumnLabels(const FeatureTable& table);

}  // namespace agl
