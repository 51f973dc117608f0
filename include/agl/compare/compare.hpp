// `agl compare`: trains M models on each feature set (agl::evaluateFeatureSet: all M models of a set in one
// batched Trainer, cosine annealing with warm restarts, best-validation weights) and measures the cost of
// evaluating a potential with it — the paper's Tables SV–SVII and Fig. 2b/2c (compare_report.hpp writes them).
//
// Every set is a column subset of ONE candidate table (feature_set.hpp), trained with the same TrainerConfig,
// so the split (validation/test structures), the standardisation statistics of a column and the seeds of the
// M models are the same for every set: differences come from the features only.
#pragma once
#include <cstdint>
#include <vector>

#include "agl/compare/evaluation_cost.hpp"
#include "agl/compare/feature_set.hpp"
#include "agl/select/evaluate.hpp"
#include "agl/structure.hpp"

namespace agl {

struct CompareOptions {
    EvaluateConfig evaluate;          // network, split (needs test structures), M, seed, schedule
    bool measureCost = true;
    double costMinSeconds = 0.2;      // per set and part (evaluation_cost.hpp)
    int costMinRepeats = 3;
    // Resumable with a stateDir (compare_state.hpp): a set whose models have finished is saved there and
    // loaded by a rerun with the same data, sets and settings; the set being trained resumes from its
    // checkpoint (every evaluate.checkpointEvery epochs). Costs are measured again (timings, not work).
    std::string stateDir;
    // The data set the table was computed from: with it, each set without noise columns also gets its
    // models' test force error (test_forces.hpp; saved with the set's state). nullptr: not measured.
    const Dataset* forceData = nullptr;
};

struct CompareRow {
    FeatureSet set;
    int numFeatures = 0, numAngular = 0;
    int numNoise = 0;                 // noise columns kept (in columns; for a settings file, when the table
                                      // has noise: FeatureSet::reportedNoise); −1 = unknown
    EvaluateResult result;            // testRmse per model, mean ± std; testForceRmse when measured
    bool hasCost = false;
    EvaluationCost cost;              // per atom
    double costRatio = 0.0;           // cost / cost of all candidate functions (1 for "all"); NaN without cost
};

struct CompareResult {
    std::vector<CompareRow> rows;     // in the order of the sets
    bool hasCost = false;
    EvaluationCost allCost;           // all candidate functions (the ratio's reference)
    std::size_t costAtoms = 0;        // atoms of the timed structures
    int noiseColumns = 0;             // noise columns in the candidate table
    int trainStructures = 0, validationStructures = 0, testStructures = 0;
};

// `candidates`: the settings the table was computed from (its real columns; the network to time);
// `costStructures`: the structures to time on (e.g. a few test structures). Sets run in the given order.
// With options.stateDir: InputError naming stateDir/config.json when it holds another comparison.
CompareResult compareFeatureSets(const FeatureTable& table, const NnSettings& candidates,
                                 const std::vector<FeatureSet>& sets,
                                 const std::vector<const Structure*>& costStructures, const CompareOptions& options);

// Up to `count` held-out structures of the split the training uses (config's fractions and seed) to time the
// evaluation cost on: test structures first, then validation ones (agl select holds out no test set by
// default). The cost depends on their size and density only; training structures are never taken.
std::vector<std::uint32_t> heldOutStructuresForCost(const FeatureTable& table, const TrainerConfig& config,
                                                    int count);
// The same structures of `data` (the data set the table was computed from).
std::vector<const Structure*> heldOutStructuresForCost(const Dataset& data, const FeatureTable& table,
                                                       const TrainerConfig& config, int count);

}  // namespace agl
