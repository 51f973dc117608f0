// Trainer: batched == separate runs, early stopping and compaction, masks, checkpoint-resume, convergence.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <numeric>
#include <set>

#include "agl/checksum.hpp"
#include "agl/device.hpp"
#include "agl/error.hpp"
#include "agl/train/synthetic.hpp"
#include "agl/train/trainer.hpp"

namespace agl {
namespace {

FeatureTable smallTable(int numStructures = 60, int testTagged = 0) {
    SyntheticSpec spec;
    spec.elements = {1, 8};
    spec.numFunctions = {4, 4};
    spec.numStructures = numStructures;
    spec.minAtoms = 3;
    spec.maxAtoms = 8;
    spec.teacherHidden = {6};
    spec.seed = 42;
    spec.testTagged = testTagged;
    return makeSyntheticTable(spec);
}

TrainerConfig smallConfig() {
    TrainerConfig c;
    c.hiddenNodes = {6, 5};
    c.activations = "ttl";
    c.batchSize = 16;
    c.validationFraction = 0.2;
    c.schedule.baseRate = 3e-3;
    c.maxEpochs = 8;
    c.patience = 100;
    return c;
}

std::vector<ModelSpec> threeSpecs() {
    std::vector<ModelSpec> specs(3);
    specs[0].seed = 5;
    specs[1].seed = 6;
    specs[1].lambda = 0.05;
    specs[2].seed = 7;
    specs[2].lambda = 0.2;
    specs[2].mask = {{1, 0, 1, 1}, {1, 1, 1, 0}};
    specs[2].adaptive = {{1.0, 1.0, 2.0, 0.5}, {1.0, INFINITY, 1.0, 1.0}};
    return specs;
}

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("agl_train_test_" + name)).string();
}

TEST(TrainSplit, TaggedTestStructuresAndFractions) {
    FeatureTable t = smallTable(50, 5);
    DataSplit s = splitStructures(t, 0.1, 0.2, 3);
    for (std::uint32_t i = 45; i < 50; ++i) EXPECT_NE(std::find(s.test.begin(), s.test.end(), i), s.test.end());
    EXPECT_EQ(s.test.size(), 5u + 9u);   // round(0.2·45)
    EXPECT_EQ(s.validation.size(), 5u);  // round(0.1·45)
    EXPECT_EQ(s.train.size(), 31u);
    std::vector<std::uint32_t> all;
    for (auto* v : {&s.train, &s.validation, &s.test}) all.insert(all.end(), v->begin(), v->end());
    std::sort(all.begin(), all.end());
    for (std::uint32_t i = 0; i < 50; ++i) EXPECT_EQ(all[i], i);
    EXPECT_EQ(splitStructures(t, 0.1, 0.2, 3).train, s.train);
    EXPECT_NE(splitStructures(t, 0.1, 0.2, 4).train, s.train);
}

// Folds: the test set of the plain split with the same seed; the validation parts of the folds partition every
// other structure (each exactly once), have sizes ⌊L/F⌋ or ⌈L/F⌉, and train is the rest; the Trainer uses them.
TEST(TrainSplit, CrossValidationFoldsPartitionTheNonTestStructures) {
    FeatureTable t = smallTable(50, 5);
    const DataSplit plain = splitStructures(t, 0.1, 0.2, 3);
    std::vector<int> seen(50, 0);
    for (int f = 0; f < 4; ++f) {
        const DataSplit s = crossValidationSplit(t, 0.2, 3, 4, f);
        EXPECT_EQ(s.test, plain.test) << "fold " << f;
        EXPECT_EQ(s.validation.size(), 9u) << "45 − 9 = 36 untagged non-test structures in 4 folds";
        EXPECT_EQ(s.train.size() + s.validation.size() + s.test.size(), 50u);
        EXPECT_TRUE(std::is_sorted(s.validation.begin(), s.validation.end()));
        for (std::uint32_t i : s.validation) ++seen[i];
        for (std::uint32_t i : s.train)
            EXPECT_EQ(std::find(s.validation.begin(), s.validation.end(), i), s.validation.end());
    }
    for (std::uint32_t i = 0; i < 50; ++i) {
        const bool test = std::find(plain.test.begin(), plain.test.end(), i) != plain.test.end();
        EXPECT_EQ(seen[i], test ? 0 : 1) << "structure " << i;
    }
    EXPECT_NE(crossValidationSplit(t, 0.2, 4, 4, 0).validation, crossValidationSplit(t, 0.2, 3, 4, 0).validation);
    for (int f = 0; f < 4; ++f)  // 10 in 4 folds: sizes 2, 3, 2, 3
        EXPECT_EQ(crossValidationSplit(smallTable(10), 0.0, 1, 4, f).validation.size(), f % 2 == 0 ? 2u : 3u);
    EXPECT_THROW(crossValidationSplit(smallTable(3), 0.0, 1, 4, 0), Error) << "3 structures for 4 folds";
    TrainerConfig c;
    c.testFraction = 0.2;
    c.splitSeed = 3;
    c.folds = 4;
    c.fold = 2;
    EXPECT_EQ(trainerSplit(t, c).validation, crossValidationSplit(t, 0.2, 3, 4, 2).validation);
    c.folds = 0;
    EXPECT_EQ(trainerSplit(t, c).validation, splitStructures(t, 0.1, 0.2, 3).validation);
}

TEST(TrainScaling, SampleSigmaAndConstantColumn) {
    FeatureTable t = smallTable(10);
    for (std::size_t r = 0; r < t.elements[0].numAtoms(); ++r) t.elements[0].values[r * 4 + 2] = 1.5;
    std::vector<std::uint32_t> all(10);
    std::iota(all.begin(), all.end(), 0u);
    auto sc = computeScaling(t, all);
    EXPECT_EQ(sc[0].sigma[2], 0.0);
    EXPECT_EQ(sc[0].divisor(2), 1.0);
    const auto& el = t.elements[1];
    double mean = 0, var = 0;
    for (std::size_t r = 0; r < el.numAtoms(); ++r) mean += el.at(r, 1) / el.numAtoms();
    for (std::size_t r = 0; r < el.numAtoms(); ++r) var += std::pow(el.at(r, 1) - mean, 2) / (el.numAtoms() - 1);
    EXPECT_NEAR(sc[1].mean[1], mean, 1e-13);
    EXPECT_NEAR(sc[1].sigma[1], std::sqrt(var), 1e-13);
}

TEST(TrainBatched, SameAsSeparateRuns) {
    FeatureTable t = smallTable();
    TrainerConfig c = smallConfig();
    c.minImprovement = 2e-3;  // models stop at different epochs, so compaction happens mid-run
    c.patience = 2;
    c.maxEpochs = 30;
    const auto specs = threeSpecs();
    Trainer batched(t, c, specs);
    batched.train();
    std::set<int> epochs;
    for (int m = 0; m < 3; ++m) {
        Trainer single(t, c, {specs[m]});
        single.train();
        const ModelState& a = batched.models()[m];
        const ModelState& b = single.models()[0];
        epochs.insert(a.epochs);
        ASSERT_EQ(a.epochs, b.epochs) << "model " << m;
        EXPECT_EQ(a.bestEpoch, b.bestEpoch);
        ASSERT_EQ(a.bestWeights.size(), b.bestWeights.size());
        for (std::size_t i = 0; i < a.bestWeights.size(); ++i)
            EXPECT_NEAR(a.bestWeights[i], b.bestWeights[i], 1e-12) << "model " << m << " parameter " << i;
        for (std::size_t h = 0; h < a.history.size(); ++h)
            EXPECT_NEAR(a.history[h].validationObjective, b.history[h].validationObjective, 1e-12);
    }
    EXPECT_GT(epochs.size(), 1u) << "all models stopped together: compaction not exercised";
}

TEST(TrainEarlyStopping, FinishedModelIsFrozenAndBestWeightsKept) {
    FeatureTable t = smallTable();
    TrainerConfig c = smallConfig();
    c.maxEpochs = 30;
    c.minImprovement = 2e-3;
    c.patience = 2;
    Trainer tr(t, c, threeSpecs());
    std::vector<std::vector<double>> frozen(3);
    int sawCompaction = 0;
    while (tr.runEpoch()) {
        for (int m = 0; m < 3; ++m) {
            const ModelState& st = tr.models()[m];
            if (!st.finished) continue;
            if (frozen[m].empty()) frozen[m] = tr.currentWeights(m);
            else EXPECT_EQ(tr.currentWeights(m), frozen[m]) << "finished model " << m << " still changes";
            EXPECT_EQ(int(st.history.size()), st.epochs);
        }
        if (tr.numActive() > 0 && tr.numActive() < 3) ++sawCompaction;
    }
    EXPECT_GT(sawCompaction, 0);
    for (int m = 0; m < 3; ++m) {
        const ModelState& st = tr.models()[m];
        EXPECT_TRUE(st.finished);
        EXPECT_TRUE(st.sinceImprovement >= c.patience || st.epochs == c.maxEpochs);
        ASSERT_GE(st.bestEpoch, 1);
        const EpochMetrics& best = st.history[st.bestEpoch - 1];
        EXPECT_EQ(best.validationObjective, st.bestObjective);
        EXPECT_NEAR(tr.rmse(m, tr.split().validation), best.validationRmse, 1e-12);
    }
}

// --patience auto: the epochs of patience grow on small data so that a model waits for at least
// minPatienceSteps optimiser steps without improvement, never fewer epochs than `patience`; --batch auto.
TEST(TrainEarlyStopping, PatienceAndBatchFollowTheDataSize) {
    TrainerConfig c;
    c.patience = 10;
    c.minPatienceSteps = 1000;
    c.batchSize = 16;
    EXPECT_EQ(effectivePatience(c, 48), 334);     // 3 mini-batches per epoch: ⌈1000 / 3⌉
    EXPECT_EQ(effectivePatience(c, 47), 334);     // the short last batch counts as one
    c.batchSize = 256;
    EXPECT_EQ(effectivePatience(c, 48), 1000);    // one full-batch step per epoch
    EXPECT_EQ(effectivePatience(c, 25200), 11);   // the paper's size: 99 batches, about its 10 epochs
    EXPECT_EQ(effectivePatience(c, 256000), 10);  // large data: the epochs rule
    c.minPatienceSteps = 0;
    EXPECT_EQ(effectivePatience(c, 48), 10);
    // --batch auto: 256, or about 16 mini-batches per epoch on small data.
    EXPECT_EQ(autoBatchSize(193), 13);
    EXPECT_EQ(autoBatchSize(16 * 256), 256);
    EXPECT_EQ(autoBatchSize(28000), 256);
    EXPECT_EQ(autoBatchSize(15), 1);
    EXPECT_EQ(autoBatchSize(0), 1);

    FeatureTable t = smallTable();
    TrainerConfig small = smallConfig();  // 48 training structures in batches of 16: 3 steps per epoch
    small.maxEpochs = 60;
    small.minImprovement = 2e-3;
    small.patience = 2;
    small.minPatienceSteps = 12;
    Trainer tr(t, small, threeSpecs());
    ASSERT_EQ(tr.split().train.size(), 48u);
    EXPECT_EQ(tr.patience(), 4);
    tr.train();
    int stoppedEarly = 0;
    for (const ModelState& st : tr.models()) {
        ASSERT_TRUE(st.finished);
        if (st.epochs == small.maxEpochs) continue;
        ++stoppedEarly;
        EXPECT_EQ(st.sinceImprovement, 4);  // not after 2 epochs (6 steps): after 4 (12 steps)
    }
    EXPECT_GT(stoppedEarly, 0);
}

TEST(TrainMask, MaskedFeaturesStayExactlyZero) {
    FeatureTable t = smallTable();
    TrainerConfig c = smallConfig();
    c.maxEpochs = 5;
    Trainer tr(t, c, threeSpecs());
    tr.train();
    const auto norms = tr.bestGroupNorms(2);  // element 1: features 0..3, element 8: 4..7
    EXPECT_EQ(norms[1], 0.0);
    EXPECT_EQ(norms[4 + 3], 0.0);  // masked
    EXPECT_EQ(norms[4 + 1], 0.0);  // a = ∞
    EXPECT_GT(norms[0], 0.0);
    const auto unmasked = tr.bestGroupNorms(0);
    for (double n : unmasked) EXPECT_GT(n, 0.0);
}

TEST(TrainCheckpoint, ResumeIsBitIdentical) {
    FeatureTable t = smallTable();
    TrainerConfig c = smallConfig();
    c.maxEpochs = 50;
    c.schedule.kind = LrScheduleKind::CosineRestarts;
    c.schedule.firstPeriod = 1.0;
    c.schedule.multiplier = 2.0;
    c.minImprovement = 1e-3;
    c.patience = 3;
    const auto specs = threeSpecs();
    Trainer straight(t, c, specs);
    straight.train(10);
    const std::string path = tempPath("resume.ckpt");
    {
        Trainer first(t, c, specs);
        first.train(5);
        first.saveCheckpoint(path);
    }
    Trainer resumed(t, c, specs);
    resumed.loadCheckpoint(path);
    EXPECT_EQ(resumed.epoch(), 5);
    resumed.train(5);
    std::filesystem::remove(path);
    EXPECT_EQ(resumed.epoch(), straight.epoch());
    EXPECT_EQ(resumed.numActive(), straight.numActive());
    EXPECT_EQ(resumed.batch().params(), straight.batch().params());
    EXPECT_EQ(resumed.batch().modelOfSlot(), straight.batch().modelOfSlot());
    for (int m = 0; m < 3; ++m) {
        const ModelState& a = straight.models()[m];
        const ModelState& b = resumed.models()[m];
        EXPECT_EQ(a.bestWeights, b.bestWeights);
        EXPECT_EQ(a.bestObjective, b.bestObjective);
        EXPECT_EQ(a.sinceImprovement, b.sinceImprovement);
        ASSERT_EQ(a.history.size(), b.history.size());
        for (std::size_t h = 0; h < a.history.size(); ++h) EXPECT_EQ(a.history[h].trainRmse, b.history[h].trainRmse);
    }
}

// n2p2's element_nodes_short: an element with a network of its own next to the global one.
TEST(TrainNetworks, ElementNetworksOverrideTheGlobalShape) {
    NnSettings s;
    s.network = {{6, 5}, "ttl"};
    s.elementNetworks[8] = {{3, 5}, "ttl"};
    TrainerConfig c = smallConfig();
    ASSERT_TRUE(setNetwork(c, s));
    const FeatureTable t = smallTable();
    const std::vector<ElementArch> archs = networkArchs(t, c);
    ASSERT_EQ(archs.size(), 2u);
    EXPECT_EQ(archs[0].layers[0].out, 6);
    EXPECT_EQ(archs[1].layers[0].out, 3);
    EXPECT_EQ(archs[1].layers[1].in, 3);
    Trainer trainer(t, c, threeSpecs());
    trainer.train(6);
    const auto& h = trainer.models()[0].history;
    EXPECT_LT(h.back().trainRmse, h.front().trainRmse);
    const Potential p = trainer.potential(0);
    EXPECT_EQ(p.elements[1].arch.layers[0].out, 3);
    EXPECT_EQ(p.elements[1].weights.size(), std::size_t(4 * 3 + 3 + 3 * 5 + 5 + 5 + 1));
    // The energies of the exported potential are the trainer's own.
    const std::vector<double> e = p.predict(t);
    EXPECT_NEAR(std::sqrt([&] {
                    double sum = 0.0;
                    for (std::uint32_t id : trainer.split().validation) {
                        const double d = (e[id] - t.energies[id]) / t.numAtoms[id];
                        sum += d * d;
                    }
                    return sum / double(trainer.split().validation.size());
                }()),
                trainer.rmse(0, trainer.split().validation), 1e-10);
    TrainerConfig unchanged = smallConfig();
    EXPECT_FALSE(setNetwork(unchanged, NnSettings{}));
    EXPECT_EQ(unchanged.hiddenNodes, smallConfig().hiddenNodes);
}

// The device code path (state resident off the Trainer's buffers, copied at epoch boundaries, compaction
// and checkpoints through pull/push) with the host stand-in for the GPU: exactly the CPU Trainer.
void expectIdenticalTraining(const Trainer& a, const Trainer& b) {
    EXPECT_EQ(a.epoch(), b.epoch());
    EXPECT_EQ(a.numActive(), b.numActive());
    EXPECT_EQ(a.batch().params(), b.batch().params());
    EXPECT_EQ(a.batch().modelOfSlot(), b.batch().modelOfSlot());
    for (std::size_t m = 0; m < a.models().size(); ++m) {
        const ModelState& x = a.models()[m];
        const ModelState& y = b.models()[m];
        EXPECT_EQ(x.bestWeights, y.bestWeights) << "model " << m;
        EXPECT_EQ(x.bestEpoch, y.bestEpoch) << "model " << m;
        EXPECT_EQ(x.finished, y.finished) << "model " << m;
        ASSERT_EQ(x.history.size(), y.history.size()) << "model " << m;
        for (std::size_t h = 0; h < x.history.size(); ++h) {
            EXPECT_EQ(x.history[h].trainRmse, y.history[h].trainRmse);
            EXPECT_EQ(x.history[h].validationRmse, y.history[h].validationRmse);
            EXPECT_EQ(x.history[h].penalty, y.history[h].penalty);
        }
    }
}

TEST(TrainDevice, EmulatedDevicePathEqualsCpuWithCompactionAndCheckpoints) {
    const FeatureTable t = smallTable();
    TrainerConfig c = smallConfig();
    c.maxEpochs = 40;
    c.patience = 2;
    c.minImprovement = 2e-3;
    c.schedule.baseRate = 1e-2;
    Trainer cpu(t, c, threeSpecs());
    cpu.train();
    std::set<int> epochs;
    for (const auto& m : cpu.models()) epochs.insert(m.epochs);
    EXPECT_GT(epochs.size(), 1u) << "models should stop at different epochs (compaction)";
    TrainerConfig e = c;
    e.emulateDevice = true;
    Trainer emulated(t, e, threeSpecs());
    emulated.train();
    expectIdenticalTraining(cpu, emulated);

    // Interrupted after 3 epochs, checkpointed, resumed on the emulated device.
    const std::string path = tempPath("emulated.ckpt");
    {
        Trainer first(t, e, threeSpecs());
        first.train(3);
        first.saveCheckpoint(path);
    }
    Trainer resumed(t, e, threeSpecs());
    resumed.loadCheckpoint(path);
    resumed.train();
    std::filesystem::remove(path);
    expectIdenticalTraining(cpu, resumed);

    // A public trainStep leaves the host copy current (the learning-rate range test reads it).
    Trainer stepCpu(t, c, threeSpecs()), stepEmulated(t, e, threeSpecs());
    const std::vector<std::uint32_t> some(stepCpu.split().train.begin(), stepCpu.split().train.begin() + 8);
    for (int s = 0; s < 3; ++s)
        EXPECT_EQ(stepCpu.trainStep(some.data(), 8, 1e-2), stepEmulated.trainStep(some.data(), 8, 1e-2));
    EXPECT_EQ(stepCpu.currentWeights(1), stepEmulated.currentWeights(1));
    // A step on no structures is refused on both paths (the GPU would reuse the previous step's gradient).
    EXPECT_THROW(stepCpu.trainStep(some.data(), 0, 1e-2), Error);
    EXPECT_THROW(stepEmulated.trainStep(some.data(), 0, 1e-2), Error);
    EXPECT_EQ(stepCpu.currentWeights(1), stepEmulated.currentWeights(1));
}

// TrainerConfig::device = Gpu where no GPU is usable: a clear error at construction, not a CPU fallback.
// (tests/gpu/trainer_gpu_test.cpp checks the GPU trainer against this CPU one where a GPU is present.)
TEST(TrainDevice, GpuWithoutUsableGpuIsAClearError) {
    std::string why;
    if (gpu::available(&why)) GTEST_SKIP() << "a GPU is usable here";
    TrainerConfig c = smallConfig();
    c.device = Device::Gpu;
    try {
        Trainer t(smallTable(), c, threeSpecs());
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("GPU training requested"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
}

TEST(TrainCheckpoint, RejectsOtherShapesAndGarbage) {
    FeatureTable t = smallTable();
    TrainerConfig c = smallConfig();
    const std::string path = tempPath("shape.ckpt");
    Trainer a(t, c, threeSpecs());
    a.saveCheckpoint(path);
    TrainerConfig other = c;
    other.hiddenNodes = {7, 5};
    Trainer b(t, other, threeSpecs());
    EXPECT_THROW(b.loadCheckpoint(path), InputError);
    { std::ofstream(path) << "garbage"; }
    EXPECT_THROW(a.loadCheckpoint(path), InputError);
    std::filesystem::remove(path);
}

// Every single changed byte, a cut anywhere and a byte appended are refused (the checksum, then the
// structure); the undamaged file still loads. The parameters sit in the middle of the file, where a change
// used to resume silently with altered weights.
TEST(TrainCheckpoint, DamagedFilesAreRefused) {
    const std::string path = tempPath("damaged.ckpt");
    Trainer a(smallTable(), smallConfig(), threeSpecs());
    a.saveCheckpoint(path);
    std::string good;
    {
        std::ifstream in(path, std::ios::binary);
        good.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const auto loadsFrom = [&](const std::string& bytes) {
        { std::ofstream(path, std::ios::binary) << bytes; }
        try {
            a.loadCheckpoint(path);
            return true;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
            return false;
        }
    };
    ASSERT_TRUE(loadsFrom(good));
    for (std::size_t at : {std::size_t(9), good.size() / 3, good.size() / 2, good.size() - 9, good.size() - 1}) {
        std::string bad = good;
        bad[at] = char(bad[at] ^ 0x10);
        EXPECT_FALSE(loadsFrom(bad)) << "byte " << at << " changed";
        EXPECT_FALSE(loadsFrom(good.substr(0, at))) << "cut at " << at;
    }
    EXPECT_FALSE(loadsFrom(good + "x"));
    // Older files: the payload without the run identity (its first 8 bytes), with and without a checksum.
    const std::string withoutIdentity = good.substr(16, good.size() - 24);
    std::string checksum(8, '\0');
    const std::uint64_t sum = fnv1a64(withoutIdentity);
    std::memcpy(checksum.data(), &sum, 8);
    EXPECT_TRUE(loadsFrom("AGLTRN02" + withoutIdentity + checksum));
    EXPECT_TRUE(loadsFrom("AGLTRN01" + withoutIdentity));
    EXPECT_FALSE(loadsFrom("AGLTRN02" + withoutIdentity + std::string(8, '\0')));
    std::filesystem::remove(path);
}

// A checkpoint with the same shapes from another run (other data, settings or models) is refused by name;
// what does not change the results (device path, checkpoint settings, epoch cap) does not matter.
TEST(TrainCheckpoint, RefusesACheckpointOfAnotherRun) {
    const FeatureTable table = smallTable();
    const TrainerConfig config = smallConfig();
    const std::string path = tempPath("identity.ckpt");
    {
        Trainer first(table, config, threeSpecs());
        first.train(2);
        first.saveCheckpoint(path);
    }
    const auto loads = [&](const FeatureTable& t, const TrainerConfig& c, const std::vector<ModelSpec>& specs) {
        Trainer other(t, c, specs);
        try {
            other.loadCheckpoint(path);
            return other.epoch() == 2;
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("checkpoint of another run"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
            return false;
        }
    };
    EXPECT_TRUE(loads(table, config, threeSpecs()));
    TrainerConfig same = config;
    same.maxEpochs = 40;
    same.checkpointEvery = 3;
    same.checkpointPath = path;
    same.chunkAtoms = 7;
    same.emulateDevice = true;
    EXPECT_TRUE(loads(table, same, threeSpecs()));

    FeatureTable otherEnergy = table;
    otherEnergy.energies[3] += 1e-9;
    EXPECT_FALSE(loads(otherEnergy, config, threeSpecs()));
    FeatureTable otherFeature = table;
    otherFeature.elements[1].values[5] += 1e-9;
    EXPECT_FALSE(loads(otherFeature, config, threeSpecs()));
    for (const auto& change : std::vector<std::function<void(TrainerConfig&)>>{
             [](TrainerConfig& c) { c.schedule.baseRate *= 2; }, [](TrainerConfig& c) { c.splitSeed += 1; },
             [](TrainerConfig& c) { c.shuffleSeed += 1; }, [](TrainerConfig& c) { c.batchSize += 1; },
             [](TrainerConfig& c) { c.adamw.weightDecay *= 2; }, [](TrainerConfig& c) { c.patience += 1; }}) {
        TrainerConfig other = config;
        change(other);
        EXPECT_FALSE(loads(table, other, threeSpecs()));
    }
    for (const auto& change : std::vector<std::function<void(std::vector<ModelSpec>&)>>{
             [](auto& m) { m[0].seed += 1; }, [](auto& m) { m[1].lambda *= 1.5; },
             [](auto& m) { m[2].mask[1][3] = 1; }, [](auto& m) { m[2].adaptive[1][1] = 1.0; },
             [](auto& m) { std::swap(m[0], m[1]); }}) {
        std::vector<ModelSpec> other = threeSpecs();
        change(other);
        EXPECT_FALSE(loads(table, config, other));
    }
    std::vector<ModelSpec> warm = threeSpecs(), warmer = threeSpecs();
    warm[0].initialWeights = Trainer(table, config, threeSpecs()).currentWeights(0);
    warmer[0].initialWeights = warm[0].initialWeights;
    warmer[0].initialWeights[4] += 1e-12;
    EXPECT_FALSE(loads(table, config, warm));
    {
        Trainer first(table, config, warm);
        first.train(2);
        first.saveCheckpoint(path);
    }
    EXPECT_TRUE(loads(table, config, warm));
    EXPECT_FALSE(loads(table, config, warmer));
    std::filesystem::remove(path);
}

TEST(TrainConvergence, LearnsKnownNetwork) {
    SyntheticSpec spec;
    spec.elements = {1, 8};
    spec.numFunctions = {4, 4};
    spec.numStructures = 300;
    spec.minAtoms = 4;
    spec.maxAtoms = 10;
    spec.teacherHidden = {5};
    spec.seed = 9;
    FeatureTable t = makeSyntheticTable(spec);
    TrainerConfig c;
    c.hiddenNodes = {10, 10};
    c.batchSize = 16;
    c.testFraction = 0.1;
    c.schedule.baseRate = 5e-3;
    c.maxEpochs = 60;
    c.patience = 10;
    ModelSpec m;
    m.seed = 1;
    Trainer tr(t, c, {m});
    tr.train();
    // Baseline: the spread of the per-atom energy around its mean (what the initial output bias gives).
    double mean = 0, var = 0;
    for (std::uint32_t s : tr.split().test) mean += t.energies[s] / t.numAtoms[s] / tr.split().test.size();
    for (std::uint32_t s : tr.split().test) var += std::pow(t.energies[s] / t.numAtoms[s] - mean, 2) / tr.split().test.size();
    const double test = tr.rmse(0, tr.split().test);
    EXPECT_LT(test, 0.1 * std::sqrt(var)) << "test RMSE " << test << " vs spread " << std::sqrt(var);
    EXPECT_LT(tr.models()[0].history.back().trainRmse, tr.models()[0].history.front().trainRmse);
}

}  // namespace
}  // namespace agl
