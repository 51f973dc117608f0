// The λ path of the AGL selection: K log-spaced penalty strengths between an automatically found upper end
// ("nothing kept") and a lower end ("everything kept"), or given by the user.
//
// Rule for λ_max (documented because the paper leaves it open). Training uses AdamW followed by the proximal
// group step with step size η = learning rate (method.md), so a group w_j that sits at zero is moved by Adam
// by η · ‖m̂_j / √v̂_j‖ per step and pulled back to zero by the prox when η (λ/N_e) ≥ that step. The Adam step
// depends on the gradient's consistency, not its size: per weight, m̂/√v̂ ≈ E[g] / √E[g²] (≤ 1 by
// Cauchy–Schwarz). So, at the "nothing kept" point (every first-layer weight 0, deeper layers as initialised
// by the GL seeds), over one pass of the training mini-batches:
//     s_kj   = ‖ mean_b(g_kj) / √mean_b(g_kj²) ‖          (over the first-layer width; g = ∂MSE/∂w)
//     λ_max  = max over models k, elements e, features j of N_e · s_kj
// At the first step this λ_est keeps every group at zero, but once training has moved the deeper layers the
// gradients grow more consistent, so λ_est is a lower estimate. Refinement (a short batched probe): GL models
// at λ_est·√2^i, i = 0..7, seeded like the first model of the path, are trained together for probeEpochs
// epochs; λ_max = the smallest of them whose best weights keep no feature (the largest, with a warning, when
// none is empty). probeEpochs = 0 skips the probe (λ_max = λ_est).
// λ_min = λ_max · ratio (default 1e-3: every informative feature kept, the unpenalised end of the path).
// The K values are log-spaced from λ_max down to λ_min (λ_0 = λ_max, λ_{K−1} = λ_min).
#pragma once
#include <cstdint>
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/train/trainer.hpp"

namespace agl {

struct LambdaPathOptions {
    int count = 16;                  // K
    double ratio = 1e-3;             // λ_min / λ_max when λ_min is not given
    double lambdaMin = 0.0;          // > 0: user given
    double lambdaMax = 0.0;          // > 0: user given
    std::vector<double> lambdas;     // non-empty: the whole path, used as given (sorted descending)
    int probeEpochs = 30;            // epochs of the λ_max probe (0: no probe)
};

// K values from hi down to lo, log-spaced (K = 1 gives {hi}). Throws when 0 < lo <= hi does not hold.
std::vector<double> logSpacedLambdas(double hi, double lo, int count);

// The λ_max rule above for the models seeded with `seeds` (network and split from `config`).
double estimateLambdaMax(const FeatureTable& table, const TrainerConfig& config,
                         const std::vector<std::uint64_t>& seeds);

// The probe above: the smallest λ of the grid above `estimate` whose GL model (config, seed) keeps nothing.
double refineLambdaMax(const FeatureTable& table, const TrainerConfig& config, std::uint64_t seed, double estimate,
                       int probeEpochs);

// The path: the user's list, or log-spaced between the user's / estimated ends. Descending.
std::vector<double> resolveLambdaPath(const FeatureTable& table, const TrainerConfig& config,
                                      const std::vector<std::uint64_t>& seeds, const LambdaPathOptions& options);

}  // namespace agl
