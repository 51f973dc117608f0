// The Adaptive Group Lasso path (method.md, paper §II.C): for every λ_k of the path three stages, each stage
// training ALL K models at once in one batched Trainer (models finish on their own early stopping and are
// compacted out):
//   GL     λ_k, a = 1, cold random start (seed_k), early stopping on validation MSE + penalty, cap epochsGl
//   AGL    λ_k, a_kj = 1/‖ŵ_kj‖ from the GL model's best weights (∞ for groups GL zeroed), starting from
//          those weights, cap epochsAgl
//   refit  λ = 0, mask = features AGL kept, starting from the AGL weights; stops when the validation MSE
//          (= the objective without penalty) stops improving, cap epochsRefit. With refitSeeds = M > 1, M − 1
//          more refits of the same mask from cold random starts (refitSeed) train in the same batch (K·M models):
//          the mean of the M validation RMSEs ranks the sets (one refit's seed noise can exceed the
//          suggestion's tolerance on small data, docs/si-mlearn.md) and the best of them is the refit kept.
//   cv     refitFolds = F ≥ 2 (optional): F more stages, stage f training every λ's selected set from a cold
//          start on all non-test structures but fold f and validating on fold f (crossValidationSplit); the
//          mean of the F fold RMSEs ranks the sets instead (small data: one validation set of a few dozen
//          structures decides the suggestion otherwise). The refit kept is still the refit stage's.
// A feature is SELECTED at λ_k when its first-layer group norm in the AGL model's best weights is > 0 (the
// proximal step produces exact zeros). Every element's network has its own groups.
//
// Resumability: with a stateDir, every finished stage is saved as stateDir/stage_<name>.json (per model:
// epochs, best epoch, validation RMSE, best weights — doubles round-trip exactly) and a running stage
// checkpoints its Trainer every checkpointEvery epochs to stateDir/stage_<name>.ckpt; a rerun with the same
// configuration (stateDir/config.json) loads finished stages and resumes a running one, bit-identically.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/train/trainer.hpp"

namespace agl {

struct SelectConfig {
    TrainerConfig trainer;           // network, batch, split, learning rate, patience (shared by the stages)
    int epochsGl = 1000, epochsAgl = 10000, epochsRefit = 1000;
    int refitSeeds = 1;              // refits per λ: the warm start from AGL plus refitSeeds − 1 cold starts
    int refitFolds = 0;              // 0: off; F ≥ 2: F-fold cross-validated refits rank the sets (cost: F·K models)
    std::string stateDir;            // "" = keep nothing on disk
    int checkpointEvery = 10;        // epochs between checkpoints of a running stage (with a stateDir)
    std::string stopAfter;           // "", "gl" or "agl": return after that stage (an interrupted run)
    // Asked after every epoch of a running stage (e.g. "was Ctrl-C pressed"): true checkpoints the stage (with
    // a stateDir) and throws agl::Interrupted. Empty: never.
    std::function<bool()> stopRequested;
};

// One trained model of a stage.
struct StageModel {
    int epochs = 0, bestEpoch = 0;
    double validationRmse = 0.0;     // per-atom energy RMSE of the best weights on the validation set
    std::vector<double> weights;     // best weights, canonical (ModelBatch::slotParams order)
    std::vector<double> groupNorms;  // ‖w_j‖ of the best weights, (Σ_e N_e) element by element
};

// One λ of the path.
struct PathPoint {
    double lambda = 0.0;
    std::uint64_t seed = 0;
    StageModel gl, agl;
    StageModel refit;                         // the refit with the lowest validation RMSE of the refitSeeds
    std::vector<double> refitRmses;           // validation RMSE of every refit (0: warm start from AGL)
    std::vector<std::vector<int>> selected;   // per element: 0-based columns kept by AGL, ascending
    int numSelected = 0, numAngular = 0, numNoise = 0;

    // Mean and sample standard deviation (0 for one refit) of refitRmses: what the suggestion ranks.
    // NaN when a refit diverged; agl::Error when refitRmses is empty (no refit stage has run).
    double refitRmseMean() const;
    double refitRmseStd() const;
    std::vector<double> cvRmses;              // refitFolds ≥ 2: validation RMSE of fold f's refit; else empty
    // What the suggestion ranks: mean (and sample std) of cvRmses when cross-validated, else of refitRmses.
    double suggestionRmse() const;
    double suggestionRmseStd() const;
};

struct SelectionPath {
    std::vector<PathPoint> points;            // in the order of the λ given (descending for a resolved path)
    std::vector<ElementArch> archs;           // networks over ALL candidate features
    std::vector<FeatureScaling> scaling;      // training-set statistics of all candidate features
    std::string completedStage;               // "gl", "agl" or "refit" (complete)
};

// seeds[k] initialises model k (cold start of GL). Throws when lambdas and seeds differ in length, or when
// the stateDir holds a run with a different configuration (InputError naming stateDir/config.json).
SelectionPath runSelectionPath(const FeatureTable& table, const SelectConfig& config,
                               const std::vector<double>& lambdas, const std::vector<std::uint64_t>& seeds);

// Default seeds of a path: seed + k.
std::vector<std::uint64_t> pathSeeds(std::uint64_t seed, int count);
// Seed of the cold-start refit r ≥ 1 of the point with path seed s: s + r · 0x9E3779B97F4A7C15 (mod 2⁶⁴), far
// from every other point's seed. Cross-validation fold f uses r = refitSeeds + f.
std::uint64_t refitSeed(std::uint64_t pathSeed, int r);

// Per element: the columns with group norm > 0. norms is (Σ_e N_e) element by element.
std::vector<std::vector<int>> selectedColumns(const std::vector<ElementArch>& archs, const std::vector<double>& norms);

}  // namespace agl
