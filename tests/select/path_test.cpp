// The batched λ path: equals the path trained one λ at a time, resumes from saved stages, λ helpers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "agl/error.hpp"
#include "agl/select/lambda_path.hpp"
#include "agl/select/selection_path.hpp"
#include "ground_truth.hpp"

namespace agl {
namespace {

using testing::fastSelectConfig;
using testing::groundTruthTable;

std::string freshDir(const std::string& name) {
    const auto p = std::filesystem::temp_directory_path() / ("agl_select_test_" + name);
    std::filesystem::remove_all(p);
    return p.string();
}

TEST(SelectLambda, LogSpacedEndsAndRatio) {
    const auto v = logSpacedLambdas(10.0, 0.01, 4);
    ASSERT_EQ(v.size(), 4u);
    EXPECT_DOUBLE_EQ(v[0], 10.0);
    EXPECT_NEAR(v[1], 1.0, 1e-12);
    EXPECT_NEAR(v[2], 0.1, 1e-13);
    EXPECT_NEAR(v[3], 0.01, 1e-14);
    EXPECT_EQ(logSpacedLambdas(3.0, 1.0, 1), std::vector<double>{3.0});
    EXPECT_THROW(logSpacedLambdas(1.0, 2.0, 4), Error);
    EXPECT_THROW(logSpacedLambdas(1.0, 0.0, 4), Error);
    LambdaPathOptions o;
    o.lambdas = {0.5, 2.0, 1.0};
    EXPECT_EQ(resolveLambdaPath(FeatureTable{}, TrainerConfig{}, {1}, o), (std::vector<double>{2.0, 1.0, 0.5}));
}

TEST(SelectLambda, MaxRemovesEveryFeatureAndLowerKeepsSome) {
    const FeatureTable t = groundTruthTable();
    const SelectConfig c = fastSelectConfig();
    const double est = estimateLambdaMax(t, c.trainer, {11});
    // Per weight |mean g| / √(mean g²) <= 1, so N·√(width) bounds the estimate.
    EXPECT_GT(est, 0.0);
    EXPECT_LE(est, 12.0 * std::sqrt(8.0) * (1 + 1e-12));
    const double hi = refineLambdaMax(t, c.trainer, 11, est, 30);
    EXPECT_GE(hi, est);
    SelectConfig g = c;
    g.stopAfter = "gl";
    const SelectionPath sp = runSelectionPath(t, g, {hi, hi / 8}, {11, 11});
    for (double n : sp.points[0].gl.groupNorms) EXPECT_EQ(n, 0.0) << "λ_max must keep nothing";
    int kept = 0;
    for (double n : sp.points[1].gl.groupNorms) kept += n > 0.0;
    EXPECT_GT(kept, 0) << "λ_max / 8 should keep some feature";
}

void expectSamePoint(const PathPoint& a, const PathPoint& b, double tol, const std::string& what) {
    EXPECT_EQ(a.selected, b.selected) << what;
    for (StageModel PathPoint::*s : {&PathPoint::gl, &PathPoint::agl, &PathPoint::refit}) {
        EXPECT_EQ((a.*s).epochs, (b.*s).epochs) << what;
        EXPECT_EQ((a.*s).bestEpoch, (b.*s).bestEpoch) << what;
        EXPECT_NEAR((a.*s).validationRmse, (b.*s).validationRmse, tol * (1 + (a.*s).validationRmse)) << what;
        ASSERT_EQ((a.*s).weights.size(), (b.*s).weights.size());
        for (std::size_t i = 0; i < (a.*s).weights.size(); ++i)
            ASSERT_NEAR((a.*s).weights[i], (b.*s).weights[i], tol * (1 + std::fabs((a.*s).weights[i])))
                << what << " parameter " << i;
    }
}

TEST(SelectPath, BatchedEqualsOneLambdaAtATime) {
    const FeatureTable t = groundTruthTable(160);
    const SelectConfig c = fastSelectConfig();
    const std::vector<double> lambdas{8.0, 2.0, 1.0, 0.3};
    const auto seeds = pathSeeds(3, 4);
    const SelectionPath batched = runSelectionPath(t, c, lambdas, seeds);
    std::set<int> epochs;
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
        const SelectionPath one = runSelectionPath(t, c, {lambdas[k]}, {seeds[k]});
        expectSamePoint(batched.points[k], one.points[0], 1e-9, "λ " + std::to_string(lambdas[k]));
        epochs.insert(batched.points[k].gl.epochs);
    }
    EXPECT_GT(epochs.size(), 1u) << "every model stopped at the same epoch: compaction not exercised";
}

// The path through the Trainer's device code path (host stand-in for the GPU): the CPU path exactly.
TEST(SelectPath, EmulatedDeviceGivesTheCpuPath) {
    const FeatureTable t = groundTruthTable(120);
    SelectConfig c = fastSelectConfig();
    const std::vector<double> lambdas{4.0, 1.0, 0.3};
    const auto seeds = pathSeeds(2, 3);
    const SelectionPath cpu = runSelectionPath(t, c, lambdas, seeds);
    c.trainer.emulateDevice = true;
    const SelectionPath emulated = runSelectionPath(t, c, lambdas, seeds);
    for (std::size_t k = 0; k < lambdas.size(); ++k)
        expectSamePoint(cpu.points[k], emulated.points[k], 0.0, "λ " + std::to_string(lambdas[k]));
}

// The small two-λ path of the resume tests.
// A cold-start refit of the columns point p selected (one element, 12 features), as the path trains it.
ModelSpec coldRefit(std::uint64_t seed, const PathPoint& p) {
    ModelSpec cold;
    cold.seed = seed;
    cold.mask = {std::vector<std::uint8_t>(12, 0)};
    for (int j : p.selected[0]) cold.mask[0][std::size_t(j)] = 1;
    return cold;
}

struct TwoLambdaPath {
    FeatureTable t = groundTruthTable(120);
    SelectConfig c = fastSelectConfig();
    std::vector<double> lambdas{4.0, 1.0};
    std::vector<std::uint64_t> seeds = pathSeeds(5, 2);
};

TEST(SelectPath, ResumeAfterGlStageGivesTheStraightRun) {
    TwoLambdaPath run;
    auto& [t, c, lambdas, seeds] = run;
    const SelectionPath straight = runSelectionPath(t, c, lambdas, seeds);

    c.stateDir = freshDir("resume");
    c.checkpointEvery = 7;
    c.stopAfter = "gl";  // the "interrupted" run
    const SelectionPath partial = runSelectionPath(t, c, lambdas, seeds);
    EXPECT_EQ(partial.completedStage, "gl");
    const std::string glFile = c.stateDir + "/stage_gl.json";
    ASSERT_TRUE(std::filesystem::exists(glFile));
    EXPECT_FALSE(std::filesystem::exists(c.stateDir + "/stage_gl.ckpt")) << "finished stage leaves no checkpoint";
    EXPECT_FALSE(std::filesystem::exists(c.stateDir + "/stage_agl.json"));
    // Mark the saved GL stage (a field that does not feed training) to see that the resumed run loads it.
    nlohmann::json j;
    std::ifstream(glFile) >> j;
    j["models"][0]["validationRmse"] = 12345.0;
    std::ofstream(glFile) << j.dump();

    c.stopAfter.clear();
    const SelectionPath resumed = runSelectionPath(t, c, lambdas, seeds);
    EXPECT_EQ(resumed.completedStage, "refit");
    EXPECT_EQ(resumed.points[0].gl.validationRmse, 12345.0) << "GL stage was retrained instead of loaded";
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
        PathPoint r = resumed.points[k];
        r.gl.validationRmse = straight.points[k].gl.validationRmse;
        expectSamePoint(straight.points[k], r, 0.0, "resumed λ " + std::to_string(lambdas[k]));
    }
    // A rerun with other settings in the same directory is refused.
    EXPECT_THROW(runSelectionPath(t, c, {4.0, 0.5}, seeds), InputError);
    std::filesystem::remove_all(c.stateDir);
}

// refitSeeds = 3: refit 0 of every point is the one-seed run's refit, refits 1 and 2 are cold starts of the same
// mask (each equal to a plain Trainer run from refitSeed), the kept refit is the best, and the three-seed path
// resumes after AGL and refuses a state directory of another refitSeeds.
TEST(SelectPath, RefitSeedsAddColdStartsAndKeepTheBest) {
    TwoLambdaPath run;
    auto& [t, c, lambdas, seeds] = run;
    const SelectionPath one = runSelectionPath(t, c, lambdas, seeds);
    c.refitSeeds = 3;
    const SelectionPath three = runSelectionPath(t, c, lambdas, seeds);
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
        const PathPoint &p = three.points[k], &q = one.points[k];
        const std::string what = "λ " + std::to_string(lambdas[k]);
        EXPECT_EQ(p.selected, q.selected) << what;
        EXPECT_EQ(p.agl.weights, q.agl.weights) << what << ": the stages before the refit must not change";
        ASSERT_EQ(q.refitRmses.size(), 1u);
        ASSERT_EQ(p.refitRmses.size(), 3u);
        EXPECT_NEAR(p.refitRmses[0], q.refitRmses[0], 1e-9 * (1 + q.refitRmses[0])) << what;
        EXPECT_NE(p.refitRmses[1], p.refitRmses[0]) << what << ": a cold start must differ from the warm one";
        EXPECT_NE(p.refitRmses[2], p.refitRmses[1]) << what << ": cold starts must have their own seeds";
        EXPECT_EQ(p.refit.validationRmse, *std::min_element(p.refitRmses.begin(), p.refitRmses.end())) << what;
        const double mean = (p.refitRmses[0] + p.refitRmses[1] + p.refitRmses[2]) / 3;
        double ss = 0;
        for (double r : p.refitRmses) ss += (r - mean) * (r - mean);
        EXPECT_NEAR(p.refitRmseMean(), mean, 1e-15);
        EXPECT_NEAR(p.refitRmseStd(), std::sqrt(ss / 2), 1e-15);
        EXPECT_EQ(selectedColumns(three.archs, p.refit.groupNorms), p.selected) << what << ": mask not kept";

        // Cold start 1 on its own: the same mask from refitSeed, a plain Trainer.
        TrainerConfig tc = c.trainer;
        tc.maxEpochs = c.epochsRefit;
        Trainer alone(t, tc, {coldRefit(refitSeed(seeds[k], 1), p)});
        alone.train();
        EXPECT_NEAR(alone.rmse(0, alone.split().validation), p.refitRmses[1], 1e-9 * (1 + p.refitRmses[1])) << what;
    }

    c.stateDir = freshDir("refit_seeds");
    c.stopAfter = "agl";
    runSelectionPath(t, c, lambdas, seeds);
    c.stopAfter.clear();
    const SelectionPath resumed = runSelectionPath(t, c, lambdas, seeds);
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
        EXPECT_EQ(resumed.points[k].refitRmses, three.points[k].refitRmses);
        expectSamePoint(resumed.points[k], three.points[k], 0.0, "resumed λ " + std::to_string(lambdas[k]));
    }
    c.refitSeeds = 2;
    EXPECT_THROW(runSelectionPath(t, c, lambdas, seeds), InputError) << "another refitSeeds is another run";
    std::filesystem::remove_all(c.stateDir);
}

// refitFolds = 3: the stages before it are unchanged, each point gets one RMSE per fold, fold f's equals a plain
// Trainer on that fold's split from refitSeed(seed, refitSeeds + f), the suggestion ranks their mean, and a run
// resumes with the folds saved (a lost fold is trained again to the same result) and refuses another count.
TEST(SelectPath, RefitFoldsCrossValidateEverySet) {
    TwoLambdaPath run;
    auto& [t, c, lambdas, seeds] = run;
    const SelectionPath plain = runSelectionPath(t, c, lambdas, seeds);
    c.refitFolds = 3;
    const SelectionPath cv = runSelectionPath(t, c, lambdas, seeds);
    for (std::size_t k = 0; k < lambdas.size(); ++k) {
        const PathPoint &p = cv.points[k], &q = plain.points[k];
        const std::string what = "λ " + std::to_string(lambdas[k]);
        expectSamePoint(p, q, 0.0, what + ": the stages up to the refit must not change");
        EXPECT_TRUE(q.cvRmses.empty());
        EXPECT_EQ(q.suggestionRmse(), q.refitRmseMean());
        ASSERT_EQ(p.cvRmses.size(), 3u) << what;
        EXPECT_NEAR(p.suggestionRmse(), (p.cvRmses[0] + p.cvRmses[1] + p.cvRmses[2]) / 3, 1e-15);
        EXPECT_NE(p.suggestionRmse(), p.refitRmseMean());
        for (int f = 0; f < 3; ++f) {
            TrainerConfig tc = c.trainer;
            tc.maxEpochs = c.epochsRefit;
            tc.folds = 3;
            tc.fold = f;
            Trainer alone(t, tc, {coldRefit(refitSeed(seeds[k], c.refitSeeds + f), p)});
            EXPECT_EQ(alone.split().validation, crossValidationSplit(t, tc.testFraction, tc.splitSeed, 3, f).validation);
            alone.train();
            EXPECT_NEAR(alone.rmse(0, alone.split().validation), p.cvRmses[std::size_t(f)],
                        1e-9 * (1 + p.cvRmses[std::size_t(f)]))
                << what << ", fold " << f;
        }
    }

    c.stateDir = freshDir("refit_folds");
    runSelectionPath(t, c, lambdas, seeds);
    for (int f = 0; f < 3; ++f)
        EXPECT_TRUE(std::filesystem::exists(c.stateDir + "/stage_cv" + std::to_string(f) + ".json")) << f;
    std::filesystem::remove(c.stateDir + "/stage_cv1.json");
    const SelectionPath resumed = runSelectionPath(t, c, lambdas, seeds);
    for (std::size_t k = 0; k < lambdas.size(); ++k) EXPECT_EQ(resumed.points[k].cvRmses, cv.points[k].cvRmses);
    c.refitFolds = 4;
    EXPECT_THROW(runSelectionPath(t, c, lambdas, seeds), InputError) << "another refitFolds is another run";
    c.refitFolds = 1;
    EXPECT_THROW(runSelectionPath(t, c, lambdas, seeds), Error);
    std::filesystem::remove_all(c.stateDir);
}

// A stop request (Ctrl-C in the CLI) in the AGL stage: the stage checkpoints and agl::Interrupted is thrown; the
// rerun continues from the checkpoint to exactly the straight run.
TEST(SelectPath, StopRequestCheckpointsAndTheRerunContinues) {
    TwoLambdaPath run;
    auto& [t, c, lambdas, seeds] = run;
    const SelectionPath straight = runSelectionPath(t, c, lambdas, seeds);
    c.stateDir = freshDir("stop");
    int asked = 0;
    c.stopRequested = [&] { return std::filesystem::exists(c.stateDir + "/stage_gl.json") && ++asked == 5; };
    EXPECT_THROW(runSelectionPath(t, c, lambdas, seeds), Interrupted);
    EXPECT_TRUE(std::filesystem::exists(c.stateDir + "/stage_agl.ckpt")) << "the interrupted stage keeps its state";
    EXPECT_FALSE(std::filesystem::exists(c.stateDir + "/stage_agl.json"));
    c.stopRequested = nullptr;
    const SelectionPath resumed = runSelectionPath(t, c, lambdas, seeds);
    for (std::size_t k = 0; k < lambdas.size(); ++k)
        expectSamePoint(resumed.points[k], straight.points[k], 0.0, "λ " + std::to_string(lambdas[k]));
    std::filesystem::remove_all(c.stateDir);
}

TEST(SelectPath, TwoElementsHaveTheirOwnGroups) {
    // Element 1 reads its features 0 and 2, element 8 reads its feature 1; the others are noise.
    std::mt19937_64 rng(3);
    FeatureTable t;
    for (int z : {1, 8}) {
        ElementFeatures el;
        el.element = z;
        for (int j = 0; j < 4; ++j) {
            SymmetryFunction sf;
            sf.centre = sf.e1 = z;
            sf.eta = 0.1 * (j + 1);
            sf.rc = 5.0;
            el.functions.push_back(sf);
        }
        t.elements.push_back(el);
    }
    for (int s = 0; s < 200; ++s) {
        double energy = 0.0;
        const int n = 4;
        for (int e = 0; e < 2; ++e)
            for (int i = 0; i < n / 2; ++i) {
                double x[4];
                for (double& v : x) v = std::fabs(testing::gaussian(rng)) + 1.0;
                t.elements[e].values.insert(t.elements[e].values.end(), x, x + 4);
                t.elements[e].structure.push_back(std::uint32_t(s));
                t.elements[e].atom.push_back(std::uint32_t(e * 2 + i));
                energy += e == 0 ? 0.7 * x[0] - 0.5 * x[2] * x[2] : 0.8 * std::sin(2 * x[1]);
            }
        t.energies.push_back(energy);
        t.numAtoms.push_back(n);
        t.tags.push_back(SetTag::Unspecified);
    }
    const SelectConfig c = fastSelectConfig();
    LambdaPathOptions o;
    o.count = 6;
    o.ratio = 1e-2;
    const auto seeds = pathSeeds(2, o.count);
    const SelectionPath sp = runSelectionPath(t, c, resolveLambdaPath(t, c.trainer, seeds, o), seeds);
    const std::vector<std::vector<int>> truth{{0, 2}, {1}};
    bool found = false;
    for (const PathPoint& p : sp.points) {
        ASSERT_EQ(p.selected.size(), 2u);
        EXPECT_EQ(p.numSelected, int(p.selected[0].size() + p.selected[1].size()));
        found = found || p.selected == truth;
    }
    EXPECT_TRUE(found) << "no λ selects exactly H {0, 2} and O {1}";
}

}  // namespace
}  // namespace agl
