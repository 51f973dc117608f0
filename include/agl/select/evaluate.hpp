// Final evaluation of a feature set (paper Tables SV–SVII): M models from different random starts, all in
// one batched Trainer, trained with cosine annealing with warm restarts (first period 1 epoch, ×2 after each
// restart, 12 restarts, minimum rate 1e-8; so Σ_{i=0}^{12} 2^i = 8191 epochs), then the per-atom energy RMSE
// of each model's best (lowest validation MSE) weights on the test set, reported as mean ± sample std.
#pragma once
#include <cstdint>
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/train/trainer.hpp"

namespace agl {

struct EvaluateConfig {
    TrainerConfig trainer;           // network, batch, split (testFraction > 0 or Test tags), base rate
    int models = 4;                  // M
    std::uint64_t seed = 1;          // model m starts from seed + m
    int restarts = 12;
    double firstPeriod = 1.0, multiplier = 2.0, minRate = 1e-8;
};

struct EvaluateResult {
    std::vector<double> testRmse, validationRmse;   // (M)
    std::vector<int> epochs;                        // (M)
    double mean = 0.0, std = 0.0;                   // of testRmse (std: n − 1; 0 for one model)
    int numFeatures = 0, numAngular = 0;            // N and N_G5 (angular = types 3 and 9), all elements
    int totalEpochs = 0;
};

// Epochs of the whole schedule: firstPeriod · Σ_{i=0}^{restarts} multiplier^i (rounded up).
int scheduleEpochs(const EvaluateConfig& config);

EvaluateResult evaluateFeatureSet(const FeatureTable& table, const EvaluateConfig& config);

}  // namespace agl
