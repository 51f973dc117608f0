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
    std::vector<RawKeyword> unknown;                 // kept verbatim (warned about on read unless
                                                     // n2p2KeywordKind knows the line)
    std::string source;                              // the input.nn read ("" when made here): the file
                                                     // that functions[k].sourceLine counts in

    // The functions whose centre is element z, in column order.
    std::vector<SymmetryFunction> functionsOf(int z) const;
    // Whether every element has at least one function (else it has no potential to evaluate).
    bool everyElementHasFunctions() const;
    // The network of element z (global shape unless overridden).
    NetworkShape networkOf(int z) const;
};

// What agl knows about an n2p2 keyword line it keeps verbatim (NnSettings::unknown):
//   Normalisation — mean_energy, conv_energy, conv_length (nnp-norm): read when a potential is evaluated
//                   (hdnnp/potential_files.cpp); agl's training does not use them.
//   Evaluation    — normalize_nodes, or an nnp_type other than 2G: change how n2p2 evaluates the networks in
//                   ways agl does not implement (refused when a potential is evaluated, left out of exports).
//   Training      — n2p2's training options (epochs, updater_type, kalman_*, write_*, ...): agl's own command-line
//                   options set the training.
//   Agreeing      — nnp_type 2G-HDNNP (or 2G, 2): says what agl does anyway.
//   Other         — anything else (a typo, or a keyword of another n2p2 version): warned about line by line.
enum class N2p2KeywordKind { Normalisation, Evaluation, Training, Agreeing, Other };
N2p2KeywordKind n2p2KeywordKind(const RawKeyword& line);
// The first word of a raw line.
std::string keywordOf(const RawKeyword& raw);

}  // namespace agl
