// The measured cost of evaluating a potential with a feature set (the paper's "Benchmark" column, here per
// atom instead of MD steps per second): the whole force evaluation of an MD step — symmetry functions with
// derivatives, networks forward and backward, chain rule (agl::Hdnnp::energyAndForces on the CPU, one
// OpenMP and one BLAS thread) — and, for the breakdown, the symmetry functions with derivatives alone, on a
// few structures. The counted work on the same structures (evaluation_work.hpp) comes with it.
//
// Timing: CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), so that other processes on a loaded
// machine do not inflate it; everything runs in that thread. Each part is repeated (whole passes over the
// structures) until it has run for minSeconds and minRepeats passes; the fastest pass counts (the usual
// benchmark estimate: slower passes are disturbed, never faster). Network weights are random (seeded): the
// cost does not depend on their values.
#pragma once
#include <vector>

#include "agl/compare/evaluation_work.hpp"
#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"

namespace agl {

struct EvaluationCost {
    double featureMicroseconds = 0.0;  // per atom: G and dG/dr alone
    double forceMicroseconds = 0.0;    // per atom: energy and forces (features, networks, chain rule)
    std::size_t atoms = 0;             // atoms of one pass
    int featureRepeats = 0, forceRepeats = 0;
    EvaluationWork work;               // counted terms per atom (deterministic)
};

// `settings`: the functions and network of the set (real functions only; every element needs one).
EvaluationCost measureEvaluationCost(const NnSettings& settings, const std::vector<const Structure*>& structures,
                                     double minSeconds = 0.2, int minRepeats = 3);

}  // namespace agl
