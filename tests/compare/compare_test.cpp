// compareFeatureSets on a tiny LJ data set: the right rows, N and N_G5, M models per set, filters at the
// requested size, noise counts, the cost reference; and the feature-set helpers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "agl/compare/compare.hpp"
#include "agl/compare/cost_matched_set.hpp"
#include "agl/compare/evaluation_work.hpp"
#include "agl/compare/path_costs.hpp"
#include "agl/compare/test_forces.hpp"
#include "agl/error.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "agl/io.hpp"
#include "agl/noise_features.hpp"
#include "agl/select/path_report.hpp"
#include "agl/train/trainer.hpp"
#include "compare_fixtures.hpp"

namespace agl {
namespace {

struct Tiny {
    Dataset data = testing::tinyLjData();
    NnSettings candidates = testing::ljCandidates();
    FeatureTable table = computeFeatures(data, candidates, FeatureOptions{});
};

const Tiny& tiny() {
    static const Tiny t;
    return t;
}

CompareOptions fastOptions() {
    CompareOptions o;
    o.evaluate.models = 2;
    o.evaluate.restarts = 1;  // 3 epochs
    o.evaluate.seed = 5;
    o.evaluate.trainer.batchSize = 4;
    o.evaluate.trainer.testFraction = 0.25;
    o.evaluate.trainer.validationFraction = 0.1;
    o.evaluate.trainer.schedule.baseRate = 3e-3;
    o.costMinSeconds = 0.0;
    o.costMinRepeats = 1;
    return o;
}

// The settings with the candidate functions of the given 0-based columns.
NnSettings subsetOf(const NnSettings& all, const std::vector<int>& cols) {
    NnSettings s = all;
    s.functions.clear();
    for (int j : cols) s.functions.push_back(all.functions.at(std::size_t(j)));
    return s;
}

// The test force error of a subset's models, as compare measures it (subsetTable + selectedSettings in
// memory), equals the one of the same models exported as n2p2 files and read back (an independent pairing of
// the functions with the network inputs), structure by structure over the test set.
TEST(TestForces, SubsetModelsAgainstTheirExportedPotentials) {
    const Tiny& t = tiny();
    const std::vector<std::vector<int>> columns = {{0, 6, 7, 14}};
    CompareOptions o = fastOptions();
    EvaluateResult r = evaluateFeatureSet(subsetTable(t.table, columns), o.evaluate);
    const NnSettings settings = selectedSettings(t.candidates, t.table, columns);
    measureTestForces(r, settings, t.data);
    ASSERT_EQ(r.testForceRmse.size(), 2u);
    const auto dir = std::filesystem::temp_directory_path() / ("agl_test_forces_" + std::to_string(::getpid()));
    for (std::size_t m = 0; m < 2; ++m) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        writePotential(dir.string(), r.models[m], false);
        writeNnSettings((dir / "input.nn").string(), settings, true);
        const PotentialFiles files = readPotentialFiles(dir.string());
        Hdnnp read(files.settings, files.potential);
        double sum = 0.0, reference = 0.0;
        std::size_t components = 0;
        std::vector<Vec3d> f;
        for (const std::uint32_t s : r.testStructures) {
            const Structure& st = t.data.structures[s];
            read.energyAndForces(st, f);
            for (std::size_t i = 0; i < st.numAtoms(); ++i) {
                const Vec3d d = f[i] - st.forces[i];
                sum += dot(d, d);
                reference += dot(st.forces[i], st.forces[i]);
                components += 3;
            }
        }
        EXPECT_NEAR(r.testForceRmse[m], std::sqrt(sum / double(components)), 1e-9 * r.testForceRmse[m]) << m;
        EXPECT_NEAR(r.referenceForceRms, std::sqrt(reference / double(components)), 1e-12 * r.referenceForceRms);
    }
    std::filesystem::remove_all(dir);
    // Settings that do not fit the models (all 22 candidates for 4 inputs): a warning, nothing measured,
    // no exception (the trained set must not be lost for an extra measure).
    EvaluateResult mismatched = r;
    mismatched.testForceRmse.clear();
    measureTestForces(mismatched, t.candidates, t.data);
    EXPECT_TRUE(mismatched.testForceRmse.empty());
}

// Every set of a path is timed once; an empty set is not; all candidates are the reference itself.
TEST(PathCosts, EachDistinctSetTimedOnceEmptyOnesNot) {
    const Tiny& t = tiny();
    std::vector<int> all(22);
    for (int j = 0; j < 22; ++j) all[std::size_t(j)] = j;
    SelectionPath sp;
    for (const std::vector<int>& cols : std::vector<std::vector<int>>{all, {0, 6}, {}, {0, 6}, {0, 6, 21}}) {
        PathPoint p;
        p.selected = {cols};
        sp.points.push_back(p);
    }
    const std::vector<const Structure*> structures{&t.data.structures[0], &t.data.structures[1]};
    PathReportInfo info;
    measurePathCosts(t.candidates, t.table, sp, structures, 0.0, info);
    EXPECT_EQ(info.costStructures, 2);
    EXPECT_EQ(info.allCost.atoms, t.data.structures[0].numAtoms() + t.data.structures[1].numAtoms());
    ASSERT_EQ(info.pointCosts.size(), 5u);
    EXPECT_EQ(pointCost(info, 0)->forceMicroseconds, info.allCost.forceMicroseconds);
    EXPECT_EQ(pointCost(info, 2), nullptr) << "no functions: no potential to time";
    ASSERT_NE(pointCost(info, 1), nullptr);
    EXPECT_EQ(pointCost(info, 3)->forceMicroseconds, pointCost(info, 1)->forceMicroseconds) << "one set, one timing";
    EXPECT_GT(pointCost(info, 4)->forceMicroseconds, 0.0);
    EXPECT_EQ(pointCost(info, 5), nullptr);
    // Each timed set carries its counted work: columns 0 and 6 are radial, 21 angular.
    const EvaluationWork two = countEvaluationWork(subsetOf(t.candidates, {0, 6}), structures);
    EXPECT_DOUBLE_EQ(pointCost(info, 1)->work.radialTerms, two.radialTerms);
    EXPECT_EQ(pointCost(info, 1)->work.angularTerms, 0.0);
    EXPECT_DOUBLE_EQ(pointCost(info, 4)->work.radialTerms, two.radialTerms);
    EXPECT_GT(pointCost(info, 4)->work.angularTerms, 0.0);
    EXPECT_GT(info.allCost.work.angularTerms, pointCost(info, 4)->work.angularTerms);
    PathReportInfo none;  // nothing held out: nothing timed
    measurePathCosts(t.candidates, t.table, sp, {}, 0.0, none);
    EXPECT_EQ(none.costStructures, 0);
    EXPECT_TRUE(none.pointCosts.empty());
}

TEST(CompareSets, SettingsFileMapsToCandidateColumns) {
    const Tiny& t = tiny();
    ASSERT_EQ(t.table.elements.size(), 1u);
    ASSERT_EQ(t.table.elements[0].numFunctions(), 22u);
    const FeatureSet s = settingsFeatureSet(t.table, subsetOf(t.candidates, {12, 0, 6, 21}), "AGL", "x.nn");
    EXPECT_EQ(s.columns, (std::vector<std::vector<int>>{{0, 6, 12, 21}}));
    EXPECT_EQ(s.numFeatures(), 4);
    EXPECT_EQ(countAngular(t.table, s), 2);  // columns 12 and 21 are the type-9 functions
    EXPECT_EQ(countNoise(t.table, s), 0);
    // A function that is not a candidate is an input error naming the file and the function's line.
    NnSettings other = subsetOf(t.candidates, {0});
    other.functions[0].eta = 0.5;
    other.functions[0].sourceLine = 17;
    try {
        settingsFeatureSet(t.table, other, "x", "other.nn");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "other.nn");
        EXPECT_EQ(e.line(), 17);
    }
}

TEST(CompareSets, FiltersPickTheRequestedCountAndNoiseIsCounted) {
    FeatureTable t = tiny().table;
    addNoiseFeatures(t, 3, 9);
    const FeatureSet all = allFeaturesSet(t);
    EXPECT_EQ(all.numFeatures(), 25);
    EXPECT_EQ(countNoise(t, all), 3);
    EXPECT_EQ(countAngular(t, all), 10);
    std::vector<std::uint32_t> rows;
    for (std::uint32_t s = 0; s < t.numStructures(); ++s) rows.push_back(s);
    for (filters::Method m : {filters::Method::Pc, filters::Method::Cur, filters::Method::Fps}) {
        const FeatureSet f = filterFeatureSet(t, m, {5}, rows);
        ASSERT_EQ(f.columns.size(), 1u);
        EXPECT_EQ(f.columns[0].size(), 5u) << filters::toString(m);
        EXPECT_TRUE(std::is_sorted(f.columns[0].begin(), f.columns[0].end()));
    }
}

// --match cost: each filter gets the largest count whose counted cost is at most the reference's, per element;
// shares add up to the set's counted cost.
TEST(CompareSets, CostMatchedFiltersTakeTheMostFunctionsAtNoMoreCountedCost) {
    const Tiny& t = tiny();
    const std::vector<const Structure*> structures{&t.data.structures[0], &t.data.structures[13]};
    // 3 radial functions and one angular: the reference a filter of 4 functions may cost more or less than.
    const FeatureSet reference = settingsFeatureSet(t.table, subsetOf(t.candidates, {0, 3, 6, 15}), "AGL", "sel.nn");
    const double target = elementCountedCost(t.table, t.candidates, 0, reference.columns[0], structures);
    EXPECT_DOUBLE_EQ(kAtomFloor + target,
                     countedCost(countEvaluationWork(subsetOf(t.candidates, {0, 3, 6, 15}), structures)));
    std::vector<std::uint32_t> rows;
    for (std::uint32_t s = 0; s < 16; ++s) rows.push_back(s);
    std::size_t most = 0;
    for (filters::Method m : {filters::Method::Pc, filters::Method::Cur, filters::Method::Fps}) {
        const FeatureSet f = costMatchedFilterSet(t.table, t.candidates, m, reference, rows, structures, 3);
        ASSERT_EQ(f.columns.size(), 1u);
        const std::size_t n = f.columns[0].size();
        ASSERT_GE(n, 1u);
        EXPECT_EQ(f.columns[0], filterElementColumns(t.table, 0, m, {int(n)}, rows, 3)[0].columns)
            << "the filter's own picks";
        if (n > 1) {
            EXPECT_LE(elementCountedCost(t.table, t.candidates, 0, f.columns[0], structures), target);
        }
        most = std::max(most, n);
        for (int more = int(n) + 1; more <= 22; ++more)
            EXPECT_GT(elementCountedCost(t.table, t.candidates, 0,
                                         filterElementColumns(t.table, 0, m, {more}, rows, 3)[0].columns, structures),
                      target)
                << filters::toString(m) << ": " << more << " functions would fit as well";
    }
    // An angular function costs as much as several radial ones: filters that pick radial ones afford more than
    // the reference's 4 (here PC 7, CUR 5, FPS 8).
    EXPECT_GT(most, 4u);
}

TEST(Compare, RowsNAndModels) {
    const Tiny& t = tiny();
    const CompareOptions o = fastOptions();
    const FeatureSet agl = settingsFeatureSet(t.table, subsetOf(t.candidates, {0, 3, 6, 7, 13}), "AGL", "sel.nn");
    std::vector<std::uint32_t> seen;
    const DataSplit split = splitStructures(t.table, 0.1, 0.25, o.evaluate.trainer.splitSeed);
    seen = split.train;
    seen.insert(seen.end(), split.validation.begin(), split.validation.end());
    const FeatureSet pc = filterFeatureSet(t.table, filters::Method::Pc, countsPerElement(agl), seen);
    const std::vector<FeatureSet> sets{allFeaturesSet(t.table), agl, pc};
    const std::vector<const Structure*> cost = heldOutStructuresForCost(t.data, t.table, o.evaluate.trainer, 1);
    ASSERT_EQ(cost.size(), 1u);
    // The cost structure is a test structure of the evaluation's split.
    EXPECT_NE(std::find(split.test.begin(), split.test.end(), heldOutStructuresForCost(t.table, o.evaluate.trainer, 1)[0]),
              split.test.end());
    // Without a test set (agl select's default) the cost is timed on validation structures, never training ones.
    TrainerConfig noTest = o.evaluate.trainer;
    noTest.testFraction = 0.0;
    const DataSplit held = splitStructures(t.table, noTest.validationFraction, 0.0, noTest.splitSeed);
    std::vector<std::uint32_t> expected = held.test;
    expected.insert(expected.end(), held.validation.begin(), held.validation.end());
    ASSERT_FALSE(held.validation.empty());
    EXPECT_EQ(heldOutStructuresForCost(t.table, noTest, 1000), expected);
    expected.resize(1);
    EXPECT_EQ(heldOutStructuresForCost(t.table, noTest, 1), expected);

    const CompareResult r = compareFeatureSets(t.table, t.candidates, sets, cost, o);
    ASSERT_EQ(r.rows.size(), 3u);
    EXPECT_EQ(r.rows[0].set.name, "all");
    EXPECT_EQ(r.rows[1].set.name, "AGL");
    EXPECT_EQ(r.rows[2].set.name, "PC");
    EXPECT_EQ(r.rows[0].numFeatures, 22);
    EXPECT_EQ(r.rows[0].numAngular, 10);
    EXPECT_EQ(r.rows[1].numFeatures, 5);
    EXPECT_EQ(r.rows[1].numAngular, 1);
    EXPECT_EQ(r.rows[2].numFeatures, 5);
    EXPECT_EQ(r.testStructures, int(split.test.size()));
    for (const CompareRow& row : r.rows) {
        EXPECT_EQ(row.result.testRmse.size(), 2u) << row.set.name;
        EXPECT_EQ(row.result.numFeatures, row.numFeatures) << "the evaluation saw the subset table";
        EXPECT_EQ(row.result.numAngular, row.numAngular);
        EXPECT_TRUE(std::isfinite(row.result.mean) && row.result.mean > 0.0) << row.set.name;
        EXPECT_NEAR(row.result.std, std::fabs(row.result.testRmse[0] - row.result.testRmse[1]) / std::sqrt(2.0),
                    1e-12 * (1 + row.result.mean));
        EXPECT_EQ(row.numNoise, 0);
        ASSERT_TRUE(row.hasCost);
        EXPECT_GT(row.cost.featureMicroseconds, 0.0);
        EXPECT_GT(row.cost.forceMicroseconds, 0.0);  // no ordering of the two: single timed passes are noisy
        EXPECT_EQ(row.cost.atoms, cost[0]->numAtoms());
    }
    EXPECT_EQ(r.rows[0].costRatio, 1.0) << "all candidates are the cost reference";
    // The same set trained alone gives the same errors: rows are independent of each other.
    CompareOptions one = o;
    one.measureCost = false;
    const CompareResult alone = compareFeatureSets(t.table, t.candidates, {agl}, {}, one);
    ASSERT_EQ(alone.rows.size(), 1u);
    EXPECT_FALSE(alone.rows[0].hasCost);
    EXPECT_EQ(alone.rows[0].result.testRmse, r.rows[1].result.testRmse);
}

TEST(Compare, SubsetEvaluationMatchesEvaluatingTheSubsetTable) {
    // What compare trains for a set is exactly evaluateFeatureSet on the set's columns.
    const Tiny& t = tiny();
    CompareOptions o = fastOptions();
    o.measureCost = false;
    o.evaluate.models = 1;
    const FeatureSet agl = settingsFeatureSet(t.table, subsetOf(t.candidates, {1, 8, 15}), "AGL", "sel.nn");
    const CompareResult r = compareFeatureSets(t.table, t.candidates, {agl}, {}, o);
    const EvaluateResult direct = evaluateFeatureSet(subsetTable(t.table, agl.columns), o.evaluate);
    EXPECT_EQ(r.rows[0].result.testRmse, direct.testRmse);
    EXPECT_EQ(r.rows[0].numAngular, 1);
}

// A comparison with a state directory: an interrupted set continues from its checkpoint to exactly the straight
// run's errors, a finished set is loaded rather than retrained, another comparison in the directory is refused.
TEST(Compare, ResumesFromTheStateDirectory) {
    const Tiny& t = tiny();
    CompareOptions o = fastOptions();
    o.measureCost = false;
    o.evaluate.restarts = 3;  // 15 epochs
    o.evaluate.checkpointEvery = 4;
    const FeatureSet agl = settingsFeatureSet(t.table, subsetOf(t.candidates, {0, 3, 6, 7, 13}), "AGL", "sel.nn");
    const std::vector<FeatureSet> sets{allFeaturesSet(t.table), agl};
    const CompareResult straight = compareFeatureSets(t.table, t.candidates, sets, {}, o);

    const auto dir = (std::filesystem::temp_directory_path() / "agl_compare_resume").string();
    std::filesystem::remove_all(dir);
    o.stateDir = dir;
    const CompareResult first = compareFeatureSets(t.table, t.candidates, sets, {}, o);
    for (std::size_t i = 0; i < sets.size(); ++i) {
        EXPECT_EQ(first.rows[i].result.testRmse, straight.rows[i].result.testRmse);
        EXPECT_TRUE(std::filesystem::exists(dir + "/set_" + std::to_string(i) + ".json"));
        EXPECT_FALSE(std::filesystem::exists(dir + "/set_" + std::to_string(i) + ".ckpt")) << "a finished set keeps none";
    }

    // "Interrupt" set 1 after 7 epochs: its result file gone, a checkpoint of its Trainer in place.
    const FeatureTable subset = subsetTable(t.table, agl.columns);
    const std::string ckpt = dir + "/set_1.ckpt";
    std::filesystem::remove(dir + "/set_1.json");
    {
        Trainer partial = evaluationTrainer(subset, o.evaluate);
        partial.train(7);
        partial.saveCheckpoint(ckpt);
    }
    // Mark set 0's saved result to see that it is loaded, not retrained.
    nlohmann::json j;
    std::ifstream(dir + "/set_0.json") >> j;
    j["testRmse"][0] = 12345.0;  // (the mean is recomputed from the models' errors)
    std::ofstream(dir + "/set_0.json") << j.dump();
    const CompareResult resumed = compareFeatureSets(t.table, t.candidates, sets, {}, o);
    EXPECT_EQ(resumed.rows[0].result.testRmse[0], 12345.0) << "set 0 was retrained instead of loaded";
    EXPECT_EQ(resumed.rows[0].result.mean, (12345.0 + straight.rows[0].result.testRmse[1]) / 2);
    EXPECT_EQ(resumed.rows[1].result.testRmse, straight.rows[1].result.testRmse);
    EXPECT_EQ(resumed.rows[1].result.validationRmse, straight.rows[1].result.validationRmse);
    EXPECT_EQ(resumed.rows[1].result.epochs, straight.rows[1].result.epochs);

    // The checkpoint is what the resumed set starts from: one with an extra optimiser step gives other errors;
    // one of another learning rate belongs to another run and is refused.
    std::filesystem::remove(dir + "/set_1.json");
    {
        Trainer partial = evaluationTrainer(subset, o.evaluate);
        partial.train(7);
        partial.trainStep(partial.split().train.data(), 4, 0.05);
        partial.saveCheckpoint(ckpt);
    }
    EXPECT_NE(compareFeatureSets(t.table, t.candidates, sets, {}, o).rows[1].result.testRmse,
              straight.rows[1].result.testRmse);
    std::filesystem::remove(dir + "/set_1.json");
    {
        EvaluateConfig other = o.evaluate;
        other.trainer.schedule.baseRate *= 3;
        Trainer partial = evaluationTrainer(subset, other);
        partial.train(7);
        partial.saveCheckpoint(ckpt);
    }
    EXPECT_THROW(compareFeatureSets(t.table, t.candidates, sets, {}, o), InputError);

    // A stop request in set 1 (Ctrl-C in the CLI): its checkpoint is written and agl::Interrupted thrown; the rerun
    // continues it to the straight run's errors.
    std::filesystem::remove(dir + "/set_1.json");
    std::filesystem::remove(ckpt);
    CompareOptions stopping = o;
    int asked = 0;
    stopping.evaluate.stopRequested = [&] { return ++asked == 5; };  // set 0 is loaded: no epoch asks
    EXPECT_THROW(compareFeatureSets(t.table, t.candidates, sets, {}, stopping), Interrupted);
    EXPECT_TRUE(std::filesystem::exists(ckpt));
    EXPECT_EQ(compareFeatureSets(t.table, t.candidates, sets, {}, o).rows[1].result.testRmse,
              straight.rows[1].result.testRmse);

    CompareOptions more = o;
    more.evaluate.models = 3;
    EXPECT_THROW(compareFeatureSets(t.table, t.candidates, sets, {}, more), InputError);
    EXPECT_THROW(compareFeatureSets(t.table, t.candidates, {agl}, {}, o), InputError) << "other sets";
    std::filesystem::remove(dir + "/set_1.json");
    nlohmann::json nullError = j, otherSize = j;
    nullError["testRmse"][1] = nullptr;
    otherSize["numFeatures"] = 3;
    for (const std::string& damaged : {std::string("{\"testRmse\": [1]}"), nullError.dump(), otherSize.dump()}) {
        std::ofstream(dir + "/set_0.json") << damaged;
        EXPECT_THROW(compareFeatureSets(t.table, t.candidates, sets, {}, o), InputError) << damaged;
    }
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace agl
