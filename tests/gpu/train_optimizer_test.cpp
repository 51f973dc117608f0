// GPU optimiser kernels (include/agl/gpu_train.hpp: proximal group step + penalty, gradient mask, AdamW)
// against the CPU loops of include/agl/train/optimizer.hpp, on random parameters of K = 3 models, 2 elements.
//
// Tolerances: both sides are fp64 with the same AGL_HD formulas; only the order of the ‖w‖ sum and FMA
// contraction differ, so values agree to ~1e-15 relative: 1e-12 relative is asserted. Zeros must be exact
// (a vanished group is 0, not 1e-17), and entries of inactive slots must be untouched (bitwise).
#include <gtest/gtest.h>

#include <cmath>

#include "agl/gpu_train.hpp"
#include "gpu_test_support.hpp"
#include "train_test_support.hpp"

namespace {

using namespace gputest;

constexpr double kTol = 1e-12;

struct ProxFixture {
    agl::ParamLayout layout{trainArchs(), kSlots};
    std::mt19937_64 rng{2024};
    std::vector<double> params = randomVector(layout.size(), rng, -1.0, 1.0);
    agl::GroupSettings groups = randomGroups(layout, rng);
};

void checkProximal(int numActive) {
    ProxFixture f;
    agl::gpu::GpuModelBatch gpu(f.layout, agl::Precision::Fp64);
    gpu.setParams(f.params);
    gpu.setGroups(f.groups);
    const double lr = 1.0;
    std::vector<double> gpuPenalty;
    gpu.proximalStep(numActive, lr, &gpuPenalty);
    const std::vector<double> got = gpu.params();

    std::vector<double> want = f.params;
    agl::proximalGroupStep(f.layout, numActive, lr, f.groups, want.data());

    Comparison c;
    std::size_t zeroed = 0, shrunk = 0;
    const auto& slotOf = f.layout.slotOf();
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (slotOf[i] >= numActive) {
            ASSERT_EQ(got[i], f.params[i]) << "inactive slot entry " << i << " changed";
            continue;
        }
        if (want[i] == 0.0) {
            ASSERT_EQ(got[i], 0.0) << "entry " << i << " of a vanished group";
            ++zeroed;
        } else {
            c.near(got[i], want[i], kTol, 0.0, "parameter", i);
            shrunk += want[i] != f.params[i];
        }
    }
    EXPECT_GT(c.compared, 0u);
    EXPECT_GT(zeroed, 0u) << "the random settings should zero some groups";
    EXPECT_GT(shrunk, 0u) << "the random settings should shrink some groups";

    // Fused penalty (after the step) and the stand-alone penalty, both against agl::groupPenalty.
    ASSERT_EQ(gpuPenalty.size(), std::size_t(numActive));
    const std::vector<double> again = gpu.penalties(numActive);
    Comparison p;
    for (int k = 0; k < numActive; ++k) {
        const double ref = agl::groupPenalty(f.layout, k, f.groups, want.data());
        p.near(gpuPenalty[k], ref, kTol, 1e-300, "fused penalty of slot", k);
        p.near(again[k], ref, kTol, 1e-300, "penalty of slot", k);
    }
    EXPECT_GT(p.compared, 0u);
    EXPECT_GT(agl::groupPenalty(f.layout, numActive - 1, f.groups, want.data()), 0.0);
}

TEST(GpuTrainOptimizer, ProximalStepAllSlots) {
    AGL_REQUIRE_GPU();
    checkProximal(kSlots);
}

TEST(GpuTrainOptimizer, ProximalStepLeavesInactiveSlots) {
    AGL_REQUIRE_GPU();
    checkProximal(2);
}

TEST(GpuTrainOptimizer, PenaltyWithoutStep) {
    AGL_REQUIRE_GPU();
    ProxFixture f;
    // Zero the masked and a = ∞ groups first (as training keeps them), so every penalty is finite.
    agl::maskFirstLayerGradient(f.layout, kSlots, f.groups, f.params.data());
    agl::gpu::GpuModelBatch gpu(f.layout, agl::Precision::Fp64);
    gpu.setParams(f.params);
    gpu.setGroups(f.groups);
    const std::vector<double> got = gpu.penalties(kSlots);
    ASSERT_EQ(got.size(), std::size_t(kSlots));
    Comparison c;
    for (int k = 0; k < kSlots; ++k)
        c.near(got[k], agl::groupPenalty(f.layout, k, f.groups, f.params.data()), kTol, 1e-300, "penalty", k);
    EXPECT_GT(c.compared, 0u);
    EXPECT_EQ(got[0], 0.0);  // λ = 0
    EXPECT_GT(got[2], 0.0);
    EXPECT_EQ(gpu.params(), f.params);  // no step taken
}

TEST(GpuTrainOptimizer, MaskGradient) {
    AGL_REQUIRE_GPU();
    ProxFixture f;
    const std::vector<double> grad = randomVector(f.layout.size(), f.rng, -2.0, 2.0);
    agl::gpu::GpuModelBatch gpu(f.layout, agl::Precision::Fp64);
    gpu.setGroups(f.groups);
    gpu.setGradient(grad);
    gpu.maskGradient(2);
    std::vector<double> want = grad;
    agl::maskFirstLayerGradient(f.layout, 2, f.groups, want.data());
    const std::vector<double> got = gpu.gradient();
    ASSERT_EQ(got.size(), want.size());
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        ASSERT_EQ(got[i], want[i]) << "gradient entry " << i;  // a copy or a zero: exact
        zeros += want[i] == 0.0;
    }
    EXPECT_GT(zeros, 0u);
}

// A group whose norm equals its threshold exactly goes to exactly 0 on the GPU as on the CPU, and one just
// above it survives (the rule is ‖w‖ > τ). Slot 1, element 1 (5 features, first layer 6 wide): λ = 5, a = 1,
// lr = 1 give τ = 1·(5/5)·1 = 1; group 0 holds (0.5, 0.5, 0.5, 0.5, 0, 0), norm exactly 1; group 1 the same
// plus 1e-4, norm √(1 + 1e-8).
TEST(GpuTrainOptimizer, NormExactlyAtTheThresholdVanishes) {
    AGL_REQUIRE_GPU();
    ProxFixture f;
    const int slot = 1;
    const std::size_t G = f.groups.numGroups();
    f.groups.lambda[slot] = 5.0;
    for (std::size_t j : {0u, 1u}) {
        f.groups.adaptive[slot * G + j] = 1.0;
        f.groups.mask[slot * G + j] = 1;
    }
    const std::size_t w = f.layout.slotWeight(0, 0, slot);
    const std::size_t ld = std::size_t(f.layout.weightLd(0, 0));
    for (std::size_t j : {0u, 1u})
        for (std::size_t i = 0; i < 6; ++i) f.params[w + j * ld + i] = i < 4 ? 0.5 : (j == 1 && i == 4 ? 1e-4 : 0.0);
    const std::vector<double> norms = agl::groupNorms(f.layout, slot, f.groups, f.params.data());
    ASSERT_EQ(norms[0], 1.0);
    ASSERT_GT(norms[1], 1.0);

    std::vector<double> want = f.params;
    agl::proximalGroupStep(f.layout, kSlots, 1.0, f.groups, want.data());
    agl::gpu::GpuModelBatch gpu(f.layout, agl::Precision::Fp64);
    gpu.setParams(f.params);
    gpu.setGroups(f.groups);
    gpu.proximalStep(kSlots, 1.0);
    const std::vector<double> got = gpu.params();
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(want[w + i], 0.0);
        EXPECT_EQ(got[w + i], 0.0) << "group at the threshold, entry " << i;
    }
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_GT(want[w + ld + i], 0.0);
        EXPECT_NEAR(got[w + ld + i], want[w + ld + i], 1e-12) << "group above the threshold, entry " << i;
        EXPECT_GT(got[w + ld + i], 0.0) << "group above the threshold, entry " << i;
    }
}

void checkAdamW(int numActive) {
    agl::ParamLayout layout(trainArchs(), kSlots);
    std::mt19937_64 rng(77);
    const std::size_t n = layout.size();
    const std::vector<double> params = randomVector(n, rng, -1.0, 1.0), grad = randomVector(n, rng, -0.5, 0.5),
                              m0 = randomVector(n, rng, -0.1, 0.1), v0 = randomVector(n, rng, 0.0, 0.05);
    agl::AdamWSettings settings;
    settings.weightDecay = 0.2;  // large, so that a decay on the wrong entries would show
    const long step = 7;
    const double lr = 3e-2;

    agl::gpu::GpuModelBatch gpu(layout, agl::Precision::Fp64);
    gpu.setParams(params);
    gpu.setGradient(grad);
    gpu.setMoments(m0, v0);
    gpu.adamwStep(numActive, step, lr, settings);
    const std::vector<double> gotParams = gpu.params();
    std::vector<double> gotM, gotV;
    gpu.moments(gotM, gotV);

    std::vector<double> wantParams = params, wantM = m0, wantV = v0;
    agl::adamwStep(layout, numActive, step, lr, settings, grad.data(), wantParams.data(), wantM.data(), wantV.data());

    Comparison c;
    std::size_t decayed = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (layout.slotOf()[i] >= numActive) {
            ASSERT_EQ(gotParams[i], params[i]) << "inactive entry " << i;
            ASSERT_EQ(gotM[i], m0[i]);
            ASSERT_EQ(gotV[i], v0[i]);
            continue;
        }
        c.near(gotParams[i], wantParams[i], kTol, 1e-6, "parameter", i);
        c.near(gotM[i], wantM[i], kTol, 1e-9, "first moment", i);
        c.near(gotV[i], wantV[i], kTol, 1e-9, "second moment", i);
        decayed += layout.decayed()[i];
    }
    EXPECT_GT(c.compared, 0u);
    EXPECT_GT(decayed, 0u);
}

TEST(GpuTrainOptimizer, AdamWAllSlots) {
    AGL_REQUIRE_GPU();
    checkAdamW(kSlots);
}

TEST(GpuTrainOptimizer, AdamWLeavesInactiveSlots) {
    AGL_REQUIRE_GPU();
    checkAdamW(1);
}

}  // namespace
