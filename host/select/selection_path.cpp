#include "agl/select/selection_path.hpp"

#include <cmath>
#include <filesystem>
#include <limits>

#include "agl/error.hpp"
#include "agl/log.hpp"
#include "agl/statistics.hpp"
#include "agl/timings.hpp"
#include "agl/train/run_state.hpp"
#include "stage_store.hpp"

namespace agl {

using namespace select_detail;

std::vector<std::uint64_t> pathSeeds(std::uint64_t seed, int count) {
    std::vector<std::uint64_t> s;
    for (int k = 0; k < count; ++k) s.push_back(seed + std::uint64_t(k));
    return s;
}

std::uint64_t refitSeed(std::uint64_t pathSeed, int r) {
    return pathSeed + std::uint64_t(r) * 0x9E3779B97F4A7C15ull;
}

double PathPoint::refitRmseMean() const {
    AGL_CHECK(!refitRmses.empty(), "the refit stage has not run");
    return meanAndSampleStd(refitRmses).mean;
}

double PathPoint::refitRmseStd() const {
    AGL_CHECK(!refitRmses.empty(), "the refit stage has not run");
    return meanAndSampleStd(refitRmses).std;
}

double PathPoint::suggestionRmse() const {
    return cvRmses.empty() ? refitRmseMean() : meanAndSampleStd(cvRmses).mean;
}

double PathPoint::suggestionRmseStd() const {
    return cvRmses.empty() ? refitRmseStd() : meanAndSampleStd(cvRmses).std;
}

std::vector<std::vector<int>> selectedColumns(const std::vector<ElementArch>& archs, const std::vector<double>& norms) {
    std::vector<std::vector<int>> sel(archs.size());
    std::size_t offset = 0;
    for (std::size_t e = 0; e < archs.size(); ++e) {
        for (int j = 0; j < archs[e].numInputs(); ++j)
            if (norms.at(offset + std::size_t(j)) > 0.0) sel[e].push_back(j);
        offset += std::size_t(archs[e].numInputs());
    }
    AGL_CHECK(offset == norms.size(), "one group norm per feature expected");
    return sel;
}

namespace {

struct StageRun {
    std::string name;       // "gl", "agl", "refit"
    std::string phaseName;  // "GL stage", ...
    int cap = 0;
};

// Trains all models of one stage in one Trainer, or loads the stage when a finished run saved it.
std::vector<StageModel> runStage(const StageRun& run, const FeatureTable& table, const SelectConfig& config,
                                 const TrainerConfig& trainerConfig, const std::vector<ModelSpec>& specs,
                                 std::size_t modelSize) {
    ScopedPhase phase(run.phaseName);
    const bool keep = !config.stateDir.empty();
    const std::string done = keep ? stagePath(config.stateDir, run.name) : "";
    if (keep && std::filesystem::exists(done)) {
        logInfo(run.phaseName + ": finished earlier, loaded from " + done);
        return loadStage(done, specs.size(), modelSize);
    }
    TrainerConfig c = trainerConfig;
    c.maxEpochs = run.cap;
    c.checkpointPath.clear();
    c.checkpointEvery = 0;
    if (keep) {
        c.checkpointPath = checkpointPath(config.stateDir, run.name);
        c.checkpointEvery = config.checkpointEvery;
    }
    Trainer trainer(table, c, specs);
    if (keep && std::filesystem::exists(c.checkpointPath)) {
        trainer.loadCheckpoint(c.checkpointPath);
        logInfo(run.phaseName + ": resuming at epoch " + std::to_string(trainer.epoch()) + " from " +
                c.checkpointPath);
    }
    logInfo(run.phaseName + ": " + std::to_string(specs.size()) + " models at once, at most " +
            std::to_string(run.cap) + " epochs, patience " + std::to_string(trainer.patience()) + " epochs");
    {
        Progress progress(run.name + " epochs (cap)", std::size_t(run.cap), std::size_t(trainer.epoch()));
        while (trainer.runEpoch()) {
            progress.advance();
            logDebug(run.phaseName + " epoch " + std::to_string(trainer.epoch()) + ": " +
                     std::to_string(trainer.numActive()) + " models still training");
            stopIfRequested(trainer, config.stopRequested, "in the " + run.phaseName + " ");
        }
    }
    const std::vector<std::uint32_t>& check =
        trainer.split().validation.empty() ? trainer.split().train : trainer.split().validation;
    std::vector<StageModel> out;
    for (std::size_t m = 0; m < specs.size(); ++m) {
        const ModelState& st = trainer.models()[m];
        StageModel s;
        s.epochs = st.epochs;
        s.bestEpoch = st.bestEpoch;
        s.validationRmse = trainer.rmse(int(m), check);
        s.weights = st.bestWeights;
        s.groupNorms = trainer.bestGroupNorms(int(m));
        out.push_back(std::move(s));
    }
    if (keep) {
        saveStage(done, run.name, out);
        std::filesystem::remove(c.checkpointPath);
    }
    return out;
}

// Per element vectors of a flat (Σ_e N_e) array.
template <class T>
std::vector<std::vector<T>> perElement(const std::vector<ElementArch>& archs, const std::vector<T>& flat) {
    std::vector<std::vector<T>> v;
    std::size_t offset = 0;
    for (const ElementArch& a : archs) {
        v.emplace_back(flat.begin() + std::ptrdiff_t(offset), flat.begin() + std::ptrdiff_t(offset + a.numInputs()));
        offset += std::size_t(a.numInputs());
    }
    return v;
}

// 1 for the features AGL kept (group norm > 0), 0 for the others; (Σ_e N_e) element by element.
std::vector<std::uint8_t> keptMask(const StageModel& agl) {
    std::vector<std::uint8_t> mask(agl.groupNorms.size());
    for (std::size_t j = 0; j < mask.size(); ++j) mask[j] = agl.groupNorms[j] > 0.0 ? 1 : 0;
    return mask;
}

// refitFolds = F ≥ 2: stage cv<f> trains every point's set on all non-test structures but fold f and
// validates it on fold f (crossValidationSplit), K models at once, cold starts from refitSeed(seed,
// refitSeeds + f): a warm start from AGL would have seen fold f. Fills PathPoint::cvRmses.
void runCrossValidation(const FeatureTable& table, const SelectConfig& config, const std::vector<std::uint64_t>& seeds,
                        const std::vector<StageModel>& agl, std::size_t modelSize, SelectionPath& sp) {
    if (config.refitFolds < 2) return;
    const std::size_t K = seeds.size();
    for (int f = 0; f < config.refitFolds; ++f) {
        std::vector<ModelSpec> specs;
        for (std::size_t k = 0; k < K; ++k) {
            ModelSpec s;
            s.seed = refitSeed(seeds[k], config.refitSeeds + f);
            s.mask = perElement(sp.archs, keptMask(agl[k]));
            specs.push_back(std::move(s));
        }
        TrainerConfig c = config.trainer;
        c.folds = config.refitFolds;
        c.fold = f;
        const std::string name = "cv" + std::to_string(f);
        const std::string phase =
            "cross-validation fold " + std::to_string(f + 1) + " of " + std::to_string(config.refitFolds);
        const auto fold = runStage({name, phase, config.epochsRefit}, table, config, c, specs, modelSize);
        for (std::size_t k = 0; k < K; ++k) sp.points[k].cvRmses.push_back(fold[k].validationRmse);
    }
}

}  // namespace

SelectionPath runSelectionPath(const FeatureTable& table, const SelectConfig& config, const std::vector<double>& lambdas,
                               const std::vector<std::uint64_t>& seeds) {
    AGL_CHECK(!lambdas.empty() && lambdas.size() == seeds.size(), "one seed per λ expected");
    AGL_CHECK(config.stopAfter.empty() || config.stopAfter == "gl" || config.stopAfter == "agl",
              "stopAfter must be empty, gl or agl");
    AGL_CHECK(config.refitSeeds >= 1, "at least one refit per λ");
    AGL_CHECK(config.refitFolds == 0 || config.refitFolds >= 2, "refitFolds must be 0 (off) or at least 2");
    if (!config.stateDir.empty()) claimStateDir(config.stateDir, runConfigJson(table, config, lambdas, seeds));
    const std::size_t K = lambdas.size();

    SelectionPath sp;
    sp.archs = networkArchs(table, config.trainer);
    const ParamLayout one(sp.archs, 1);
    const std::size_t modelSize = one.modelSize();
    {
        sp.scaling = computeScaling(table, trainerSplit(table, config.trainer).train);
    }
    sp.points.resize(K);
    for (std::size_t k = 0; k < K; ++k) {
        sp.points[k].lambda = lambdas[k];
        sp.points[k].seed = seeds[k];
    }

    // GL: cold random starts, a = 1.
    std::vector<ModelSpec> specs(K);
    for (std::size_t k = 0; k < K; ++k) {
        specs[k].seed = seeds[k];
        specs[k].lambda = lambdas[k];
    }
    const auto gl = runStage({"gl", "GL stage", config.epochsGl}, table, config, config.trainer, specs, modelSize);
    for (std::size_t k = 0; k < K; ++k) sp.points[k].gl = gl[k];
    sp.completedStage = "gl";
    if (config.stopAfter == "gl") return sp;

    // AGL: a_kj = 1/‖ŵ_kj‖ (∞ where GL zeroed the group), warm start from the GL weights.
    for (std::size_t k = 0; k < K; ++k) {
        std::vector<double> a(gl[k].groupNorms.size());
        for (std::size_t j = 0; j < a.size(); ++j)
            a[j] = gl[k].groupNorms[j] > 0.0 ? 1.0 / gl[k].groupNorms[j] : std::numeric_limits<double>::infinity();
        specs[k].adaptive = perElement(sp.archs, a);
        specs[k].initialWeights = gl[k].weights;
    }
    const auto agl = runStage({"agl", "AGL stage", config.epochsAgl}, table, config, config.trainer, specs, modelSize);
    for (std::size_t k = 0; k < K; ++k) {
        PathPoint& p = sp.points[k];
        p.agl = agl[k];
        p.selected = selectedColumns(sp.archs, agl[k].groupNorms);
        for (std::size_t e = 0; e < p.selected.size(); ++e)
            for (int j : p.selected[e]) {
                const SymmetryFunction& sf = table.elements[e].functions[std::size_t(j)];
                ++p.numSelected;
                p.numAngular += sf.isAngular() ? 1 : 0;
                p.numNoise += sf.isNoise() ? 1 : 0;
            }
    }
    sp.completedStage = "agl";
    if (config.stopAfter == "agl") return sp;

    // Refit: no penalty, only the selected features; model r·K + k is refit r of point k (r = 0: warm start from
    // the AGL weights, r ≥ 1: cold start from refitSeed), so the first K are those of a one-seed run.
    std::vector<ModelSpec> refitSpecs;
    for (int r = 0; r < config.refitSeeds; ++r)
        for (std::size_t k = 0; k < K; ++k) {
            ModelSpec s;
            s.seed = r == 0 ? seeds[k] : refitSeed(seeds[k], r);
            s.mask = perElement(sp.archs, keptMask(agl[k]));
            if (r == 0) s.initialWeights = agl[k].weights;
            refitSpecs.push_back(std::move(s));
        }
    const auto refit =
        runStage({"refit", "refit stage", config.epochsRefit}, table, config, config.trainer, refitSpecs, modelSize);
    for (std::size_t k = 0; k < K; ++k) {
        PathPoint& p = sp.points[k];
        for (int r = 0; r < config.refitSeeds; ++r) {
            const StageModel& m = refit[std::size_t(r) * K + k];
            p.refitRmses.push_back(m.validationRmse);
            if (r == 0 || std::isnan(p.refit.validationRmse) || m.validationRmse < p.refit.validationRmse)
                p.refit = m;
        }
    }
    runCrossValidation(table, config, seeds, agl, modelSize, sp);
    sp.completedStage = "refit";
    return sp;
}

}  // namespace agl
