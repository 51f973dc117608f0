// Suggestion rule, selected.nn content, the exported subset potential and the evaluation of a set.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include "agl/error.hpp"
#include "agl/io.hpp"
#include "agl/select/evaluate.hpp"
#include "agl/select/path_report.hpp"
#include "agl/select/suggestion.hpp"
#include "agl/train/trainer.hpp"
#include "ground_truth.hpp"

namespace agl {
namespace {

PathPoint point(double lambda, int n, double refitRmse) {
    PathPoint p;
    p.lambda = lambda;
    p.numSelected = n;
    p.refit.validationRmse = refitRmse;
    p.refitRmses = {refitRmse};
    return p;
}

TEST(SelectSuggestion, SmallestSetWithinToleranceOfTheBest) {
    std::vector<PathPoint> path{point(10, 0, 0.5),  point(5, 2, 0.30), point(2, 4, 0.108),
                                point(1, 7, 0.100), point(0.5, 12, 0.104), point(0.2, 12, 0.101)};
    EXPECT_EQ(suggestPoint(path, 0.10), 2);  // 4 features at 0.108 <= 0.100·1.1
    EXPECT_EQ(suggestPoint(path, 0.05), 3);  // 0.108 is out; 7 features at the best
    EXPECT_EQ(suggestPoint(path, 5.0), 1);   // never the empty set, even when its error qualifies
    path[3].refitRmses = {NAN};              // non-finite points never qualify, nor count as best
    EXPECT_EQ(suggestPoint(path, 0.0), 5);
    path.push_back(point(0.1, 12, 0.101));   // tie in N and RMSE: the larger λ
    EXPECT_EQ(suggestPoint(path, 0.0), 5);
    EXPECT_EQ(suggestPoint({point(1, 0, 0.2)}, 0.1), -1);
}

// Another size (e.g. the counted cost): the smallest within the tolerance, ties as before; a non-finite size
// is never suggested.
TEST(SelectSuggestion, SmallestSizeWhenGiven) {
    const std::vector<PathPoint> path{point(5, 2, 0.30), point(2, 4, 0.108), point(1, 7, 0.100),
                                      point(0.5, 12, 0.104), point(0.2, 12, 0.104)};
    EXPECT_EQ(suggestPoint(path, 0.10, {1.0, 900.0, 500.0, 400.0, 450.0}), 3) << "cheapest within 10 %";
    EXPECT_EQ(suggestPoint(path, 0.10, {1.0, NAN, 500.0, 400.0, 400.0}), 3) << "tie: the larger lambda";
    EXPECT_EQ(suggestPoint(path, 0.0, {1.0, 1.0, NAN, 1.0, 1.0}), -1) << "the best alone qualifies, and has no size";
    EXPECT_EQ(suggestPoint(path, 0.10, {}), 1) << "no sizes: the number of features";
    EXPECT_THROW(suggestPoint(path, 0.10, {1.0}), Error);
}

// With cross-validated refits the fold mean is what is ranked, whatever the refit on the one validation set says.
TEST(SelectSuggestion, CrossValidatedRmseIsRankedWhenPresent) {
    std::vector<PathPoint> path{point(5, 2, 0.30), point(2, 4, 0.100), point(1, 7, 0.150)};
    EXPECT_EQ(suggestPoint(path, 0.10), 1);
    path[0].cvRmses = {0.20, 0.22};
    path[1].cvRmses = {0.30, 0.34};
    path[2].cvRmses = {0.21, 0.23};
    EXPECT_DOUBLE_EQ(path[1].suggestionRmse(), 0.32);
    EXPECT_NEAR(path[1].suggestionRmseStd(), std::sqrt(0.0008), 1e-15);
    EXPECT_EQ(suggestPoint(path, 0.10), 0) << "2 features at a fold mean of 0.21, the best";
    path[0].cvRmses = {NAN, 0.2};
    EXPECT_EQ(suggestPoint(path, 0.10), 2) << "a diverged fold disqualifies the set";
}

// The seed-to-seed noise of a refit, read off points that selected the same columns: the largest max/min − 1
// over such groups; sets seen once, empty sets and non-finite refits do not count.
TEST(SelectSuggestion, RefitSpreadOfEqualSets) {
    const auto withColumns = [](double lambda, std::vector<int> columns, double rmse) {
        PathPoint p = point(lambda, int(columns.size()), rmse);
        p.selected = {std::move(columns)};
        return p;
    };
    std::vector<PathPoint> path{withColumns(10, {}, 0.5),          withColumns(8, {}, 0.1),
                                withColumns(5, {1, 4}, 0.3),       withColumns(2, {0, 1, 4}, 0.11),
                                withColumns(1, {0, 1, 2, 4}, 0.10), withColumns(0.5, {0, 1, 2, 4}, 0.13),
                                withColumns(0.2, {0, 1, 2, 4}, 0.12), withColumns(0.1, {0, 1, 2, 3}, 0.5)};
    RefitSpread s = equalSetRefitSpread(path);
    EXPECT_NEAR(s.relative, 0.3, 1e-12);  // 0.13 / 0.10 − 1 among the three {0, 1, 2, 4} refits
    EXPECT_EQ(s.numFeatures, 4);
    EXPECT_EQ(s.numPoints, 3);
    path[5].refitRmses = {NAN};
    EXPECT_NEAR(equalSetRefitSpread(path).relative, 0.2, 1e-12);
    path.resize(5);  // every set once (and the empty set twice): no estimate
    s = equalSetRefitSpread(path);
    EXPECT_EQ(s.relative, 0.0);
    EXPECT_EQ(s.numPoints, 0);
}

SymmetryFunction radial(int z, double eta) {
    SymmetryFunction sf;
    sf.type = 2;
    sf.centre = sf.e1 = z;
    sf.eta = eta;
    sf.rc = 6.0;
    return sf;
}

TEST(SelectOutputs, SelectedSettingsKeepOnlyChosenFunctionsInOrder) {
    NnSettings s;
    s.elements = {1, 8};
    s.network.hiddenNodes = {10, 10};
    s.network.activations = "ttl";
    for (int z : {1, 8})
        for (double eta : {0.01, 0.1, 1.0}) s.functions.push_back(radial(z, eta));
    SymmetryFunction ang;
    ang.type = 9;
    ang.centre = ang.e1 = ang.e2 = 8;
    ang.eta = 0.05;
    ang.lambda = 1;
    ang.zeta = 2;
    ang.rc = 6.0;
    s.functions.push_back(ang);
    FeatureTable t;
    for (int z : {1, 8}) {
        ElementFeatures el;
        el.element = z;
        el.functions = s.functionsOf(z);
        t.elements.push_back(el);
    }
    SymmetryFunction noise;
    noise.type = kNoiseFunctionType;
    noise.centre = noise.e1 = 8;
    t.elements[1].functions.push_back(noise);  // a selected noise column has no settings line: dropped
    const NnSettings out = selectedSettings(s, t, {{2, 0}, {1, 3, 4}});
    ASSERT_EQ(out.functions.size(), 4u);
    std::ostringstream text;
    writeNnSettings(text, out);
    const std::string nn = text.str();
    const auto pos = [&](const SymmetryFunction& f) { return nn.find(f.settingsLine()); };
    for (const SymmetryFunction& f : {s.functions[0], s.functions[2], s.functions[4], ang})
        EXPECT_NE(pos(f), std::string::npos) << f.settingsLine();
    for (const SymmetryFunction& f : {s.functions[1], s.functions[3], s.functions[5]})
        EXPECT_EQ(pos(f), std::string::npos) << f.settingsLine();
    EXPECT_LT(pos(s.functions[0]), pos(s.functions[2])) << "n2p2 order within an element";
    EXPECT_NE(nn.find("global_nodes_short"), std::string::npos);
    // Read back: the same functions.
    const std::string path = (std::filesystem::temp_directory_path() / "agl_select_test_selected.nn").string();
    writeNnSettings(path, out, true);
    EXPECT_EQ(readNnSettings(path).functions.size(), 4u);
    std::filesystem::remove(path);
}

TEST(SelectOutputs, SubsetPotentialPredictsLikeTheMaskedModel) {
    const FeatureTable t = testing::groundTruthTable(60);
    TrainerConfig c = testing::fastSelectConfig().trainer;
    c.maxEpochs = 5;
    ModelSpec spec;
    spec.seed = 9;
    spec.mask = {{1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1}};
    Trainer trainer(t, c, {spec});
    trainer.train();
    const Potential full = trainer.potential(0);
    const std::vector<std::vector<int>> sel{{0, 2, 6, 11}};
    ElementArch arch = full.elements[0].arch;
    const Potential sub = subsetPotential({arch}, {full.elements[0].scaling}, full.elements[0].weights, sel);
    EXPECT_EQ(sub.elements[0].arch.numInputs(), 4);
    const auto a = full.predict(t), b = sub.predict(subsetTable(t, sel));
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t s = 0; s < a.size(); ++s) EXPECT_NEAR(a[s], b[s], 1e-10 * (1 + std::fabs(a[s])));
    // Round trip through n2p2 files.
    const std::string dir = (std::filesystem::temp_directory_path() / "agl_select_test_potential").string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    writePotential(dir, sub, false);
    const auto back = readPotential(dir, {sub.elements[0].arch}).predict(subsetTable(t, sel));
    for (std::size_t s = 0; s < a.size(); ++s) EXPECT_NEAR(back[s], b[s], 1e-8 * (1 + std::fabs(b[s])));
    std::filesystem::remove_all(dir);
}

TEST(SelectEvaluate, ScheduleLengthAndStatistics) {
    EvaluateConfig e;
    EXPECT_EQ(scheduleEpochs(e), 8191);  // 1 + 2 + … + 2^12
    e.restarts = 3;
    EXPECT_EQ(scheduleEpochs(e), 15);
    const FeatureTable t = testing::subsetTableForEvaluate();
    e.trainer = testing::fastSelectConfig().trainer;
    e.trainer.testFraction = 0.2;
    e.models = 3;
    e.restarts = 2;  // 7 epochs
    const EvaluateResult r = evaluateFeatureSet(t, e);
    ASSERT_EQ(r.testRmse.size(), 3u);
    EXPECT_EQ(r.totalEpochs, 7);
    for (int ep : r.epochs) EXPECT_EQ(ep, 7);
    double mean = (r.testRmse[0] + r.testRmse[1] + r.testRmse[2]) / 3;
    EXPECT_NEAR(r.mean, mean, 1e-15);
    double ss = 0;
    for (double v : r.testRmse) ss += (v - mean) * (v - mean);
    EXPECT_NEAR(r.std, std::sqrt(ss / 2), 1e-15);
    EXPECT_GT(r.std, 0.0) << "different seeds should give different models";
    EXPECT_EQ(r.numFeatures, 3);
    EXPECT_EQ(r.numAngular, 1);
}

}  // namespace
}  // namespace agl
