#include "agl/select/evaluate.hpp"

#include <cmath>
#include <filesystem>

#include "agl/error.hpp"
#include "agl/number_text.hpp"
#include "agl/log.hpp"
#include "agl/statistics.hpp"
#include "agl/timings.hpp"
#include "agl/train/run_state.hpp"

namespace agl {

nlohmann::json evaluateIdentityJson(const EvaluateConfig& e) {
    return {{"trainer", trainerIdentityJson(e.trainer)},
            {"models", e.models},
            {"seed", e.seed},
            {"restarts", e.restarts},
            {"firstPeriod", e.firstPeriod},
            {"multiplier", e.multiplier},
            {"minRate", e.minRate}};
}

int scheduleEpochs(const EvaluateConfig& c) {
    AGL_CHECK(c.restarts >= 0 && c.firstPeriod > 0.0 && c.multiplier >= 1.0, "bad warm-restart schedule");
    double total = 0.0, period = c.firstPeriod;
    for (int i = 0; i <= c.restarts; ++i, period *= c.multiplier) total += period;
    // From the user's options (first period, factor, restarts): an Error they can act on.
    const double epochs = std::ceil(total - 1e-9);
    if (!(epochs >= 1.0 && epochs <= 1e8))
        throw Error("the warm-restart schedule has " + significant(epochs) +
                    " epochs (first period × (1 + factor + … + factor^restarts)); 1 to 10^8 allowed");
    return int(epochs);
}

void setTestStatistics(EvaluateResult& r) {
    AGL_CHECK(!r.testRmse.empty(), "no test error to summarise");
    const MeanStd s = meanAndSampleStd(r.testRmse);
    r.mean = s.mean;
    r.std = s.std;
}

Trainer evaluationTrainer(const FeatureTable& table, const EvaluateConfig& config) {
    AGL_CHECK(config.models >= 1, "at least one model to evaluate");
    TrainerConfig c = config.trainer;
    c.schedule.kind = LrScheduleKind::CosineRestarts;
    c.schedule.minRate = config.minRate;
    c.schedule.firstPeriod = config.firstPeriod;
    c.schedule.multiplier = config.multiplier;
    c.maxEpochs = scheduleEpochs(config);
    c.patience = c.maxEpochs;  // the schedule decides the length; the best validation weights are kept
    c.checkpointPath = config.checkpointPath;
    c.checkpointEvery = config.checkpointPath.empty() ? 0 : config.checkpointEvery;
    std::vector<ModelSpec> specs(std::size_t(config.models));
    for (int m = 0; m < config.models; ++m) specs[std::size_t(m)].seed = config.seed + std::uint64_t(m);
    return Trainer(table, c, specs);
}

EvaluateResult evaluateFeatureSet(const FeatureTable& table, const EvaluateConfig& config) {
    ScopedPhase phase("evaluate feature set");
    Trainer trainer = evaluationTrainer(table, config);
    const TrainerConfig& c = trainer.config();
    if (trainer.split().test.empty())
        throw Error("evaluate: the data have no test structures (tag some as Test or use a test fraction > 0)");
    if (!c.checkpointPath.empty() && std::filesystem::exists(c.checkpointPath)) {
        trainer.loadCheckpoint(c.checkpointPath);
        logInfo("evaluate: resuming after epoch " + std::to_string(trainer.epoch()) + " from " + c.checkpointPath);
    }
    logInfo("evaluating " + std::to_string(config.models) + " models at once for " + std::to_string(c.maxEpochs) +
            " epochs (cosine annealing with warm restarts)");
    {
        Progress progress("epochs", std::size_t(c.maxEpochs), std::size_t(trainer.epoch()));
        while (trainer.runEpoch()) {
            progress.advance();
            stopIfRequested(trainer, config.stopRequested, "");
        }
    }
    EvaluateResult r;
    r.totalEpochs = c.maxEpochs;
    const auto& validation = trainer.split().validation.empty() ? trainer.split().train : trainer.split().validation;
    for (int m = 0; m < config.models; ++m) {
        r.testRmse.push_back(trainer.rmse(m, trainer.split().test));
        r.validationRmse.push_back(trainer.rmse(m, validation));
        r.epochs.push_back(trainer.models()[std::size_t(m)].epochs);
        r.models.push_back(trainer.potential(m));
    }
    r.testStructures = trainer.split().test;
    setTestStatistics(r);
    for (const ElementFeatures& el : table.elements)
        for (const SymmetryFunction& sf : el.functions) {
            ++r.numFeatures;
            r.numAngular += sf.isAngular() ? 1 : 0;
        }
    return r;
}

}  // namespace agl
