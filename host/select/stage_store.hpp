// Files of a resumable selection run (stateDir): config.json (what the run was started with; written and
// checked by claimStateDir, agl/train/run_state.hpp) and stage_<name>.json (the finished models of one
// stage). Doubles are written in the shortest form that reads back to the same bits, so a resumed run
// continues exactly where the straight run would be.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/select/selection_path.hpp"

namespace agl::select_detail {

// Everything that decides the results of a run: the λ, seeds, trainer settings, caps and a fingerprint of
// the feature table.
nlohmann::json runConfigJson(const FeatureTable& table, const SelectConfig& config, const std::vector<double>& lambdas,
                             const std::vector<std::uint64_t>& seeds);

std::string stagePath(const std::string& stateDir, const std::string& stage);        // stage_<name>.json
std::string checkpointPath(const std::string& stateDir, const std::string& stage);   // stage_<name>.ckpt
void saveStage(const std::string& path, const std::string& stage, const std::vector<StageModel>& models);
// Throws InputError when the file is malformed or holds another number of models / model size.
std::vector<StageModel> loadStage(const std::string& path, std::size_t numModels, std::size_t modelSize);

}  // namespace agl::select_detail
