#include "stage_store.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "agl/atomic_file.hpp"
#include "agl/error.hpp"
#include "agl/train/run_state.hpp"

namespace agl::select_detail {

nlohmann::json runConfigJson(const FeatureTable& table, const SelectConfig& config, const std::vector<double>& lambdas,
                             const std::vector<std::uint64_t>& seeds) {
    nlohmann::json j = {{"format", "agl-select-state-1"},
                        {"lambdas", lambdas},
                        {"seeds", seeds},
                        {"trainer", trainerIdentityJson(config.trainer)},
                        {"epochsGl", config.epochsGl},
                        {"epochsAgl", config.epochsAgl},
                        {"epochsRefit", config.epochsRefit},
                        {"table", tableFingerprint(table)}};
    if (config.refitSeeds > 1) j["refitSeeds"] = config.refitSeeds;  // as minPatienceSteps: old runs keep their identity
    if (config.refitFolds >= 2) j["refitFolds"] = config.refitFolds;
    return j;
}

std::string stagePath(const std::string& stateDir, const std::string& stage) {
    return stateDir + "/stage_" + stage + ".json";
}
std::string checkpointPath(const std::string& stateDir, const std::string& stage) {
    return stateDir + "/stage_" + stage + ".ckpt";
}

void saveStage(const std::string& path, const std::string& stage, const std::vector<StageModel>& models) {
    nlohmann::json j;
    j["stage"] = stage;
    j["models"] = nlohmann::json::array();
    for (const StageModel& m : models)
        j["models"].push_back({{"epochs", m.epochs},
                               {"bestEpoch", m.bestEpoch},
                               {"validationRmse", m.validationRmse},
                               {"groupNorms", m.groupNorms},
                               {"weights", m.weights}});
    AtomicFile file(path, true);  // our own state file
    file.stream() << j.dump() << "\n";
    file.commit();
}

std::vector<StageModel> loadStage(const std::string& path, std::size_t numModels, std::size_t modelSize) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open stage file");
    std::vector<StageModel> models;
    try {
        nlohmann::json j;
        in >> j;
        const auto& arr = j.at("models");
        if (arr.size() != numModels) throw InputError(path, 0, "stage file has another number of models");
        for (const auto& m : arr) {
            StageModel s;
            s.epochs = m.at("epochs").get<int>();
            s.bestEpoch = m.at("bestEpoch").get<int>();
            const auto& rmse = m.at("validationRmse");  // NaN is written as null
            s.validationRmse = rmse.is_null() ? std::nan("") : rmse.get<double>();
            s.groupNorms = m.at("groupNorms").get<std::vector<double>>();
            s.weights = m.at("weights").get<std::vector<double>>();
            if (s.weights.size() != modelSize) throw InputError(path, 0, "stage file has another network size");
            models.push_back(std::move(s));
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, 0, std::string("malformed stage file: ") + e.what());
    }
    return models;
}

}  // namespace agl::select_detail
