// NnSettings: the parts of an n2p2 `input.nn` this project reads and writes (settings file of a potential).
// Reading keeps unknown keywords verbatim (and warns, as n2p2 does) so that writing gives them back.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "agl/symmetry_function.hpp"

namespace agl {

// How network inputs are scaled from raw G (n2p2 keywords).
struct InputScaling {
    bool center = false;       // center_symmetry_functions
    bool scale = false;        // scale_symmetry_functions (to [scaleMin, scaleMax])
    bool scaleSigma = false;   // scale_symmetry_functions_sigma ((G − mean)/σ with center; the paper)
    double scaleMin = 0.0;     // scale_min_short
    double scaleMax = 1.0;     // scale_max_short
};

// Layer sizes and activations of one element's atomic network (hidden layers, then the output).
struct NetworkShape {
    std::vector<int> hiddenNodes;      // global_nodes_short (one per hidden layer)
    std::string activations;           // global_activation_short: one letter per hidden layer + output
};

// A line of input.nn that this project does not interpret, kept for writing back.
struct RawKeyword {
    int line = 0;            // 1-based line in the source file
    std::string text;        // the whole line, comment stripped
};

struct NnSettings {
    std::vector<int> elements;                       // atomic numbers, ascending (elements line)
    CutoffType cutoffType = CutoffType::Poly2;       // cutoff_type <n> [<alpha>]
    double cutoffAlpha = 0.0;
    std::vector<SymmetryFunction> functions;         // grouped by centre element (ascending Z), each group
                                                     // in n2p2 sorted order
    NetworkShape network;                            // global_* keywords
    std::map<int, NetworkShape> elementNetworks;     // element_nodes_short / element_activation_short
    InputScaling scaling;
    std::map<int, double> atomEnergy;                // atom_energy <el> <E>
    long long randomSeed = 0;                        // random_seed
    bool hasRandomSeed = false;
    std::vector<RawKeyword> unknown;                 // kept verbatim, warned about on read

    // The functions whose centre is element z, in column order.
    std::vector<SymmetryFunction> functionsOf(int z) const;
    // The network of element z (global shape unless overridden).
    NetworkShape networkOf(int z) const;
};

}  // namespace agl
