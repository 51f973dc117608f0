// The test force error of a feature set's trained models (agl evaluate, agl compare): each model's forces
// F = −Σ ∂E/∂G · ∂G/∂r on the CPU (agl::Hdnnp) against the reference forces of the test structures, as the
// RMSE over every component (agl/hdnnp/force_error.hpp). The models are trained on energies only (the
// paper's method), so this says how good the forces of an MD run with them are, not what was fitted.
#pragma once
#include <vector>

#include "agl/nn_settings.hpp"
#include "agl/select/evaluate.hpp"
#include "agl/structure.hpp"

namespace agl {

// Fills r.testForceRmse and r.referenceForceRms from r.models on r.testStructures. `settings`: the set's
// functions and network (those the models were trained on, in the table's column order); `data`: the data
// set the table was computed from. Leaves r unchanged when the test structures carry no reference forces, and when
// the models cannot be evaluated as potentials of `settings` (a warning says why: the training is kept).
void measureTestForces(EvaluateResult& r, const NnSettings& settings, const Dataset& data);

}  // namespace agl
