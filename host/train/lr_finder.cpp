#include "agl/train/lr_finder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "agl/error.hpp"

namespace agl {

void analyseLrCurve(LrRangeTestResult& r, const LrRangeTestConfig& test) {
    const std::size_t n = r.losses.size();
    r.smoothed.assign(n, 0.0);
    r.divergenceRate = n ? r.rates.back() : test.maxRate;
    // While the moving average still carries its first few samples (1/(1 − smoothing) of them, at most a third
    // of the curve) it is as noisy as single batches, which on real data differ by factors (tantalum: one batch
    // with compressed cells is 4× the previous one); divergence is judged, and slopes are read, after it.
    const std::size_t warmup = std::min(std::size_t(std::ceil(1.0 / (1.0 - test.smoothing))), n / 3);
    double avg = 0.0, best = std::numeric_limits<double>::infinity();
    std::size_t used = n;
    for (std::size_t i = 0; i < n; ++i) {
        avg = test.smoothing * avg + (1.0 - test.smoothing) * r.losses[i];
        r.smoothed[i] = avg / (1.0 - std::pow(test.smoothing, double(i + 1)));
        if (!std::isfinite(r.smoothed[i]) || r.smoothed[i] > test.divergeFactor * best) {
            r.divergenceRate = r.rates[i];
            used = i;
            break;
        }
        if (i >= warmup) best = std::min(best, r.smoothed[i]);
    }
    r.smoothed.resize(used);
    double steepest = std::numeric_limits<double>::infinity();
    r.suggestedRate = used ? r.rates[0] : test.minRate;
    // Batch losses of real data scatter by tens of per cent (a few high-energy structures per batch), so the
    // slope spans ±w points, not neighbours: a 1 % wiggle between neighbours is a slope of 0.2 in log–log,
    // steeper than a real 25 % descent over two decades.
    const std::size_t w = std::max<std::size_t>(1, used / 10);
    const std::size_t skip = std::min(std::max(used / 10, warmup), used / 3);
    for (std::size_t i = std::max(w, skip); i + w < used; ++i) {
        if (!(r.smoothed[i - w] > 0.0) || !(r.smoothed[i + w] > 0.0)) continue;
        const double slope = (std::log(r.smoothed[i + w]) - std::log(r.smoothed[i - w])) /
                             (std::log(r.rates[i + w]) - std::log(r.rates[i - w]));
        if (slope < steepest) {
            steepest = slope;
            r.suggestedRate = r.rates[i];
        }
    }
}

LrRangeTestResult lrRangeTest(const FeatureTable& table, const TrainerConfig& config, const ModelSpec& model,
                              const LrRangeTestConfig& test) {
    AGL_CHECK(test.minRate > 0.0 && test.maxRate > test.minRate && test.numBatches >= 3,
              "range test needs 0 < minRate < maxRate and at least 3 batches");
    TrainerConfig c = config;
    c.checkpointPath.clear();
    Trainer trainer(table, c, {model});
    std::vector<std::uint32_t> order = trainer.split().train;
    std::mt19937_64 rng(config.shuffleSeed);
    const std::size_t bs = std::size_t(config.batchSize);
    std::size_t pos = order.size();
    LrRangeTestResult r;
    const double growth = std::log(test.maxRate / test.minRate) / double(test.numBatches - 1);
    for (int i = 0; i < test.numBatches; ++i) {
        if (pos >= order.size()) {  // a new pass over the training set
            shuffleIndices(order, rng);
            pos = 0;
        }
        const int n = int(std::min(bs, order.size() - pos));
        const double lr = test.minRate * std::exp(growth * i);
        const double loss = trainer.trainStep(order.data() + pos, n, lr)[0];
        pos += std::size_t(n);
        r.rates.push_back(lr);
        r.losses.push_back(loss);
        if (!std::isfinite(loss)) break;
    }
    analyseLrCurve(r, test);
    return r;
}

}  // namespace agl
