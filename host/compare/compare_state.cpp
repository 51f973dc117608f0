#include "compare_state.hpp"

#include <cmath>
#include <fstream>

#include "agl/atomic_file.hpp"
#include "agl/error.hpp"
#include "agl/train/run_state.hpp"

namespace agl::compare_detail {

namespace {

// Finite values >= 0 (per-atom RMSEs), else InputError naming the file and the entry.
std::vector<double> errors(const nlohmann::json& j, const std::string& path, const char* key) {
    std::vector<double> v;
    for (const auto& x : j.at(key)) {
        const double e = x.is_number() ? x.get<double>() : -1.0;
        if (!(e >= 0.0) || !std::isfinite(e))
            throw InputError(path, 0, std::string(key) + "[" + std::to_string(v.size()) + "] is not a finite error >= 0");
        v.push_back(e);
    }
    return v;
}

}  // namespace

nlohmann::json compareConfigJson(const FeatureTable& table, const std::vector<FeatureSet>& sets,
                                 const EvaluateConfig& e) {
    nlohmann::json j = {{"format", "agl-compare-state-1"},
                        {"table", tableFingerprint(table)},
                        {"evaluate", evaluateIdentityJson(e)}};
    j["sets"] = nlohmann::json::array();
    for (const FeatureSet& s : sets) j["sets"].push_back({{"name", s.name}, {"columns", s.columns}});
    return j;
}

std::string setResultPath(const std::string& stateDir, std::size_t set) {
    return stateDir + "/set_" + std::to_string(set) + ".json";
}
std::string setCheckpointPath(const std::string& stateDir, std::size_t set) {
    return stateDir + "/set_" + std::to_string(set) + ".ckpt";
}

void saveEvaluateResult(const std::string& path, const EvaluateResult& r) {
    nlohmann::json j = {{"testRmse", r.testRmse},
                              {"validationRmse", r.validationRmse},
                              {"epochs", r.epochs},
                              {"numFeatures", r.numFeatures},
                              {"numAngular", r.numAngular},
                              {"totalEpochs", r.totalEpochs}};
    if (!r.testForceRmse.empty()) {  // measured (older states and runs without structures have none)
        j["testForceRmse"] = r.testForceRmse;
        j["referenceForceRms"] = r.referenceForceRms;
    }
    AtomicFile file(path, true);  // our own state file
    file.stream() << j.dump() << "\n";
    file.commit();
}

EvaluateResult loadEvaluateResult(const std::string& path, int models, int numFeatures) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open the result of a finished set");
    EvaluateResult r;
    try {
        nlohmann::json j;
        in >> j;
        r.testRmse = errors(j, path, "testRmse");
        r.validationRmse = errors(j, path, "validationRmse");
        r.epochs = j.at("epochs").get<std::vector<int>>();
        r.numFeatures = j.at("numFeatures").get<int>();
        r.numAngular = j.at("numAngular").get<int>();
        r.totalEpochs = j.at("totalEpochs").get<int>();
        if (j.contains("testForceRmse")) {
            r.testForceRmse = errors(j, path, "testForceRmse");
            r.referenceForceRms = j.at("referenceForceRms").get<double>();
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, 0, std::string("malformed result of a finished set: ") + e.what());
    }
    const std::size_t m = std::size_t(models);
    if (r.testRmse.size() != m || r.validationRmse.size() != m || r.epochs.size() != m ||
        (!r.testForceRmse.empty() && r.testForceRmse.size() != m))
        throw InputError(path, 0, "the result of a finished set has another number of models");
    if (!r.testForceRmse.empty() && !(r.referenceForceRms >= 0.0 && std::isfinite(r.referenceForceRms)))
        throw InputError(path, 0, "referenceForceRms is not a finite value >= 0");
    if (r.numFeatures != numFeatures || r.numAngular < 0 || r.numAngular > r.numFeatures)
        throw InputError(path, 0, "the result of a finished set has another number of features");
    for (int e : r.epochs)
        if (e < 1 || e > r.totalEpochs) throw InputError(path, 0, "epochs outside 1 … totalEpochs");
    setTestStatistics(r);
    return r;
}

}  // namespace agl::compare_detail
