// Learning-rate range test (Smith 2017, "Cyclical learning rates"): train one model while the rate grows
// exponentially from minRate to maxRate over numBatches mini-batches, and read the best rate off the
// loss curve.
//
// Rule (documented because the paper leaves it open):
//   1. smoothed loss S_i = bias-corrected exponential moving average of the batch MSE (factor `smoothing`);
//   2. the test stops early when S_i is not finite, or S_i > divergeFactor · min S once the average is past its
//      first 1/(1 − smoothing) points (at most a third of the curve; before, it is as noisy as single batches);
//   3. slope_i = (ln S_{i+w} − ln S_{i−w}) / (ln r_{i+w} − ln r_{i−w}), w = a tenth of the points, over the
//      points after the first 10 % or that warm-up: a window, because batch losses of real data scatter
//      (docs/si-mlearn.md, tantalum: neighbour differences proposed 6e-7 and a 4× batch "diverged");
//   4. suggestedRate = r_i at the most negative slope (the loss falls fastest).
//   divergenceRate is where step 2 fired (maxRate when it never did); many users take divergenceRate/10.
#pragma once
#include <vector>

#include "agl/train/trainer.hpp"

namespace agl {

struct LrRangeTestConfig {
    double minRate = 1e-7, maxRate = 1.0;
    int numBatches = 300;
    double smoothing = 0.98;
    double divergeFactor = 4.0;
};

struct LrRangeTestResult {
    std::vector<double> rates, losses, smoothed;  // per batch run
    double suggestedRate = 0.0;
    double divergenceRate = 0.0;
};

// Uses config's data split, batch size, AdamW settings and network; its schedule and early stopping are ignored.
LrRangeTestResult lrRangeTest(const FeatureTable& table, const TrainerConfig& config, const ModelSpec& model,
                              const LrRangeTestConfig& test = {});

// The rule above on a recorded curve (exposed for tests): fills smoothed, suggestedRate, divergenceRate.
void analyseLrCurve(LrRangeTestResult& result, const LrRangeTestConfig& test);

}  // namespace agl
