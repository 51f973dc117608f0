// Files of a resumable comparison (CompareOptions::stateDir): config.json (the data, the sets and the
// evaluation settings; claimStateDir), set_<i>.json (the result of set i once its models have finished) and
// set_<i>.ckpt (the Trainer of the set being trained, every EvaluateConfig::checkpointEvery epochs). Doubles
// are written in the shortest form that reads back to the same bits: a resumed comparison reports exactly
// what the straight one would.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/compare/feature_set.hpp"
#include "agl/select/evaluate.hpp"

namespace agl::compare_detail {

nlohmann::json compareConfigJson(const FeatureTable& table, const std::vector<FeatureSet>& sets,
                                 const EvaluateConfig& evaluate);

std::string setResultPath(const std::string& stateDir, std::size_t set);      // set_<i>.json
std::string setCheckpointPath(const std::string& stateDir, std::size_t set);  // set_<i>.ckpt

// The per-model errors and epochs (mean and std are recomputed on load: one way to compute them).
void saveEvaluateResult(const std::string& path, const EvaluateResult& result);
// InputError naming the file when it is malformed, holds another number of models or features, or an error
// that is not finite and >= 0 (a set with a non-finite error is never saved: a rerun trains it again).
EvaluateResult loadEvaluateResult(const std::string& path, int models, int numFeatures);

}  // namespace agl::compare_detail
