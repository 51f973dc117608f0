// `agl select` and `agl evaluate` end to end on the small SiO fixture (tests/data/filters): outputs exist,
// selected.nn and the exported potential read back, a finished run is not silently overwritten.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/train/training_data.hpp"
#include "agl/train/potential.hpp"

namespace agl {
namespace {

int run(const std::string& args) { return std::system((std::string(AGL_BINARY) + " " + args + " -q").c_str()); }

TEST(SelectCli, SelectWritesPathSettingsAndPotential) {
    if (!std::filesystem::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built";
    const std::string data = std::string(AGL_TEST_DATA) + "/filters/sio.data", nn = std::string(AGL_TEST_DATA) + "/filters/sio.nn";
    const auto out = (std::filesystem::temp_directory_path() / "agl_select_cli").string();
    std::filesystem::remove_all(out);
    const std::string common = "--data " + data + " --nn " + nn + " --out " + out +
                               " --lambdas 4 --epochs-gl 40 --epochs-agl 40 --epochs-refit 20 --batch 4 "
                               "--validation-fraction 0.2 --test-fraction 0 --lr 1e-2";
    ASSERT_EQ(run("select " + common), 0);
    for (const char* f : {"path.csv", "path.json", "selected.nn", "state/stage_refit.json"})
        EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
#if defined(AGL_HAVE_CAIRO)  // figures need cairo
    for (const char* f : {"rmse_vs_features.png", "selection_matrix.png", "rmse_vs_cost.png"})
        EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
#endif
    nlohmann::json j;
    std::ifstream(out + "/path.json") >> j;
    ASSERT_EQ(j["path"].size(), 4u);
    EXPECT_TRUE(j["forces"].is_null()) << "the fixture has no forces: no force error";
    ASSERT_FALSE(j["suggested"].is_null());
    const auto& s = j["path"][j["suggested"].get<int>()];
    const NnSettings chosen = readNnSettings(out + "/selected.nn");
    EXPECT_EQ(int(chosen.functions.size()), s["numFeatures"].get<int>());
    // Measured costs, timed on held-out structures: no test set here, so the 2 validation structures (10 × 0.2),
    // fewer than the default 3. Every point keeps a feature of each element, so every point is timed; a set
    // that several λ selected has one cost; the suggestion's speed-up is its ratio to all candidates.
    const auto& cost = j["cost"];
    ASSERT_TRUE(cost.is_object());
    EXPECT_EQ(cost["structures"].get<int>(), 2);
    EXPECT_GT(cost["atoms"].get<int>(), 0);
    const double all = cost["all"]["forces"].get<double>();
    EXPECT_GT(all, 0.0);
    EXPECT_GT(cost["all"]["features"].get<double>(), 0.0);
    for (const auto& p : j["path"]) {
        if (p["numFeatures"].get<int>() == 0) {
            EXPECT_TRUE(p["cost"].is_null());
            continue;
        }
        EXPECT_GT(p["cost"]["forces"].get<double>(), 0.0);
        EXPECT_DOUBLE_EQ(p["cost"]["ratio"].get<double>(), p["cost"]["forces"].get<double>() / all);
        // Counted terms: a subset of the candidates counts no more than all of them.
        EXPECT_LE(p["cost"]["radialTerms"].get<double>(), cost["all"]["radialTerms"].get<double>());
        EXPECT_LE(p["cost"]["angularTerms"].get<double>(), cost["all"]["angularTerms"].get<double>());
        EXPECT_EQ(p["cost"]["angularTerms"].get<double>() > 0.0, p["numAngular"].get<int>() > 0);
        for (const auto& q : j["path"]) {
            if (q["selected"] == p["selected"]) {
                EXPECT_EQ(q["cost"], p["cost"]) << "one set, one timing";
            }
        }
    }
    EXPECT_EQ(j["suggestedCost"]["suggested"]["forces"], s["cost"]["forces"]);
    EXPECT_DOUBLE_EQ(j["suggestedCost"]["speedup"].get<double>(), all / s["cost"]["forces"].get<double>());
    EXPECT_DOUBLE_EQ(j["suggestedCost"]["countedSpeedup"].get<double>(),
                     cost["all"]["countedCost"].get<double>() / s["cost"]["countedCost"].get<double>());
    if (std::filesystem::exists(out + "/potential/input.nn")) {
        const NnSettings pot = readNnSettings(out + "/potential/input.nn");
        const Potential p = readPotential(out + "/potential", archsFromSettings(pot));
        EXPECT_EQ(p.elements.size(), 2u);
        // (G − mean)/σ for n2p2 too: sigma scaling alone (with center_symmetry_functions n2p2 only centres).
        EXPECT_TRUE(pot.scaling.scaleSigma);
        EXPECT_FALSE(pot.scaling.center);
        EXPECT_FALSE(pot.scaling.scale);
    }
    EXPECT_NE(run("select " + common), 0) << "a finished run must not be rewritten without --force";
    // A run killed while it wrote its outputs (path.json, which marks the run complete, comes last): the rerun
    // writes them again from the saved stages, without --force.
    const auto readText = [](const std::string& path) {
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string selected = readText(out + "/selected.nn");
    std::filesystem::remove(out + "/path.json");
    ASSERT_EQ(run("select " + common), 0) << "the outputs of an unfinished run are its own";
    EXPECT_TRUE(std::filesystem::exists(out + "/path.json"));
    EXPECT_EQ(readText(out + "/selected.nn"), selected);
    EXPECT_EQ(run("select " + common + " --force --cost-structures 0"), 0) << "--force reuses the saved stages";
    std::ifstream(out + "/path.json") >> j;
    EXPECT_TRUE(j["suggestedCost"].is_null()) << "--cost-structures 0: not timed";
    EXPECT_TRUE(j["cost"].is_null());
    EXPECT_TRUE(j["path"][0]["cost"].is_null());
    // --suggest-by work: the set of the smallest counted cost among those within the tolerance (10 %).
    EXPECT_NE(run("select " + common + " --force --suggest-by work --cost-structures 0"), 0) << "nothing to count on";
    EXPECT_NE(run("select " + common + " --force --suggest-by size"), 0);
    ASSERT_EQ(run("select " + common + " --force --suggest-by work --cost-seconds 0"), 0);
    std::ifstream(out + "/path.json") >> j;
    EXPECT_NE(j["suggestionRule"].get<std::string>().find("counted cost"), std::string::npos);
    ASSERT_FALSE(j["suggested"].is_null());
    double bestRmse = 1e300;
    for (const auto& p : j["path"])
        if (p["numFeatures"].get<int>() > 0) bestRmse = std::min(bestRmse, p["rmseRefit"].get<double>());
    const auto& w = j["path"][j["suggested"].get<int>()];
    EXPECT_LE(w["rmseRefit"].get<double>(), 1.1 * bestRmse);
    for (const auto& p : j["path"]) {
        if (p["numFeatures"].get<int>() == 0 || !(p["rmseRefit"].get<double>() <= 1.1 * bestRmse)) continue;
        EXPECT_LE(w["cost"]["countedCost"].get<double>(), p["cost"]["countedCost"].get<double>());
    }
    EXPECT_EQ(run("evaluate --set " + out + "/selected.nn --data " + data +
                  " --models 2 --restarts 2 --batch 4 --test-fraction 0.2 --json " + out + "/eval.json"),
              0);
    nlohmann::json e;
    std::ifstream(out + "/eval.json") >> e;
    EXPECT_EQ(e["testRmse"].size(), 2u);
    EXPECT_EQ(e["N"].get<int>(), int(chosen.functions.size()));
    EXPECT_FALSE(e.contains("testForceRmse")) << "the fixture has no forces: no force error";
    // select held out no test structure (--test-fraction 0): every one evaluate tests on helped choose the set.
    // The warning goes to stderr (not under -q) and into the JSON, naming the split record.
    ASSERT_TRUE(e.contains("testSetWarning"));
    const std::string warning = e["testSetWarning"].get<std::string>();
    EXPECT_EQ(warning.rfind("2 of the 2 test structures were used by the selection of the set (" + out +
                                "/path.json: select --seed 1 --test-fraction 0)", 0),
              0u) << warning;
    const std::string said = out + "/evaluate.log";
    ASSERT_EQ(std::system((std::string(AGL_BINARY) + " evaluate --set " + out + "/selected.nn --data " + data +
                           " --models 1 --restarts 1 --batch 4 --test-fraction 0.2 2> " + said + " > /dev/null")
                              .c_str()),
              0);
    std::ifstream log(said);
    const std::string stderrText((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(stderrText.find("evaluate: " + warning), std::string::npos) << stderrText;
    // --state: the finished evaluation's checkpoint is kept; a rerun reports the same without training again,
    // and other settings in that folder are refused.
    const std::string evaluate = "evaluate --set " + out + "/selected.nn --data " + data +
                                 " --models 2 --restarts 2 --batch 4 --test-fraction 0.2 --state " + out + "/evalstate";
    ASSERT_EQ(run(evaluate + " --json " + out + "/eval1.json"), 0);
    EXPECT_TRUE(std::filesystem::exists(out + "/evalstate/checkpoint.ckpt"));
    ASSERT_EQ(run(evaluate + " --json " + out + "/eval2.json"), 0);
    nlohmann::json e1, e2;
    std::ifstream(out + "/eval1.json") >> e1;
    std::ifstream(out + "/eval2.json") >> e2;
    EXPECT_EQ(e1["testRmse"], e2["testRmse"]);
    EXPECT_EQ(e1["testRmse"], e["testRmse"]) << "the state must not change the result";
    EXPECT_NE(run(evaluate + " --models 3"), 0);
    // A checkpoint copied in by hand from another run (other seeds) is refused, not resumed.
    ASSERT_EQ(run(evaluate + "5 --seed 5"), 0);
    std::filesystem::copy_file(out + "/evalstate5/checkpoint.ckpt", out + "/evalstate/checkpoint.ckpt",
                               std::filesystem::copy_options::overwrite_existing);
    EXPECT_NE(run(evaluate), 0);
    // Two refits per λ: another run (refused in the same state), reported per seed with their mean.
    EXPECT_NE(run("select " + common + " --force --refit-seeds 2"), 0) << "the saved stages are of one refit seed";
    ASSERT_EQ(run("select " + common + " --force --restart --refit-seeds 2"), 0);
    std::ifstream(out + "/path.json") >> j;
    EXPECT_EQ(j["refitSeeds"].get<int>(), 2);
    for (const auto& p : j["path"]) {
        ASSERT_EQ(p["rmseRefitSeeds"].size(), 2u);
        const double a = p["rmseRefitSeeds"][0].get<double>(), b = p["rmseRefitSeeds"][1].get<double>();
        EXPECT_NEAR(p["rmseRefit"].get<double>(), (a + b) / 2, 1e-12 * (a + b));
        EXPECT_EQ(p["rmseRefitKept"].get<double>(), std::min(a, b));
    }
    // Cross-validated refits: 1 fold is refused before anything runs; 3 folds are saved as their own stages,
    // reported per fold, and ranked (path.csv's rmse_cv is the mean path.json gives).
    EXPECT_NE(run("select " + common + " --force --restart --refit-folds 1"), 0);
    EXPECT_TRUE(std::filesystem::exists(out + "/state/stage_refit.json")) << "a refused option discards nothing";
    ASSERT_EQ(run("select " + common + " --force --restart --refit-folds 3"), 0);
    std::ifstream(out + "/path.json") >> j;
    EXPECT_EQ(j["refitFolds"].get<int>(), 3);
    EXPECT_NE(j["suggestionRule"].get<std::string>().find("cross-validated"), std::string::npos);
    for (const auto& p : j["path"]) {
        ASSERT_EQ(p["rmseCvFolds"].size(), 3u);
        double sum = 0;
        for (const auto& r : p["rmseCvFolds"]) sum += r.get<double>();
        EXPECT_NEAR(p["rmseCv"].get<double>(), sum / 3, 1e-12 * sum);
    }
    for (int f = 0; f < 3; ++f)
        EXPECT_TRUE(std::filesystem::exists(out + "/state/stage_cv" + std::to_string(f) + ".json")) << f;
    std::ifstream csv(out + "/path.csv");
    std::string header, row;
    std::getline(csv, header);
    std::getline(csv, row);
    EXPECT_NE(header.find(",rmse_cv,rmse_cv_std"), std::string::npos) << header;
    const auto column = [](const std::string& line, std::size_t i) {
        std::stringstream ss(line);
        std::string cell;
        for (std::size_t c = 0; c <= i; ++c) std::getline(ss, cell, ',');
        return cell;
    };
    const std::size_t cvColumn = std::size_t(std::count(header.begin(), header.begin() + header.find(",rmse_cv,"), ',') + 1);
    EXPECT_NEAR(std::stod(column(row, cvColumn)), j["path"][0]["rmseCv"].get<double>(),
                1e-9 * j["path"][0]["rmseCv"].get<double>());
    std::filesystem::remove_all(out);
}

// A fresh folder `name` in the temp directory holding lj.data: 42 small LJ structures with reference forces
// (agl data lj, 2 samples per state point). Returns the folder; lj.data is missing when agl failed.
std::string freshLjDataWithForces(const std::string& name, int seed) {
    const auto out = (std::filesystem::temp_directory_path() / name).string();
    std::filesystem::remove_all(out);
    std::filesystem::create_directories(out);
    run("data lj --out " + out + "/lj.data --states small --samples 2 --equilibration 1 --melt 1 --seed " +
        std::to_string(seed));
    return out;
}

// On data with reference forces, every refit's force error on the validation structures is in path.csv and
// path.json; the suggested point's equals what agl predict --forces gives with the exported potential on those
// structures (files read back, an independent pairing of functions and inputs). --no-forces leaves it out.
TEST(SelectCli, ValidationForceErrorOfEveryRefit) {
    if (!std::filesystem::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built";
    const std::string out = freshLjDataWithForces("agl_select_forces", 4);
    const std::string data = out + "/lj.data", nn = std::string(AGL_TEST_DATA) + "/features/lj.nn";
    ASSERT_TRUE(std::filesystem::exists(data));
    const std::string select = "select --data " + data + " --nn " + nn + " --out " + out + "/sel --lambdas 3 "
                               "--epochs-gl 20 --epochs-agl 20 --epochs-refit 20 --batch 8 --lr 5e-3 "
                               "--cost-structures 0 --device cpu";
    ASSERT_EQ(run(select), 0);
    nlohmann::json j;
    std::ifstream(out + "/sel/path.json") >> j;
    ASSERT_FALSE(j["forces"].is_null());
    EXPECT_GT(j["forces"]["referenceRms"].get<double>(), 0.0);
    for (const auto& p : j["path"]) {
        if (p["numFeatures"].get<int>() > 0) {
            EXPECT_GT(p["validationForceRmse"].get<double>(), 0.0) << p.dump();
        }
    }
    ASSERT_FALSE(j["suggested"].is_null());
    const double suggested = j["path"][j["suggested"].get<int>()]["validationForceRmse"].get<double>();

    const Dataset all = readDataset(data);
    const FeatureTable table = computeFeatures(all, readNnSettings(nn), FeatureOptions{});
    Dataset validation;
    for (const std::uint32_t s : splitStructures(table, 0.1, 0.1, 1).validation)  // select's default split
        validation.structures.push_back(all.structures[s]);
    writeDataset(out + "/validation.data", validation, StructureFormat::InputData, false);
    const std::string predict = std::string(AGL_BINARY) + " predict --potential " + out + "/sel/potential --data " +
                                out + "/validation.data --out " + out + "/e.csv --forces " + out + "/f.csv 2> " +
                                out + "/predict.log";
    ASSERT_EQ(std::system(predict.c_str()), 0);
    std::stringstream log;
    log << std::ifstream(out + "/predict.log").rdbuf();
    const std::string key = "force RMSE per component: ";
    const auto at = log.str().find(key);
    ASSERT_NE(at, std::string::npos) << log.str();
    EXPECT_NEAR(std::stod(log.str().substr(at + key.size())), suggested, 1e-5 * suggested) << log.str();

    ASSERT_EQ(run(select + " --force --no-forces"), 0);  // the saved stages, reported again without forces
    std::ifstream(out + "/sel/path.json") >> j;
    EXPECT_TRUE(j["forces"].is_null());
    EXPECT_TRUE(j["path"][0]["validationForceRmse"].is_null());
    std::filesystem::remove_all(out);
}

// On data with reference forces (LJ from agl data lj), evaluate also reports each model's test force RMSE
// and the scale of the reference forces; --no-forces leaves them out and changes nothing else.
TEST(EvaluateCli, TestForceErrorWhenTheDataHaveForces) {
    if (!std::filesystem::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built";
    const std::string out = freshLjDataWithForces("agl_evaluate_forces", 2);
    ASSERT_TRUE(std::filesystem::exists(out + "/lj.data"));
    const std::string evaluate = "evaluate --set " + std::string(AGL_TEST_DATA) + "/hdnnp/lj7/input.nn --data " +
                                 out + "/lj.data --models 2 --restarts 2 --batch 8 --device cpu --json ";
    ASSERT_EQ(run(evaluate + out + "/with.json"), 0);
    ASSERT_EQ(run(evaluate + out + "/without.json --no-forces"), 0);
    nlohmann::json with, without;
    std::ifstream(out + "/with.json") >> with;
    std::ifstream(out + "/without.json") >> without;
    ASSERT_EQ(with["testForceRmse"].size(), 2u) << with.dump();
    for (const auto& f : with["testForceRmse"]) {
        EXPECT_GT(f.get<double>(), 0.0);
        EXPECT_TRUE(std::isfinite(f.get<double>()));
    }
    EXPECT_GT(with["testReferenceForceRms"].get<double>(), 0.0);
    const double mean = (with["testForceRmse"][0].get<double>() + with["testForceRmse"][1].get<double>()) / 2;
    EXPECT_NEAR(with["testForceRmseMean"].get<double>(), mean, 1e-12 * mean);
    EXPECT_FALSE(without.contains("testForceRmse"));
    EXPECT_EQ(with["testRmse"], without["testRmse"]);
    std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace agl
