// Final evaluation of a feature set (paper Tables SV–SVII): M models from different random starts, all in
// one batched Trainer, trained with cosine annealing with warm restarts (first period 1 epoch, ×2 after each
// restart, 12 restarts, minimum rate 1e-8; so Σ_{i=0}^{12} 2^i = 8191 epochs), then the per-atom energy RMSE
// of each model's best (lowest validation MSE) weights on the test set, reported as mean ± sample std.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/feature_table.hpp"
#include "agl/train/potential.hpp"
#include "agl/train/trainer.hpp"

namespace agl {

struct EvaluateConfig {
    TrainerConfig trainer;           // network, batch, split (testFraction > 0 or Test tags), base rate
    int models = 4;                  // M
    std::uint64_t seed = 1;          // model m starts from seed + m
    int restarts = 12;
    double firstPeriod = 1.0, multiplier = 2.0, minRate = 1e-8;
    // Resumable: with a checkpointPath the Trainer writes its whole state there every checkpointEvery epochs
    // (and at the end), and a call that finds the file continues from it (same table and settings required).
    std::string checkpointPath;
    int checkpointEvery = 10;
    // Asked after every epoch: true writes the checkpoint (with a checkpointPath) and throws agl::Interrupted.
    std::function<bool()> stopRequested;
};

struct EvaluateResult {
    std::vector<double> testRmse, validationRmse;   // (M)
    std::vector<int> epochs;                        // (M)
    double mean = 0.0, std = 0.0;                   // of testRmse (std: n − 1; 0 for one model)
    int numFeatures = 0, numAngular = 0;            // N and N_G5 (angular = types 3 and 9), all elements
    int totalEpochs = 0;
    // The trained models (best weights, training-set scaling) and the test structures (table indices): for
    // errors that need the structures themselves, such as the force error of agl evaluate. Not part of
    // compare's saved state.
    std::vector<Potential> models;                  // (M)
    std::vector<std::uint32_t> testStructures;
    // Each model's force RMSE per component on the test structures and the RMS of their reference force
    // components: filled by callers that have the structures (agl/compare/test_forces.hpp); empty and −1
    // when not measured or when the data carry no forces.
    std::vector<double> testForceRmse;              // (M) or empty
    double referenceForceRms = -1.0;
};

// What decides an evaluation's results (trainer identity, M, seed, schedule): part of a resumable run's
// config.json (agl/train/run_state.hpp).
nlohmann::json evaluateIdentityJson(const EvaluateConfig& config);

// Epochs of the whole schedule: firstPeriod · Σ_{i=0}^{restarts} multiplier^i (rounded up).
int scheduleEpochs(const EvaluateConfig& config);

// The Trainer of an evaluation before its first epoch: models seed + m, the cosine schedule, patience = the
// schedule's length (the best validation weights are kept), checkpoints as configured.
Trainer evaluationTrainer(const FeatureTable& table, const EvaluateConfig& config);

// r.mean and r.std (sample, n − 1; 0 for one model) of r.testRmse.
void setTestStatistics(EvaluateResult& r);

// Trains the evaluation (resuming config.checkpointPath when that file exists) and measures it.
EvaluateResult evaluateFeatureSet(const FeatureTable& table, const EvaluateConfig& config);

}  // namespace agl
