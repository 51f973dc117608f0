// Outputs of `agl select` (in OUT/): path.csv and path.json (one row/entry per λ: number of features, of
// angular and of noise features, selected columns per element, validation RMSE after GL, AGL and refit,
// epochs of each stage; the refit RMSE is the mean over the refit seeds, with their spread and
// the RMSE of the refit kept; with cross-validated refits also their mean, spread and per-fold values),
// rmse_vs_features.png (paper Fig. 2a), selection_matrix.png (Fig. 2c), selected.nn
// (the settings with only the suggested functions) and the refit potential of the suggested set in n2p2's
// files (potential/: input.nn, scaling.data, weights.NNN.data), all written atomically. When timed, path.csv
// and path.json also hold each set's measured cost against all candidates (its speed-up) and its counted work
// (agl/compare/evaluation_work.hpp: deterministic), and rmse_vs_cost.png plots the error against the measured
// ratio (the counted one when the suggestion ranked by it).
#pragma once
#include <string>
#include <vector>

#include "agl/compare/evaluation_cost.hpp"
#include "agl/feature_table.hpp"
#include "agl/nn_settings.hpp"
#include "agl/select/path_split.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/select/suggestion.hpp"
#include "agl/train/potential.hpp"

namespace agl {

struct PathReportInfo {
    double tolerance = 0.1;          // of the suggestion rule
    int suggested = -1;              // index into path.points
    double learningRate = 0.0;
    std::string lambdaRule;          // how the λ were chosen, in words
    RefitSpread refitSpread;         // equalSetRefitSpread of the path
    int refitSeeds = 1;              // refits per λ (SelectConfig::refitSeeds)
    int refitFolds = 0;              // cross-validation folds (SelectConfig::refitFolds; 0: none)
    // Cost of evaluating the potential (energy and forces per atom, one thread; agl/compare/evaluation_cost.hpp)
    // timed on costStructures held-out structures: with every candidate function, and with each point's
    // selected functions (pointCosts[k]; atoms == 0: not timed, e.g. an element without functions).
    // costStructures == 0: nothing timed (pointCosts empty).
    int costStructures = 0;
    EvaluationCost allCost;
    std::vector<EvaluationCost> pointCosts;
    bool suggestByWork = false;      // the suggestion minimised the counted cost, not the number of features
    // Force RMSE per component of each point's refit on forceStructures validation structures (−1: not
    // measured for that point) and the RMS of their reference components (agl/compare/path_forces.hpp).
    // Empty: not measured (no reference forces, or turned off).
    std::vector<double> pointForceRmse;
    double referenceForceRms = -1.0;
    int forceStructures = 0;
    // The split the path trained on (path.json "split"); numStructures == 0: not recorded.
    PathSplit split;
};

// Point k's cost, or nullptr when it was not timed.
const EvaluationCost* pointCost(const PathReportInfo& info, std::size_t k);
// A timed set's cost relative to all candidates (energy and forces; 1/ratio is its speed-up).
double costRatio(const PathReportInfo& info, const EvaluationCost& cost);
// Each point's counted cost (countedCost of its work; NaN where not timed): the sizes of --suggest-by work.
std::vector<double> countedCosts(const PathReportInfo& info);

void writePathCsv(const std::string& path, const FeatureTable& table, const SelectionPath& sp,
                  const PathReportInfo& info, bool force);
void writePathJson(const std::string& path, const FeatureTable& table, const SelectionPath& sp,
                   const PathReportInfo& info, bool force);
void writePathPlots(const std::string& dir, const FeatureTable& table, const SelectionPath& sp,
                    const PathReportInfo& info, bool force);

// The settings with only the given columns of each element (real functions, noise columns dropped), in
// n2p2 order. Elements of the settings that the table lacks keep all their functions.
NnSettings selectedSettings(const NnSettings& settings, const FeatureTable& table,
                            const std::vector<std::vector<int>>& selected);

// The potential over only the selected columns: first-layer rows and scaling entries of the other columns
// are dropped (they are zero in a refit model). canonical = weights of a model over all columns.
Potential subsetPotential(const std::vector<ElementArch>& archs, const std::vector<FeatureScaling>& scaling,
                          const std::vector<double>& canonical, const std::vector<std::vector<int>>& selected);

// The table with only the selected columns of each element (for checks and evaluation).
FeatureTable subsetTable(const FeatureTable& table, const std::vector<std::vector<int>>& selected);

}  // namespace agl
