// SymmetryFunction: one Behler–Parrinello atom-centred feature, with n2p2's parameter meaning.
//
//   radial   (type 2):  symfunction_short <ec> 2 <e1> <eta> <rs> <rc>
//   narrow   (type 3):  symfunction_short <ec> 3 <e1> <e2> <eta> <lambda> <zeta> <rc> [<rs>]
//   wide     (type 9):  symfunction_short <ec> 9 <e1> <e2> <eta> <lambda> <zeta> <rc> [<rs>]
//
// η in 1/length², rs and rc in length (units of the data). Formulas: ../shared/reference/n2p2-conventions.md
// and include/agl/symmetry_function_terms.hpp. For angular types the neighbour pair is normalised so that
// e1 <= e2 by atomic number (n2p2 does the same), and within one centre element the functions are ordered by
// n2p2's sort key, which is the column order of every output and the order of the network inputs.
#pragma once
#include <string>
#include <vector>

namespace agl {

// n2p2 cutoff_type numbers. x = (r − α·rc)/(rc − α·rc); f = 1 for r < α·rc, f = 0 for r ≥ rc.
enum class CutoffType : int {
    Hard = 0, Cos = 1, TanhU = 2, Tanh = 3, Exp = 4, Poly1 = 5, Poly2 = 6, Poly3 = 7, Poly4 = 8
};

// type 0 marks an artificial noise column (agl::addNoiseFeatures, include/agl/noise_features.hpp): it has no
// n2p2 counterpart, settingsLine() gives a comment line for it, and validationProblem() rejects it.
constexpr int kNoiseFunctionType = 0;

struct SymmetryFunction {
    int type = 2;             // 2, 3 or 9 (0 = noise column, see kNoiseFunctionType)
    int centre = 0;           // atomic number of the central atom (ec)
    int e1 = 0;               // atomic number of neighbour 1
    int e2 = 0;               // atomic number of neighbour 2 (angular only; 0 for radial)
    double eta = 0.0;         // 1/length²
    double rs = 0.0;          // length
    double rc = 0.0;          // length
    double lambda = 0.0;      // ±1 (angular only)
    double zeta = 0.0;        // >= 1 (angular only)
    CutoffType cutoffType = CutoffType::Poly2;
    double cutoffAlpha = 0.0; // inner cutoff fraction, [0, 1)
    long sourceLine = 0;      // 1-based line of the input.nn it was read from (NnSettings::source); 0: made here.
                              // Not a parameter: n2p2Less and the writers ignore it

    bool isAngular() const { return type == 3 || type == 9; }
    bool isNoise() const { return type == kNoiseFunctionType; }
    // The n2p2 `symfunction_short ...` line (without the keyword's trailing newline).
    std::string settingsLine() const;
};

// n2p2's sort order within one centre element: (type, cutoff type, α, rc, η, rs, ζ, λ, e1, e2).
bool n2p2Less(const SymmetryFunction& a, const SymmetryFunction& b);

// Validates parameter ranges (η >= 0, rc > 0, ζ >= 1, |λ| = 1, α in [0, 1), known type) and returns the
// problem as text, or "" when valid. Element membership is checked by the settings reader.
std::string validationProblem(const SymmetryFunction& sf);

}  // namespace agl
