#include "stage_store.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "agl/atomic_file.hpp"
#include "agl/error.hpp"

namespace agl::select_detail {

namespace {

nlohmann::json trainerJson(const TrainerConfig& c) {
    nlohmann::json j = {{"hiddenNodes", c.hiddenNodes},
            {"activations", c.activations},
            {"batchSize", c.batchSize},
            {"validationFraction", c.validationFraction},
            {"testFraction", c.testFraction},
            {"splitSeed", c.splitSeed},
            {"shuffleSeed", c.shuffleSeed},
            {"schedule",
             {{"kind", c.schedule.kind == LrScheduleKind::Constant ? "constant" : "cosine-restarts"},
              {"baseRate", c.schedule.baseRate},
              {"minRate", c.schedule.minRate},
              {"firstPeriod", c.schedule.firstPeriod},
              {"multiplier", c.schedule.multiplier}}},
            {"adamw",
             {{"beta1", c.adamw.beta1},
              {"beta2", c.adamw.beta2},
              {"epsilon", c.adamw.epsilon},
              {"weightDecay", c.adamw.weightDecay}}},
            {"patience", c.patience},
            {"minImprovement", c.minImprovement}};
    // Only when present, so that the state of a run without them keeps its identity.
    if (c.minPatienceSteps > 0) j["minPatienceSteps"] = c.minPatienceSteps;
    for (const auto& [z, shape] : c.elementNetworks)
        j["elementNetworks"][std::to_string(z)] = {{"hiddenNodes", shape.hiddenNodes}, {"activations", shape.activations}};
    return j;
}

// Order-sensitive sums of the table (a changed data set or feature set changes them).
nlohmann::json tableFingerprint(const FeatureTable& t) {
    nlohmann::json j;
    j["numStructures"] = t.numStructures();
    double energy = 0.0;
    for (std::size_t s = 0; s < t.numStructures(); ++s) energy += t.energies[s] * double(s % 7 + 1);
    j["energySum"] = energy;
    for (const ElementFeatures& el : t.elements) {
        double sum = 0.0;
        for (std::size_t i = 0; i < el.values.size(); ++i) sum += el.values[i] * double(i % 13 + 1);
        j["elements"].push_back({{"Z", el.element},
                                 {"numAtoms", el.numAtoms()},
                                 {"numFunctions", el.numFunctions()},
                                 {"valueSum", sum}});
    }
    return j;
}

}  // namespace

nlohmann::json runConfigJson(const FeatureTable& table, const SelectConfig& config, const std::vector<double>& lambdas,
                             const std::vector<std::uint64_t>& seeds) {
    return {{"format", "agl-select-state-1"},
            {"lambdas", lambdas},
            {"seeds", seeds},
            {"trainer", trainerJson(config.trainer)},
            {"epochsGl", config.epochsGl},
            {"epochsAgl", config.epochsAgl},
            {"epochsRefit", config.epochsRefit},
            {"table", tableFingerprint(table)}};
}

void claimStateDir(const std::string& stateDir, const nlohmann::json& config) {
    std::filesystem::create_directories(stateDir);
    const std::string path = stateDir + "/config.json";
    if (std::filesystem::exists(path)) {
        std::ifstream in(path);
        nlohmann::json old;
        try {
            in >> old;
        } catch (const nlohmann::json::exception& e) {
            throw InputError(path, 0, std::string("unreadable run state: ") + e.what());
        }
        if (old != config)
            throw InputError(path, 0,
                             "this directory holds a selection run with other settings or data; use another --out "
                             "or --restart to discard it");
        return;
    }
    AtomicFile file(path, false);
    file.stream() << config.dump(1) << "\n";
    file.commit();
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
