// `agl filter` end to end on the small Si/O fixture (tests/data/filters/sio.data, sio.nn): the picks in
// selected.json equal the library's picks on the same features computed in-process, selected.nn reads back
// with exactly the selected functions, noise columns are flagged and kept out of selected.nn, and existing
// output is not overwritten without --force. Skips when the agl binary has not been built.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "agl/features.hpp"
#include "agl/filters.hpp"
#include "agl/io.hpp"
#include "agl/noise_features.hpp"

namespace fs = std::filesystem;
using namespace agl;

namespace {

const std::string kData = std::string(AGL_TEST_DATA) + "/filters/sio.data";
const std::string kNn = std::string(AGL_TEST_DATA) + "/filters/sio.nn";

fs::path freshDir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("agl_filter_test_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    return dir;
}

int runAgl(const std::string& args) {
    const std::string cmd = std::string(AGL_BINARY) + " filter " + args + " -q > /dev/null 2>&1";
    return std::system(cmd.c_str());
}

nlohmann::json readJson(const fs::path& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

class FilterCli : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built: " << AGL_BINARY;
    }
};

}  // namespace

TEST_F(FilterCli, PicksMatchTheLibraryAndSettingsReadBack) {
    const fs::path out = freshDir("cur");
    ASSERT_EQ(runAgl("--method cur --n 4 --preprocess center --data " + kData + " --nn " + kNn + " --out " +
                     out.string()),
              0);
    const nlohmann::json j = readJson(out / "selected.json");
    EXPECT_EQ(j["method"], "cur");
    EXPECT_EQ(j["preprocess"], "center");

    const NnSettings settings = readNnSettings(kNn);
    const FeatureTable table = computeFeatures(readDataset(kData), settings, FeatureOptions{});
    filters::FilterOptions o;
    o.method = filters::Method::Cur;
    o.preprocess = filters::Preprocess::Center;
    o.n = 4;
    ASSERT_EQ(j["elements"].size(), table.elements.size());
    std::multiset<std::string> wantLines;
    for (std::size_t e = 0; e < table.elements.size(); ++e) {
        const ElementFeatures& ef = table.elements[e];
        const auto run = filters::runFilter(ef.values.data(), ef.numAtoms(), ef.numFunctions(), o);
        const nlohmann::json& je = j["elements"][e];
        EXPECT_EQ(je["Z"], ef.element);
        ASSERT_EQ(je["selected"].size(), run.selection.picks.size());
        for (std::size_t i = 0; i < run.selection.picks.size(); ++i) {
            EXPECT_EQ(je["selected"][i]["index"], run.selection.picks[i]);
            EXPECT_EQ(je["selected"][i]["n2p2Index"], run.selection.picks[i] + 1);
            EXPECT_NEAR(je["selected"][i]["score"].get<double>(), run.selection.scores[i], 1e-12);
            wantLines.insert(ef.functions[static_cast<std::size_t>(run.selection.picks[i])].settingsLine());
        }
    }
    const NnSettings selected = readNnSettings((out / "selected.nn").string());
    std::multiset<std::string> gotLines;
    for (const SymmetryFunction& sf : selected.functions) gotLines.insert(sf.settingsLine());
    EXPECT_EQ(gotLines, wantLines);
    EXPECT_EQ(selected.elements, settings.elements);
    EXPECT_TRUE(fs::exists(out / "selected.txt"));

    // no overwrite without --force; with --force it succeeds
    EXPECT_NE(runAgl("--method cur --n 4 --data " + kData + " --nn " + kNn + " --out " + out.string()), 0);
    EXPECT_EQ(runAgl("--method fps --n 3 --data " + kData + " --nn " + kNn + " --out " + out.string() + " --force"), 0);
    EXPECT_EQ(readJson(out / "selected.json")["method"], "fps");
    fs::remove_all(out);
}

TEST_F(FilterCli, NoiseFeaturesAreFlaggedAndLeftOutOfSettings) {
    const fs::path out = freshDir("noise");
    // CUR on z-scored columns with many noise columns: noise is independent of everything, so some is picked
    ASSERT_EQ(runAgl("--method cur --n 10 --data " + kData + " --nn " + kNn + " --out " + out.string() +
                     " --add-noise-features 6 --seed 5"),
              0);
    const nlohmann::json j = readJson(out / "selected.json");
    EXPECT_EQ(j["noiseFeatures"]["perElement"], 6);
    std::size_t realPicked = 0, noisePicked = 0;
    for (const auto& e : j["elements"]) {
        EXPECT_EQ(e["numFunctions"], 16);
        for (const auto& p : e["selected"]) {
            const bool noise = p["noise"].get<bool>();
            EXPECT_EQ(noise, p["index"].get<int>() >= 10);
            (noise ? noisePicked : realPicked)++;
        }
    }
    EXPECT_GT(noisePicked, 0u);
    EXPECT_EQ(readNnSettings((out / "selected.nn").string()).functions.size(), realPicked);
    fs::remove_all(out);
}

TEST_F(FilterCli, OneLetterLongOptionsAndBadInput) {
    const fs::path out = freshDir("opts");
    EXPECT_EQ(runAgl("--method cur --n=3 --k 2 --data " + kData + " --nn " + kNn + " --out " + out.string()), 0);
    const nlohmann::json j = readJson(out / "selected.json");
    EXPECT_EQ(j["cur"]["k"], 2);
    EXPECT_EQ(j["elements"][0]["selected"].size(), 3u);
    EXPECT_NE(runAgl("--method lasso --n 3 --data " + kData + " --nn " + kNn + " --out " + out.string() + "x"), 0);
    EXPECT_NE(runAgl("--method pc --n 3 --data " + kData + " --nn " + kNn + " --out " + out.string() +
                     "y --start 99"),
              0);
    EXPECT_FALSE(fs::exists(fs::path(out.string() + "y") / "selected.json"));
    fs::remove_all(out);
    fs::remove_all(out.string() + "x");
    fs::remove_all(out.string() + "y");
}
