#include "agl/select/lambda_path.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "agl/error.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/timings.hpp"
#include "agl/train/model_batch.hpp"

namespace agl {

std::vector<double> logSpacedLambdas(double hi, double lo, int count) {
    AGL_CHECK(count >= 1, "a λ path needs at least one value");
    if (!(lo > 0.0 && lo <= hi && std::isfinite(hi)))
        throw Error("λ path: need 0 < lambda-min <= lambda-max, got " + std::to_string(lo) + " and " +
                    std::to_string(hi));
    std::vector<double> v(std::size_t(count), hi);
    for (int k = 1; k < count; ++k)
        v[std::size_t(k)] = hi * std::exp(std::log(lo / hi) * double(k) / double(count - 1));
    return v;
}

double estimateLambdaMax(const FeatureTable& table, const TrainerConfig& config,
                         const std::vector<std::uint64_t>& seeds) {
    ScopedPhase phase("lambda max");
    AGL_CHECK(!seeds.empty(), "at least one seed");
    const DataSplit split = trainerSplit(table, config);
    AGL_CHECK(!split.train.empty(), "no training structures");
    const std::vector<FeatureScaling> scaling = computeScaling(table, split.train);
    const StandardisedData data = standardise(table, scaling);
    const std::vector<ElementArch> archs = networkArchs(table, config);
    const int K = int(seeds.size());
    ModelBatch mb(archs, K);
    // The "nothing kept" point: every group masked (first layer zero), deeper layers from the seeds.
    std::fill(mb.groups().mask.begin(), mb.groups().mask.end(), std::uint8_t(0));
    double bias = 0.0;
    for (std::uint32_t s : split.train) bias += data.energies[s] / data.numAtoms[s];
    bias /= double(split.train.size());
    for (int k = 0; k < K; ++k) mb.initialise(k, seeds[std::size_t(k)], bias);

    const ParamLayout& layout = mb.layout();
    std::vector<double> grad(layout.size(), 0.0), sum(layout.size(), 0.0), sumSq(layout.size(), 0.0), mse;
    MiniBatch batch;
    AGL_CHECK(config.batchSize >= 1, "batch size must be positive");
    const std::size_t bs = std::size_t(config.batchSize);
    for (std::size_t from = 0; from < split.train.size(); from += bs) {
        const int n = int(std::min(bs, split.train.size() - from));
        gatherBatch(data, split.train.data() + from, n, batch);
        mb.lossAndGradient(batch, K, mse, grad);
        for (std::size_t i = 0; i < grad.size(); ++i) {
            sum[i] += grad[i];
            sumSq[i] += grad[i] * grad[i];
        }
    }
    double lambdaMax = 0.0;
    for (std::size_t e = 0; e < archs.size(); ++e) {
        const int width = archs[e].firstWidth(), numInputs = archs[e].numInputs();
        for (int k = 0; k < K; ++k) {
            const std::size_t w = layout.slotWeight(int(e), 0, k);
            for (int j = 0; j < numInputs; ++j) {
                double s2 = 0.0;
                for (int h = 0; h < width; ++h) {
                    const std::size_t i = w + std::size_t(j) * std::size_t(layout.weightLd(int(e), 0)) + h;
                    if (sumSq[i] > 0.0) s2 += sum[i] * sum[i] / sumSq[i];  // (mean g)² / mean g², batches cancel
                }
                // mean over b of g = sum/B, mean of g² = sumSq/B → ratio² = sum² / (B · sumSq)
                const double numBatches = std::ceil(double(split.train.size()) / double(bs));
                lambdaMax = std::max(lambdaMax, double(numInputs) * std::sqrt(s2 / numBatches));
            }
        }
    }
    if (!(lambdaMax > 0.0))  // a property of the data (e.g. one training structure), hence Error
        throw Error("every first-layer gradient is zero: the energies carry no signal to select on (" +
                    std::to_string(split.train.size()) + " training structures; give --lambda-max, or more data)");
    return lambdaMax;
}

double refineLambdaMax(const FeatureTable& table, const TrainerConfig& config, std::uint64_t seed, double estimate,
                       int probeEpochs) {
    ScopedPhase phase("lambda max probe");
    AGL_CHECK(estimate > 0.0 && probeEpochs >= 1, "the probe needs a positive estimate and epochs");
    constexpr int kCandidates = 8;
    TrainerConfig c = config;
    c.maxEpochs = probeEpochs;
    c.checkpointPath.clear();
    std::vector<ModelSpec> specs(kCandidates);
    for (int i = 0; i < kCandidates; ++i) {
        specs[std::size_t(i)].seed = seed;
        specs[std::size_t(i)].lambda = estimate * std::pow(std::sqrt(2.0), double(i));
    }
    Trainer trainer(table, c, specs);
    trainer.train();
    for (int i = 0; i < kCandidates; ++i) {
        const std::vector<double> norms = trainer.bestGroupNorms(i);
        if (std::all_of(norms.begin(), norms.end(), [](double n) { return n == 0.0; })) return specs[std::size_t(i)].lambda;
    }
    logWarn("lambda max probe: features are still kept at " + significant(specs.back().lambda) +
            "; using it as the upper end of the path");
    return specs.back().lambda;
}

std::vector<double> resolveLambdaPath(const FeatureTable& table, const TrainerConfig& config,
                                      const std::vector<std::uint64_t>& seeds, const LambdaPathOptions& o) {
    if (!o.lambdas.empty()) {
        std::vector<double> v = o.lambdas;
        for (double l : v)
            if (!(l >= 0.0) || !std::isfinite(l)) throw UsageError("--lambdas", "every λ must be finite and >= 0");
        std::sort(v.begin(), v.end(), std::greater<double>());
        return v;
    }
    double hi = o.lambdaMax;
    if (!(hi > 0.0)) {
        hi = estimateLambdaMax(table, config, seeds);
        logInfo("lambda max from the Adam-normalised gradients at zero: " + significant(hi));
        if (o.probeEpochs > 0) {
            hi = refineLambdaMax(table, config, seeds.front(), hi, o.probeEpochs);
            logInfo("lambda max after the probe (every feature removed): " + significant(hi));
        }
    }
    double lo = o.lambdaMin > 0.0 ? o.lambdaMin : hi * o.ratio;
    return logSpacedLambdas(hi, lo, o.count);
}

}  // namespace agl
