// The Trainer on the GPU (TrainerConfig::device = Gpu, GpuModelBatch) against the Trainer on the CPU: the
// same mini-batches in the same order, the same AdamW and proximal steps, validation, early stopping,
// compaction of finished models, checkpoints; and a whole AGL path on synthetic ground truth.
//
// Tolerances:
//   fp64  1e-8 relative on weights and metrics after several epochs: each step agrees to ~1e-12
//         (train_model_batch_test), and Adam's normalised steps amplify differences only mildly over a
//         few hundred steps.
//   fp32  validation RMSE within 2 % after a few epochs; the same early-stopping epochs are NOT required
//         (a tie decided by 1e-6 may go either way), only that the same features are selected on data
//         whose answer is clear.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <string>

#include "../select/ground_truth.hpp"
#include "agl/device.hpp"
#include "agl/select/lambda_path.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/train/synthetic.hpp"
#include "agl/train/trainer.hpp"
#include "gpu_test_support.hpp"
#include "train_test_support.hpp"

namespace {

// Two elements with different feature counts (and networks, see smallConfig); 60 structures of 3–8 atoms (batch 16: a short last batch).
agl::FeatureTable twoElementTable() {
    agl::SyntheticSpec spec;
    spec.elements = {1, 8};
    spec.numFunctions = {4, 5};
    spec.numStructures = 60;
    spec.minAtoms = 3;
    spec.maxAtoms = 8;
    spec.teacherHidden = {6};
    spec.seed = 42;
    return agl::makeSyntheticTable(spec);
}

agl::TrainerConfig smallConfig(agl::Device device, agl::Precision precision) {
    agl::TrainerConfig c;
    c.hiddenNodes = {6, 5};
    c.activations = "ttl";
    c.elementNetworks[8] = {{4, 3}, "ttl"};  // O has a network of its own (n2p2 element_nodes_short)
    c.batchSize = 16;
    c.validationFraction = 0.2;
    c.schedule.baseRate = 3e-3;
    c.maxEpochs = 12;
    c.patience = 100;
    c.device = device;
    c.precision = precision;
    return c;
}

// λ = 0, a penalised model, and a penalised one with a masked feature and a = ∞ on another group.
std::vector<agl::ModelSpec> threeSpecs() {
    std::vector<agl::ModelSpec> specs(3);
    specs[0].seed = 5;
    specs[1].seed = 6;
    specs[1].lambda = 0.05;
    specs[2].seed = 7;
    specs[2].lambda = 0.2;
    specs[2].mask = {{1, 0, 1, 1}, {1, 1, 1, 0, 1}};
    specs[2].adaptive = {{1.0, 1.0, 2.0, 0.5}, {1.0, INFINITY, 1.0, 1.0, 1.0}};
    return specs;
}

void expectSameTraining(const agl::Trainer& cpu, const agl::Trainer& gpu, double tol) {
    ASSERT_EQ(cpu.epoch(), gpu.epoch());
    ASSERT_EQ(cpu.numActive(), gpu.numActive());
    EXPECT_EQ(cpu.batch().modelOfSlot(), gpu.batch().modelOfSlot());
    gputest::Comparison cmp;
    for (std::size_t m = 0; m < cpu.models().size(); ++m) {
        const agl::ModelState& a = cpu.models()[m];
        const agl::ModelState& b = gpu.models()[m];
        EXPECT_EQ(a.finished, b.finished) << "model " << m;
        EXPECT_EQ(a.bestEpoch, b.bestEpoch) << "model " << m;
        ASSERT_EQ(a.history.size(), b.history.size());
        for (std::size_t h = 0; h < a.history.size(); ++h) {
            cmp.near(b.history[h].trainRmse, a.history[h].trainRmse, tol, 1e-3, "train RMSE", h);
            cmp.near(b.history[h].validationRmse, a.history[h].validationRmse, tol, 1e-3, "validation RMSE", h);
            cmp.near(b.history[h].penalty, a.history[h].penalty, tol, 1e-3, "penalty", h);
        }
        const std::vector<double> wa = cpu.currentWeights(int(m)), wb = gpu.currentWeights(int(m));
        ASSERT_EQ(wa.size(), wb.size());
        for (std::size_t i = 0; i < wa.size(); ++i) {
            if (wa[i] == 0.0) {
                EXPECT_EQ(wb[i], 0.0) << "model " << m << " weight " << i << " must stay exactly 0";
            }
            cmp.near(wb[i], wa[i], tol, 1.0, "weight", i);
        }
    }
    EXPECT_GT(cmp.compared, 100u);
}

TEST(GpuTrainer, Fp64EqualsCpuTrainer) {
    AGL_REQUIRE_GPU();
    const agl::FeatureTable t = twoElementTable();
    agl::Trainer cpu(t, smallConfig(agl::Device::Cpu, agl::Precision::Fp64), threeSpecs());
    agl::Trainer gpu(t, smallConfig(agl::Device::Gpu, agl::Precision::Fp64), threeSpecs());
    cpu.train();
    gpu.train();
    EXPECT_TRUE(gpu.allFinished());
    expectSameTraining(cpu, gpu, 1e-8);
}

TEST(GpuTrainer, Fp64CompactionAndEarlyStoppingMatchCpu) {
    AGL_REQUIRE_GPU();
    const agl::FeatureTable t = twoElementTable();
    // Patience 2 with a coarse minimum improvement: models stop at different epochs, slots get swapped and
    // the GPU state must follow the host's compaction.
    auto config = [](agl::Device d) {
        agl::TrainerConfig c = smallConfig(d, agl::Precision::Fp64);
        c.maxEpochs = 40;
        c.patience = 2;
        c.minImprovement = 2e-3;
        c.schedule.baseRate = 1e-2;
        return c;
    };
    agl::Trainer cpu(t, config(agl::Device::Cpu), threeSpecs());
    agl::Trainer gpu(t, config(agl::Device::Gpu), threeSpecs());
    cpu.train();
    gpu.train();
    std::set<int> epochs;
    for (const auto& m : cpu.models()) epochs.insert(m.epochs);
    EXPECT_GT(epochs.size(), 1u) << "the models should stop at different epochs (compaction not exercised)";
    expectSameTraining(cpu, gpu, 1e-8);
}

TEST(GpuTrainer, CheckpointResumeOnGpuEqualsStraightRun) {
    AGL_REQUIRE_GPU();
    const agl::FeatureTable t = twoElementTable();
    const agl::TrainerConfig c = smallConfig(agl::Device::Gpu, agl::Precision::Fp64);
    agl::Trainer straight(t, c, threeSpecs());
    straight.train(8);
    const std::string path = (std::filesystem::temp_directory_path() / "agl_gpu_trainer_resume.ckpt").string();
    {
        agl::Trainer first(t, c, threeSpecs());
        first.train(4);
        first.saveCheckpoint(path);
    }
    agl::Trainer resumed(t, c, threeSpecs());
    resumed.loadCheckpoint(path);
    resumed.train(4);
    std::filesystem::remove(path);
    // The same device, the same operations in the same order: bit for bit.
    EXPECT_EQ(resumed.epoch(), straight.epoch());
    EXPECT_EQ(resumed.batch().params(), straight.batch().params());
    for (std::size_t m = 0; m < straight.models().size(); ++m)
        EXPECT_EQ(resumed.models()[m].bestWeights, straight.models()[m].bestWeights) << "model " << m;
}

TEST(GpuTrainer, Fp32CloseToCpu) {
    AGL_REQUIRE_GPU();
    const agl::FeatureTable t = twoElementTable();
    agl::TrainerConfig c = smallConfig(agl::Device::Cpu, agl::Precision::Fp64);
    c.maxEpochs = 6;
    agl::Trainer cpu(t, c, threeSpecs());
    c.device = agl::Device::Gpu;
    c.precision = agl::Precision::Fp32;
    agl::Trainer gpu(t, c, threeSpecs());
    cpu.train();
    gpu.train();
    for (std::size_t m = 0; m < cpu.models().size(); ++m) {
        const double a = cpu.models()[m].history.back().validationRmse;
        const double b = gpu.models()[m].history.back().validationRmse;
        EXPECT_NEAR(b, a, 0.02 * a) << "model " << m;
    }
}

// The whole λ path (GL → AGL → refit) with the GPU trainer selects what the CPU selects on ground truth
// whose answer is clear (3 informative features of 12).
TEST(GpuTrainer, SelectionPathSelectsLikeCpu) {
    AGL_REQUIRE_GPU();
    // The path of SelectGroundTruth.AglRecoversTheThreeInformativeFeatures (its λ resolved on the CPU).
    const agl::FeatureTable t = agl::testing::groundTruthTable();
    agl::LambdaPathOptions o;
    o.count = 8;
    o.ratio = 1e-2;
    const auto seeds = agl::pathSeeds(11, o.count);
    const auto lambdas = agl::resolveLambdaPath(t, agl::testing::fastSelectConfig().trainer, seeds, o);
    agl::SelectConfig c = agl::testing::fastSelectConfig();
    const agl::SelectionPath cpu = agl::runSelectionPath(t, c, lambdas, seeds);
    c.trainer.device = agl::Device::Gpu;
    c.trainer.precision = agl::Precision::Fp64;
    const agl::SelectionPath gpu64 = agl::runSelectionPath(t, c, lambdas, seeds);
    c.trainer.precision = agl::Precision::Fp32;
    const agl::SelectionPath gpu32 = agl::runSelectionPath(t, c, lambdas, seeds);
    ASSERT_EQ(cpu.points.size(), gpu64.points.size());
    bool foundTruth = false;
    for (std::size_t p = 0; p < cpu.points.size(); ++p) {
        EXPECT_EQ(gpu64.points[p].selected, cpu.points[p].selected) << "fp64, λ = " << lambdas[p];
        EXPECT_NEAR(gpu64.points[p].refit.validationRmse, cpu.points[p].refit.validationRmse,
                    1e-6 * (1 + cpu.points[p].refit.validationRmse));
        foundTruth |= cpu.points[p].selected == std::vector<std::vector<int>>{{0, 1, 2}};
        if (cpu.points[p].selected == std::vector<std::vector<int>>{{0, 1, 2}}) {
            EXPECT_EQ(gpu32.points[p].selected, cpu.points[p].selected) << "fp32, λ = " << lambdas[p];
        }
    }
    EXPECT_TRUE(foundTruth) << "the CPU path should select exactly {0, 1, 2} at some λ (see the select tests)";
}

}  // namespace
