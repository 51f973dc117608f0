// GPU model batch (include/agl/gpu_train.hpp) against the CPU ModelBatch (include/agl/train/model_batch.hpp):
// energies, per-model MSE and the full flat gradient for K = 3 models of two elements (different widths and
// activations: tanh, logistic, softplus, linear), on a shuffled subset of synthetic structures, and a few
// complete training steps (gradient → mask → AdamW → proximal step).
//
// Tolerances:
//   fp64  1e-10 relative. Both sides are double; summation orders differ (GEMM blocking, segmented sums).
//   fp32  1e-4 relative. Features, activations and GEMMs in float (no TF32): each product ~6e-8, sums of
//         tens to hundreds of terms, activations rounded to float; energies summed in double.
//   Gradient entries cancel (sums of signed terms over atoms), so each entry is compared relative to
//   max(|entry|, largest |entry| of its slot), which bounds the rounding error of every entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "agl/error.hpp"
#include "agl/gpu_train.hpp"
#include "agl/train/model_batch.hpp"
#include "agl/train/synthetic.hpp"
#include "gpu_test_support.hpp"
#include "train_test_support.hpp"

namespace {

using namespace gputest;

struct DataFixture {
    agl::StandardisedData data;
    std::vector<std::uint32_t> batch;  // a shuffled subset: exercises the GPU gather
    agl::MiniBatch cpuBatch;
};

// Synthetic H/O structures of `minAtoms`–`maxAtoms` atoms (5 and 7 features: trainArchs), standardised with
// the statistics of all of them; `pick` chooses the batch from the table.
template <typename Pick>
DataFixture makeFixture(int numStructures, int minAtoms, int maxAtoms, std::uint64_t seed, Pick pick) {
    agl::SyntheticSpec spec;
    spec.elements = {1, 8};
    spec.numFunctions = {5, 7};
    spec.numStructures = numStructures;
    spec.minAtoms = minAtoms;
    spec.maxAtoms = maxAtoms;
    spec.seed = seed;
    const agl::FeatureTable table = agl::makeSyntheticTable(spec);
    std::vector<std::uint32_t> all(spec.numStructures);
    std::iota(all.begin(), all.end(), 0u);
    DataFixture f;
    f.data = agl::standardise(table, agl::computeScaling(table, all));
    f.batch = pick(table);
    agl::gatherBatch(f.data, f.batch.data(), int(f.batch.size()), f.cpuBatch);
    return f;
}

DataFixture makeData() {
    return makeFixture(20, 3, 9, 11, [](const agl::FeatureTable&) {
        return std::vector<std::uint32_t>{13, 2, 7, 19, 0, 5, 11, 16, 3, 8, 14, 9};
    });
}

// Small structures (1–2 atoms) and a batch of only those without element 8: that element has no row in the
// whole batch (its forward and backward are skipped, its segments are empty, its gradient must be 0).
DataFixture makeDataWithoutOxygen() {
    return makeFixture(40, 1, 2, 12, [](const agl::FeatureTable& table) {
        std::vector<bool> hasOxygen(table.numStructures(), false);
        for (std::uint32_t s : table.elements[1].structure) hasOxygen[s] = true;
        std::vector<std::uint32_t> batch;
        for (std::uint32_t s = 0; s < hasOxygen.size(); ++s)
            if (!hasOxygen[s]) batch.insert(batch.begin(), s);  // reversed: still a gather
        return batch;
    });
}

// K = 3 models with random weights AND biases (so that every bias gradient is nonzero).
agl::ModelBatch makeModels() {
    agl::ModelBatch mb(trainArchs(), kSlots);
    std::mt19937_64 rng(5);
    for (int k = 0; k < kSlots; ++k)
        mb.setSlotParams(k, randomVector(mb.layout().modelSize(), rng, -0.8, 0.8));
    return mb;
}

// Largest |g| of each slot's entries.
std::vector<double> slotScale(const agl::ParamLayout& layout, const std::vector<double>& g) {
    std::vector<double> scale(layout.numSlots(), 0.0);
    for (std::size_t i = 0; i < g.size(); ++i) scale[layout.slotOf()[i]] = std::max(scale[layout.slotOf()[i]], std::abs(g[i]));
    return scale;
}

void checkLossAndGradient(agl::Precision precision, double tol, int numActive, const DataFixture& f = makeData()) {
    agl::ModelBatch cpu = makeModels();
    const int B = int(f.batch.size());

    agl::gpu::GpuModelBatch gpu(cpu.layout(), precision);
    gpu.setParams(cpu.params());
    gpu.setData(f.data);
    const double sentinel = 42.0;  // entries of inactive slots must keep it
    gpu.setGradient(std::vector<double>(cpu.layout().size(), sentinel));
    std::vector<double> gpuMse, gpuEnergies, gpuPredicted;
    gpu.lossAndGradient(f.batch.data(), B, numActive, gpuMse, &gpuEnergies);
    gpu.predict(f.batch.data(), B, numActive, gpuPredicted);
    const std::vector<double> gpuGrad = gpu.gradient();

    std::vector<double> mse, energies, grad(cpu.layout().size(), sentinel);
    cpu.lossAndGradient(f.cpuBatch, numActive, mse, grad);
    cpu.predict(f.cpuBatch, numActive, energies);

    ASSERT_EQ(gpuEnergies.size(), energies.size());
    ASSERT_EQ(gpuPredicted.size(), energies.size());
    double energyScale = 0.0;
    for (double e : energies) energyScale = std::max(energyScale, std::abs(e));
    Comparison c;
    for (std::size_t i = 0; i < energies.size(); ++i) {
        c.near(gpuEnergies[i], energies[i], tol, energyScale, "energy", i);
        EXPECT_EQ(gpuPredicted[i], gpuEnergies[i]) << "predict and lossAndGradient differ at " << i;
    }
    ASSERT_EQ(gpuMse.size(), std::size_t(numActive));
    for (int k = 0; k < numActive; ++k) c.near(gpuMse[k], mse[k], tol, 0.0, "mse of slot", k);

    ASSERT_EQ(gpuGrad.size(), grad.size());
    const std::vector<double> scale = slotScale(cpu.layout(), grad);
    std::size_t nonZero = 0;
    for (std::size_t i = 0; i < grad.size(); ++i) {
        const int k = cpu.layout().slotOf()[i];
        if (k >= numActive) {
            ASSERT_EQ(gpuGrad[i], sentinel) << "gradient entry " << i << " of inactive slot " << k;
            continue;
        }
        c.near(gpuGrad[i], grad[i], tol, scale[k], "gradient", i);
        nonZero += grad[i] != 0.0;
    }
    EXPECT_GE(c.compared, std::size_t(numActive) * cpu.layout().modelSize());  // every active parameter
    EXPECT_GT(nonZero, 0u);
}

TEST(GpuTrainModelBatch, Fp64AllSlots) {
    AGL_REQUIRE_GPU();
    checkLossAndGradient(agl::Precision::Fp64, 1e-10, kSlots);
}

TEST(GpuTrainModelBatch, Fp64SubsetOfSlots) {
    AGL_REQUIRE_GPU();
    checkLossAndGradient(agl::Precision::Fp64, 1e-10, 2);
}

TEST(GpuTrainModelBatch, Fp32AllSlots) {
    AGL_REQUIRE_GPU();
    checkLossAndGradient(agl::Precision::Fp32, 1e-4, kSlots);
}

TEST(GpuTrainModelBatch, Fp32SubsetOfSlots) {
    AGL_REQUIRE_GPU();
    checkLossAndGradient(agl::Precision::Fp32, 1e-4, 1);
}

TEST(GpuTrainModelBatch, ElementAbsentFromTheWholeBatch) {
    AGL_REQUIRE_GPU();
    const DataFixture f = makeDataWithoutOxygen();
    ASSERT_GE(f.batch.size(), 3u);
    ASSERT_TRUE(f.cpuBatch.elements[1].start.back() == 0) << "the batch should have no element-8 atom";
    checkLossAndGradient(agl::Precision::Fp64, 1e-10, kSlots, f);
    checkLossAndGradient(agl::Precision::Fp32, 1e-4, 2, f);
}

// In fp32 the GPU computes with a float copy of the (double) parameters: it must follow every change — a
// training step and setParams. Predictions after each are compared with the CPU's for the parameters the GPU
// reports (a stale copy would predict with the old ones).
TEST(GpuTrainModelBatch, Fp32CopyFollowsTheParameters) {
    AGL_REQUIRE_GPU();
    DataFixture f = makeData();
    agl::ModelBatch cpu = makeModels();
    std::mt19937_64 rng(9);
    const agl::GroupSettings groups = randomGroups(cpu.layout(), rng);
    agl::gpu::GpuModelBatch gpu(cpu.layout(), agl::Precision::Fp32);
    gpu.setParams(cpu.params());
    gpu.setGroups(groups);
    gpu.setData(f.data);
    const int B = int(f.batch.size());
    auto expectCpuPredictions = [&](const char* after) {
        cpu.params() = gpu.params();
        std::vector<double> want, got;
        cpu.predict(f.cpuBatch, kSlots, want);
        gpu.predict(f.batch.data(), B, kSlots, got);
        ASSERT_EQ(got.size(), want.size());
        double scale = 0.0;
        for (double e : want) scale = std::max(scale, std::abs(e));
        Comparison c;
        for (std::size_t i = 0; i < want.size(); ++i) c.near(got[i], want[i], 1e-4, scale, after, i);
    };
    std::vector<double> before;
    gpu.predict(f.batch.data(), B, kSlots, before);
    std::vector<double> mse;
    gpu.lossAndGradient(f.batch.data(), B, kSlots, mse);
    gpu.maskGradient(kSlots);
    gpu.adamwStep(kSlots, 1, 5e-2, agl::AdamWSettings{});
    expectCpuPredictions("after an AdamW step");
    gpu.proximalStep(kSlots, 1.0);  // lr 1 with randomGroups: some groups vanish, others shrink
    expectCpuPredictions("after a proximal step");
    gpu.setParams(makeModels().params() /* the initial ones again */);
    expectCpuPredictions("after setParams");
    std::vector<double> again;
    gpu.predict(f.batch.data(), B, kSlots, again);
    EXPECT_EQ(again, before);  // the same float copy as at the start
}

// Three full steps (the Trainer's per-batch sequence) on different batches, fp64: parameters after each.
// Tolerance 1e-9: three steps of rounding-level differences, each amplified at most by Adam's m/√v.
TEST(GpuTrainModelBatch, Fp64TrainingStepsMatchCpu) {
    AGL_REQUIRE_GPU();
    DataFixture f = makeData();
    agl::ModelBatch cpu = makeModels();
    std::mt19937_64 rng(9);
    agl::GroupSettings groups = randomGroups(cpu.layout(), rng);
    for (double& l : groups.lambda) l *= 1e-2;  // gentle: most groups survive, the update is still visible
    cpu.groups() = groups;
    for (int k = 0; k < kSlots; ++k) cpu.applyMask(k);

    agl::gpu::GpuModelBatch gpu(cpu.layout(), agl::Precision::Fp64);
    gpu.setParams(cpu.params());
    gpu.setGroups(groups);
    gpu.setData(f.data);

    const std::size_t n = cpu.layout().size();
    std::vector<double> grad(n, 0.0), m(n, 0.0), v(n, 0.0), mse;
    const agl::AdamWSettings settings;
    const double lr = 1e-2;
    const std::vector<std::vector<std::uint32_t>> batches = {{1, 4, 9, 12}, {18, 3, 6}, {0, 2, 15, 17, 10}};
    Comparison c;
    for (std::size_t step = 1; step <= batches.size(); ++step) {
        const auto& b = batches[step - 1];
        agl::MiniBatch mb;
        agl::gatherBatch(f.data, b.data(), int(b.size()), mb);
        cpu.lossAndGradient(mb, kSlots, mse, grad);
        agl::maskFirstLayerGradient(cpu.layout(), kSlots, cpu.groups(), grad.data());
        agl::adamwStep(cpu.layout(), kSlots, long(step), lr, settings, grad.data(), cpu.params().data(), m.data(),
                       v.data());
        agl::proximalGroupStep(cpu.layout(), kSlots, lr, cpu.groups(), cpu.params().data());

        std::vector<double> gpuMse;
        gpu.lossAndGradient(b.data(), int(b.size()), kSlots, gpuMse);
        gpu.maskGradient(kSlots);
        gpu.adamwStep(kSlots, long(step), lr, settings);
        gpu.proximalStep(kSlots, lr);

        for (int k = 0; k < kSlots; ++k) c.near(gpuMse[k], mse[k], 1e-10, 0.0, "mse", k);
        const std::vector<double> got = gpu.params();
        for (std::size_t i = 0; i < n; ++i) c.near(got[i], cpu.params()[i], 1e-9, 1e-3, "parameter", i);
    }
    EXPECT_GT(c.compared, n);
}

TEST(GpuTrainModelBatch, RejectsForeignStructureIndex) {
    AGL_REQUIRE_GPU();
    DataFixture f = makeData();
    agl::ModelBatch cpu = makeModels();
    agl::gpu::GpuModelBatch gpu(cpu.layout(), agl::Precision::Fp64);
    gpu.setData(f.data);
    const std::uint32_t bad = 20;
    std::vector<double> e;
    EXPECT_THROW(gpu.predict(&bad, 1, kSlots, e), agl::Error);
}

}  // namespace
