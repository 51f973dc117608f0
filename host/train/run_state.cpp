#include "agl/train/run_state.hpp"

#include <filesystem>
#include <fstream>

#include "agl/atomic_file.hpp"
#include "agl/checksum.hpp"
#include "agl/error.hpp"

namespace agl {

nlohmann::json trainerIdentityJson(const TrainerConfig& c) {
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
    if (c.folds >= 2) j["crossValidation"] = {{"folds", c.folds}, {"fold", c.fold}};
    for (const auto& [z, shape] : c.elementNetworks)
        j["elementNetworks"][std::to_string(z)] = {{"hiddenNodes", shape.hiddenNodes}, {"activations", shape.activations}};
    return j;
}

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

nlohmann::json datasetFingerprint(const Dataset& data) {
    std::uint64_t h = kFnv1a64Start;
    const auto add = [&h](const void* p, std::size_t n) { h = fnv1a64(p, n, h); };
    for (const Structure& s : data.structures) {
        add(&s.periodic, sizeof s.periodic);
        add(s.cell.data(), sizeof s.cell);
        add(s.positions.data(), s.positions.size() * sizeof(Vec3d));
        add(s.elements.data(), s.elements.size() * sizeof(int));
        add(&s.energy, sizeof s.energy);
        add(&s.tag, sizeof s.tag);
    }
    return {{"numStructures", data.structures.size()}, {"numAtoms", data.numAtoms()}, {"checksum", h}};
}

std::uint64_t trainingRunIdentity(const FeatureTable& table, const TrainerConfig& config,
                                  const std::vector<ModelSpec>& models) {
    nlohmann::json j = {{"trainer", trainerIdentityJson(config)}, {"table", tableFingerprint(table)}};
    for (const ModelSpec& m : models) {
        const std::string weights(reinterpret_cast<const char*>(m.initialWeights.data()),
                                  m.initialWeights.size() * sizeof(double));
        j["models"].push_back({{"seed", m.seed},
                               {"lambda", m.lambda},
                               {"mask", m.mask},
                               {"adaptive", m.adaptive},  // ∞ (a group GL removed) is written as null
                               {"initialWeights", fnv1a64(weights)}});
    }
    return fnv1a64(j.dump());
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
                             "this directory holds a run with other settings or data; use another --out or "
                             "--restart to discard it");
        return;
    }
    AtomicFile file(path, false);
    file.stream() << config.dump(1) << "\n";
    file.commit();
}

void discardRunState(const std::string& stateDir, const std::string& prefix) {
    namespace fs = std::filesystem;
    if (!fs::is_directory(stateDir)) return;
    // The identity first: a kill part-way leaves no run that a rerun would take up with files missing.
    fs::remove(fs::path(stateDir) / "config.json");
    for (const fs::directory_entry& e : fs::directory_iterator(stateDir)) {
        const std::string name = e.path().filename().string(), ext = e.path().extension().string();
        const bool runFile = name.rfind(prefix, 0) == 0 && (ext == ".json" || ext == ".ckpt" || ext == ".part");
        if (runFile) fs::remove(e.path());
    }
    std::error_code ec;
    if (fs::is_empty(stateDir, ec)) fs::remove(stateDir, ec);  // so that OUT is empty again after a --restart
}

}  // namespace agl
