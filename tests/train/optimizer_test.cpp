// Proximal group step (method.md test vectors), penalty, AdamW decoupled decay placement, schedules.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "agl/train/model_batch.hpp"
#include "agl/train/optimizer.hpp"

namespace agl {
namespace {

// One element with 2 features and first-layer width `width`; 2 models.
ModelBatch twoFeatureBatch(int width) { return ModelBatch({makeElementArch(1, 2, {width}, "tl")}, 2); }

void setGroup(ModelBatch& mb, int slot, int feature, const std::vector<double>& w) {
    double* p = mb.params().data() + mb.layout().slotWeight(0, 0, slot) + std::size_t(feature) * mb.layout().weightLd(0, 0);
    std::copy(w.begin(), w.end(), p);
}
std::vector<double> group(const ModelBatch& mb, int slot, int feature, int width) {
    const double* p = mb.params().data() + mb.layout().slotWeight(0, 0, slot) + std::size_t(feature) * mb.layout().weightLd(0, 0);
    return std::vector<double>(p, p + width);
}

TEST(TrainProximal, ShrinkFactorTestVectors) {
    const double n1 = std::sqrt(0.09 + 0.16 + 1.44);  // 1.3
    EXPECT_NEAR(groupShrinkFactor(n1, 0.65), 0.5, 1e-15);
    EXPECT_EQ(groupShrinkFactor(0.5, 0.6), 0.0);
    EXPECT_EQ(groupShrinkFactor(0.5, 0.5), 0.0);      // exactly at the threshold → 0
    EXPECT_EQ(groupShrinkFactor(3.0, INFINITY), 0.0);  // a = ∞
}

TEST(TrainProximal, FlatBufferStepMatchesTestVectors) {
    // threshold = lr·(λ/N)·a with N = 2 features: λ = 1.3, lr = 1, a = 1 → 0.65 for slot 0.
    ModelBatch mb = twoFeatureBatch(3);
    setGroup(mb, 0, 0, {0.3, -0.4, 1.2});
    setGroup(mb, 0, 1, {1.0, 2.0, 2.0});               // norm 3 → factor 1 − 0.65/3
    setGroup(mb, 1, 0, {0.3, -0.4, 1.2});              // slot 1: λ = 0, untouched
    mb.groups().lambda = {1.3, 0.0};
    const auto otherBefore = mb.params();
    proximalGroupStep(mb.layout(), 2, 1.0, mb.groups(), mb.params().data());
    const auto g = group(mb, 0, 0, 3);
    EXPECT_NEAR(g[0], 0.15, 1e-15);
    EXPECT_NEAR(g[1], -0.2, 1e-15);
    EXPECT_NEAR(g[2], 0.6, 1e-15);
    const auto h = group(mb, 0, 1, 3);
    EXPECT_NEAR(h[2], 2.0 * (1.0 - 0.65 / 3.0), 1e-15);
    EXPECT_EQ(group(mb, 1, 0, 3), (std::vector<double>{0.3, -0.4, 1.2}));

    ModelBatch mb2 = twoFeatureBatch(2);  // (0.3, −0.4), threshold 0.6: λ = 1.2 → (0, 0)
    setGroup(mb2, 0, 0, {0.3, -0.4});
    setGroup(mb2, 0, 1, {0.3, -0.4});
    mb2.groups().lambda = {1.2, 0.0};
    mb2.groups().adaptive[1] = 0.5 / 0.6;             // feature 1: threshold exactly 0.5 = its norm → 0
    proximalGroupStep(mb2.layout(), 1, 1.0, mb2.groups(), mb2.params().data());
    EXPECT_EQ(group(mb2, 0, 0, 2), (std::vector<double>{0.0, 0.0}));
    const auto at = group(mb2, 0, 1, 2);
    EXPECT_LT(std::hypot(at[0], at[1]), 1e-15);
}

TEST(TrainProximal, InfiniteWeightAndMaskForceZeroAndPenaltyIsReported) {
    ModelBatch mb = twoFeatureBatch(2);
    setGroup(mb, 0, 0, {3.0, 4.0});   // norm 5
    setGroup(mb, 0, 1, {0.6, 0.8});   // norm 1
    setGroup(mb, 1, 0, {3.0, 4.0});
    setGroup(mb, 1, 1, {0.6, 0.8});
    mb.groups().lambda = {0.5, 0.5};
    mb.groups().adaptive = {2.0, 3.0, 1.0, INFINITY};
    // penalty (λ/N) Σ a_j ‖w_j‖ = 0.25 · (2·5 + 3·1)
    EXPECT_NEAR(groupPenalty(mb.layout(), 0, mb.groups(), mb.params().data()), 0.25 * 13.0, 1e-14);
    mb.groups().mask[0] = 0;  // slot 0 feature 0 masked
    proximalGroupStep(mb.layout(), 2, 1e-3, mb.groups(), mb.params().data());
    EXPECT_EQ(group(mb, 0, 0, 2), (std::vector<double>{0.0, 0.0}));
    EXPECT_EQ(group(mb, 1, 1, 2), (std::vector<double>{0.0, 0.0}));  // a = ∞
    EXPECT_GT(group(mb, 1, 0, 2)[0], 2.99);
    EXPECT_EQ(groupPenalty(mb.layout(), 1, mb.groups(), mb.params().data()),
              0.25 * std::hypot(group(mb, 1, 0, 2)[0], group(mb, 1, 0, 2)[1]));
}

TEST(TrainAdamW, DecayOnlyOnInternalWeights) {
    ModelBatch mb({makeElementArch(1, 3, {4, 5}, "ttl"), makeElementArch(6, 2, {4, 5}, "ttl")}, 3);
    for (int k = 0; k < 3; ++k) mb.initialise(k, 11 + k, 0.7);
    for (double& b : mb.params()) b += 0.25;  // biases non-zero too
    const auto before = mb.params();
    const std::size_t n = mb.layout().size();
    std::vector<double> grad(n, 0.0), m(n, 0.0), v(n, 0.0);
    AdamWSettings s;
    s.weightDecay = 0.1;
    const double lr = 0.5;
    adamwStep(mb.layout(), 2, 1, lr, s, grad.data(), mb.params().data(), m.data(), v.data());  // slots 0, 1
    const auto& slotOf = mb.layout().slotOf();
    int decayed = 0;
    for (std::size_t e = 0; e < 2; ++e)
        for (int l = 0; l < 3; ++l) {
            const std::size_t w0 = mb.layout().weightOffset(int(e), l), b0 = mb.layout().biasOffset(int(e), l);
            const std::size_t end = l < 2 ? mb.layout().weightOffset(int(e), l + 1) : (e == 0 ? mb.layout().weightOffset(1, 0) : n);
            for (std::size_t i = w0; i < end; ++i) {
                const bool internalWeight = l >= 1 && i < b0;
                const bool active = slotOf[i] < 2;
                if (internalWeight && active) {
                    EXPECT_DOUBLE_EQ(mb.params()[i], before[i] * (1.0 - lr * 0.1)) << i;
                    ++decayed;
                } else {
                    EXPECT_EQ(mb.params()[i], before[i]) << i;  // first layer, biases, inactive slot
                }
            }
        }
    EXPECT_EQ(decayed, 2 * 2 * (4 * 5 + 5 * 1));
}

TEST(TrainAdamW, FirstStepMovesByLearningRate) {
    // With bias correction the first Adam step is lr·g/(|g| + ε) ≈ lr·sign(g).
    ModelBatch mb({makeElementArch(1, 1, {1}, "ll")}, 1);
    std::vector<double> grad = {2.0, -3.0, 0.5, 0.0}, m(4, 0.0), v(4, 0.0);
    AdamWSettings s;
    s.weightDecay = 0.0;
    adamwStep(mb.layout(), 1, 1, 0.01, s, grad.data(), mb.params().data(), m.data(), v.data());
    for (int i = 0; i < 3; ++i)
        EXPECT_NEAR(mb.params()[i], -0.01 * grad[i] / (std::fabs(grad[i]) + 1e-8), 1e-17) << i;
    EXPECT_EQ(mb.params()[3], 0.0);
}

TEST(TrainSchedule, CosineWarmRestarts) {
    LrSchedule s;
    s.kind = LrScheduleKind::CosineRestarts;
    s.baseRate = 1.0;
    s.minRate = 0.0;
    s.firstPeriod = 1.0;
    s.multiplier = 2.0;
    EXPECT_DOUBLE_EQ(s.rate(0.0), 1.0);
    EXPECT_NEAR(s.rate(0.5), 0.5, 1e-15);
    EXPECT_DOUBLE_EQ(s.rate(1.0), 1.0);        // restart, period 2
    EXPECT_NEAR(s.rate(2.0), 0.5, 1e-15);      // middle of [1, 3)
    EXPECT_DOUBLE_EQ(s.rate(3.0), 1.0);        // restart, period 4
    EXPECT_NEAR(s.rate(6.0), 0.0 + 0.5 * (1 + std::cos(3.14159265358979323846 * 0.75)), 1e-15);
    s.kind = LrScheduleKind::Constant;
    EXPECT_EQ(s.rate(5.3), 1.0);
}

TEST(TrainLayout, SlotGatherScatterRoundTrip) {
    ModelBatch mb({makeElementArch(1, 3, {4, 2}, "ttl"), makeElementArch(8, 5, {4, 2}, "ttl")}, 4);
    for (std::size_t i = 0; i < mb.params().size(); ++i) mb.params()[i] = double(i);
    // Every flat index belongs to exactly one slot's canonical vector.
    std::vector<int> seen(mb.layout().size(), 0);
    for (int k = 0; k < 4; ++k)
        for (double v : mb.slotParams(k)) ++seen[std::size_t(v)];
    for (int s : seen) EXPECT_EQ(s, 1);
    const auto a = mb.slotParams(1), b = mb.slotParams(3);
    mb.swapSlots(1, 3);
    EXPECT_EQ(mb.slotParams(1), b);
    EXPECT_EQ(mb.slotParams(3), a);
    EXPECT_EQ(mb.modelOfSlot(), (std::vector<int>{0, 3, 2, 1}));
}

}  // namespace
}  // namespace agl

#include "agl/train/layer_math.hpp"
namespace agl {
namespace {
TEST(TrainActivation, FastTanhMatchesStd) {
    double worst = 0.0;
    for (int i = -200000; i <= 200000; ++i) {
        const double x = i * 1e-4 * (1.0 + 1e-3 * (i % 7));
        const double ref = std::tanh(x), got = tanhFast(x);
        worst = std::max(worst, std::fabs(got - ref) / std::max(std::fabs(ref), 1e-300));
    }
    EXPECT_LT(worst, 1e-15);
    for (double x : {1e-300, 1e-12, -3e-9, 0.34, 19.9, 25.0, -700.0}) EXPECT_NEAR(tanhFast(x), std::tanh(x), 4e-16 * std::fabs(std::tanh(x)) + 1e-320);
    EXPECT_EQ(tanhFast(0.0), 0.0);
}

// The vectorised loop the layers call (AVX-512, AVX2 or plain, picked at run time) against std::tanh, with a
// length that leaves a tail after every vector width, NaN passed through and |x| beyond the clamp.
TEST(TrainActivation, TanhLoopOfTheLayersMatchesStd) {
    std::vector<double> x;
    for (int i = -5003; i <= 5003; ++i) x.push_back(i * 4.1e-3 * (1.0 + 1e-3 * (i % 5)));
    x.push_back(1e-300);
    x.push_back(-40.0);
    x.push_back(std::nan(""));
    std::vector<double> y = x;
    activateInPlace(Activation::Tanh, y.data(), y.size());
    double worst = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) {
        const double ref = std::tanh(x[i]);
        worst = std::max(worst, std::fabs(y[i] - ref) / std::max(std::fabs(ref), 1e-300));
    }
    EXPECT_LT(worst, 1e-15);
    EXPECT_TRUE(std::isnan(y.back()));
}
}  // namespace
}  // namespace agl
