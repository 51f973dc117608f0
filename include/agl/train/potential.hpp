// A trained potential in n2p2's files: scaling.data (input statistics, n2p2-conventions §4) and one
// weights.NNN.data per element (§5). input.nn is written by the io code (writeNnSettings); the network shape
// comes from it (archsFromSettings). Energies: E = Σ_atoms network((G − mean)/σ).
// Constant columns (σ = 0 over the training set): agl feeds them as input 0 (standardise). n2p2 would scale
// them with the factor 1/σ = ∞ (NaN), so the files say σ = 1 for them and their first-layer weights are
// written as 0: n2p2 and a potential read back by agl then give the same energies as the one in memory, for
// any data (the column's weights never saw a non-zero input, so nothing learnt is lost).
// n2p2's atom_energy offsets are not part of the networks: callers add them (agl predict does).
#pragma once
#include <string>
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/nn_settings.hpp"
#include "agl/train/param_layout.hpp"
#include "agl/train/training_data.hpp"

namespace agl {

struct ElementPotential {
    ElementArch arch;
    FeatureScaling scaling;
    std::vector<double> weights;   // (arch.numParams()) n2p2 order: per layer weights (source outer), biases
};

struct Potential {
    std::vector<ElementPotential> elements;   // ascending atomic number
    // Predicted total energy of every structure of the table (its elements must match, same feature counts).
    std::vector<double> predict(const FeatureTable& table) const;
    // Network output of every atom: [element][row of that element's matrix] (the structure energies are
    // their sums over the rows of each structure).
    std::vector<std::vector<double>> atomicEnergies(const FeatureTable& table) const;
};

// The network of every element from input.nn settings (hidden nodes, activation letters, feature counts).
std::vector<ElementArch> archsFromSettings(const NnSettings& settings);

// Writes dir/scaling.data and dir/weights.NNN.data (atomically; refuses to overwrite unless force).
void writePotential(const std::string& dir, const Potential& potential, bool force);
void writeScalingData(const std::string& path, const Potential& potential, bool force);
void writeWeights(const std::string& path, const ElementPotential& element, bool force);
// Reads them back for the given networks; bad files give InputError with file and line.
Potential readPotential(const std::string& dir, const std::vector<ElementArch>& archs);
std::vector<FeatureScaling> readScalingData(const std::string& path, const std::vector<ElementArch>& archs);
std::vector<double> readWeights(const std::string& path, const ElementArch& arch);

}  // namespace agl
