// n2p2's input scalings of the symmetry functions, and how a potential trained with any of them runs on agl's
// standardised inputs. n2p2 (Mode::setupSymmetryFunctionScaling) picks ONE type from the input.nn keywords,
// in this order, with Smin/Smax = scale_min_short/scale_max_short (defaults 0 and 1):
//   scale_symmetry_functions, no center_symmetry_functions   Scale        x = Smin + (Smax − Smin)(G − Gmin)/(Gmax − Gmin)
//   center_symmetry_functions, no scale_symmetry_functions   Center       x = G − Gmean
//   both                                                     ScaleCenter  x = Smin + (Smax − Smin)(G − Gmean)/(Gmax − Gmin)
//   else scale_symmetry_functions_sigma                      ScaleSigma   x = Smin + (Smax − Smin)(G − Gmean)/σ
//   else                                                     None         x = G
// (so center + sigma is Center in n2p2: G − Gmean, no division). Each is x = base + factor·(G − shift) per
// function (InputMap). agl's networks read (G − mean)/σ (ScaleSigma with Smin 0, Smax 1; a column with σ = 0
// reads 0); every other map is folded into the first layer at load time, exactly:
//   W'_jk = factor_j σ_j W_jk,   b'_k = b_k + Σ_j (base + factor_j (mean_j − shift_j)) W_jk.
// A function constant over the training data (Gmax = Gmin, σ = 0) gets factor 0 — n2p2 would divide by zero
// — and so reads its training value: exact on the training range (where its value is that constant).
#pragma once
#include "agl/nn_settings.hpp"
#include "agl/train/potential.hpp"

namespace agl {

enum class ScalingType { None, Scale, Center, ScaleCenter, ScaleSigma };

ScalingType scalingType(const InputScaling& s);
const char* scalingName(ScalingType t);

struct InputMap {
    double base = 0.0, shift = 0.0, factor = 1.0;
    double operator()(double g) const { return base + factor * (g - shift); }
};
// The map of function j of an element with training statistics `stats`.
InputMap inputMap(const InputScaling& s, const FeatureStatistics& stats, std::size_t j);

// The input.nn settings of a potential agl exports (train, select, demo): the given settings with the scaling
// agl trains with — scale_symmetry_functions_sigma ALONE (ST_SCALESIGMA, Smin 0, Smax 1: (G − mean)/σ), never
// with center_symmetry_functions, which n2p2 would read as centring only. Warns when the given settings asked
// for another scaling. Leaves out, with a warning, the keywords that would make n2p2 evaluate the trained
// networks differently: the unit normalisation of nnp-norm (mean_energy, conv_energy, conv_length; agl trains in
// the data's units), normalize_nodes, and an nnp_type other than 2G.
NnSettings potentialSettings(NnSettings settings);

// True when the potential's networks read agl's (G − mean)/σ directly (nothing to fold).
bool readsStandardisedInputs(const InputScaling& s);
// The potential rewritten to read (G − mean)/σ with the same energies (see above); unchanged when
// readsStandardisedInputs(s).
Potential foldInputScaling(Potential potential, const InputScaling& s);

// n2p2's unit normalisation (mean_energy, conv_energy, conv_length in input.nn; nnp-norm): the networks were
// trained on E_norm = (E − N·mean_energy)·conv_energy with lengths × conv_length. The symmetry functions do not
// change (n2p2 converts their parameters with the lengths, and G depends only on ratios of lengths), so the
// physical atomic energy is E_i = E_norm,i / conv_energy + mean_energy: folded into the (linear) output layer,
//   W'_L = W_L / conv_energy,   b'_L = b_L / conv_energy + mean_energy.
// Throws agl::Error when an output layer is not linear.
Potential foldEnergyNormalisation(Potential potential, double meanEnergy, double convEnergy);

}  // namespace agl
