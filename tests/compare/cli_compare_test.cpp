// `agl compare` end to end on the tiny LJ data: the files, one CSV line per set with the right N and N_G5,
// the noise column, and no overwrite without --force. Skips when the agl binary is not built.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "agl/io.hpp"
#include "agl/select/path_split.hpp"
#include "compare_fixtures.hpp"

namespace agl {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> readCsv(const fs::path& p) {
    std::ifstream in(p);
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::string cell;
        bool quoted = false;
        for (char c : line) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) cells.push_back(cell), cell.clear();
            else cell += c;
        }
        cells.push_back(cell);
        rows.push_back(cells);
    }
    return rows;
}

TEST(CompareCli, TableFilesAndNoOverwrite) {
    if (!fs::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built: " << AGL_BINARY;
    const fs::path dir = fs::temp_directory_path() / ("agl_compare_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "sel");
    const Dataset tiny = testing::tinyLjData();
    writeDataset((dir / "tiny.data").string(), tiny, StructureFormat::InputData, false);
    NnSettings s = testing::ljCandidates();
    NnSettings sel = s;
    sel.functions = {s.functions[0], s.functions[6], s.functions[7], s.functions[14]};
    writeNnSettings((dir / "sel" / "selected.nn").string(), sel, false);
    // Beside the set, the split record of a selection that held out no structure (select --test-fraction 0):
    // compare's test structures all chose the set, which the report must say.
    PathSplit heldNothing;
    heldNothing.seed = 1;
    heldNothing.validationFraction = 0.1;
    heldNothing.numStructures = tiny.structures.size();
    std::ofstream(dir / "sel" / "path.json") << nlohmann::json{{"split", pathSplitJson(heldNothing)}}.dump();
    const std::string nn = std::string(AGL_TEST_DATA) + "/features/lj.nn";
    const std::string out = (dir / "out").string();
    const std::string cmd = std::string(AGL_BINARY) + " compare -q --data " + (dir / "tiny.data").string() +
                            " --nn " + nn + " --out " + out + " --sets all,agl:" + (dir / "sel" / "selected.nn").string() +
                            ",pc,cur,fps --add-noise-features 2 --models 2 --restarts 1 --batch-size 4 "
                            "--test-fraction 0.25 --cost-structures 1 --cost-seconds 0 --energy-unit eps --device cpu > " +
                            (dir / "stdout.txt").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    for (const char* f : {"compare.md", "compare.csv", "sets/AGL.nn", "sets/PC.nn", "sets/all.nn"})
        EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;
#if defined(AGL_HAVE_CAIRO)  // figures need cairo
    for (const char* f : {"compare_box.png", "selection_matrix.png"}) EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;
#endif
    const auto csv = readCsv(fs::path(out) / "compare.csv");
    ASSERT_EQ(csv.size(), 6u) << "header + 5 sets";
    EXPECT_EQ(csv[0][0], "set");
    const std::vector<std::string> names{"all", "AGL", "PC", "CUR", "FPS"};
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(csv[i + 1][0], names[i]);
    EXPECT_EQ(csv[1][2], "24") << "22 candidates + 2 noise columns";
    EXPECT_EQ(csv[1][3], "10");
    EXPECT_EQ(csv[1][4], "2");
    EXPECT_EQ(csv[2][2], "4");
    EXPECT_EQ(csv[2][3], "1");
    for (std::size_t i = 3; i <= 5; ++i) EXPECT_EQ(csv[i][2], "4") << "filters at the AGL size: " << csv[i][0];
    ASSERT_GE(csv[0].size(), 14u);
    EXPECT_EQ(csv[0][13], "cost_ratio");
    EXPECT_EQ(csv[1][13], "1") << "cost ratio of all";
    ASSERT_GE(csv[0].size(), 16u);
    EXPECT_EQ(csv[0][14], "radial_terms");
    EXPECT_EQ(csv[0][15], "angular_terms");
    for (std::size_t i = 2; i <= 5; ++i)
        EXPECT_LE(std::stod(csv[i][15]), std::stod(csv[1][15])) << "a subset counts no more angular terms: " << csv[i][0];
    // Test force error: for every set without noise columns (the data carry LJ forces), none for "all".
    const std::size_t force =
        std::size_t(std::find(csv[0].begin(), csv[0].end(), "force_rmse_mean") - csv[0].begin());
    ASSERT_LT(force + 3, csv[0].size());
    EXPECT_EQ(csv[0][force + 3], "reference_force_rms");
    EXPECT_EQ(csv[1][force], "") << "all holds the noise columns";
    EXPECT_GT(std::stod(csv[2][force]), 0.0) << "AGL";
    EXPECT_GT(std::stod(csv[2][force + 3]), 0.0) << "the reference forces' RMS";
    std::ifstream md(fs::path(out) / "compare.md");
    std::stringstream text;
    text << md.rdbuf();
    EXPECT_NE(text.str().find("noise kept"), std::string::npos);
    EXPECT_NE(text.str().find(" eps/atom) |"), std::string::npos) << "--energy-unit names the unit: " << text.str();
    EXPECT_NE(text.str().find("| AGL | 4 | 1 |"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find("| counted / all |"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find(" eps/atom) | test force RMSE |"), std::string::npos) << text.str();
    EXPECT_NE(text.str().find("| 1.00 | 1.00 |\n| AGL"), std::string::npos) << "all: both ratios 1: " << text.str();
    const std::string quarter = std::to_string(tiny.structures.size() / 4);  // --test-fraction 0.25
    const std::string used = "- **warning:** " + quarter + " of the " + quarter +
                             " test structures were used by the selection of AGL (" +
                             (dir / "sel" / "path.json").string() + ": select --seed 1 --test-fraction 0)";
    EXPECT_NE(text.str().find(used), std::string::npos) << text.str();
    EXPECT_EQ(text.str().find("selection of PC"), std::string::npos) << "a filter set has no selection to check";

    // A second run into the same folder is refused without --force.
    EXPECT_NE(std::system((cmd + " 2> " + (dir / "stderr.txt").string()).c_str()), 0);
    // A run killed while it wrote its outputs (compare.md, which marks the run complete, comes last): the rerun
    // writes them again from the saved sets, without --force.
    fs::remove(fs::path(out) / "compare.md");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_TRUE(fs::exists(fs::path(out) / "compare.md"));
    const auto rewritten = readCsv(fs::path(out) / "compare.csv");
    ASSERT_EQ(rewritten.size(), csv.size());
    for (std::size_t r = 0; r < csv.size(); ++r)  // the saved results (the cost columns are timed again)
        EXPECT_TRUE(rewritten[r][6] == csv[r][6] && rewritten[r].back() == csv[r].back()) << "row " << r;
    // --force rewrites the outputs from the saved sets (OUT/state/); --restart trains them again.
    ASSERT_EQ(csv[0][6], "test_rmse_mean");
    const fs::path saved = fs::path(out) / "state" / "set_1.json";
    ASSERT_TRUE(fs::exists(saved));
    std::stringstream state;
    state << std::ifstream(saved).rdbuf();
    std::string marked = state.str();
    const auto at = marked.find("\"testRmse\":[");  // both models' test errors → a mean of 12345
    ASSERT_NE(at, std::string::npos) << marked;
    marked.replace(at, marked.find(']', at) + 1 - at, "\"testRmse\":[12345.0,12345.0]");
    std::ofstream(saved) << marked;
    ASSERT_EQ(std::system((cmd + " --force").c_str()), 0);
    EXPECT_EQ(readCsv(fs::path(out) / "compare.csv")[2][6], "12345") << "AGL's saved result was not reused";
    EXPECT_EQ(readCsv(fs::path(out) / "compare.csv")[2][force], csv[2][force]) << "the saved force error";
    // A set saved without its force error (as by a --no-forces run) has none on a rerun that measures forces:
    // the rerun says so, naming the file to remove.
    std::stringstream withForces;
    withForces << std::ifstream(saved).rdbuf();
    nlohmann::json j = nlohmann::json::parse(withForces.str());
    ASSERT_EQ(j.erase("testForceRmse") + j.erase("referenceForceRms"), 2u) << withForces.str();
    std::ofstream(saved) << j.dump() << "\n";
    std::string loud = cmd;
    loud.replace(loud.find(" -q "), 4, " ");
    ASSERT_EQ(std::system((loud + " --force 2> " + (dir / "stderr.txt").string()).c_str()), 0);
    EXPECT_EQ(readCsv(fs::path(out) / "compare.csv")[2][force], "");
    std::stringstream warned;
    warned << std::ifstream(dir / "stderr.txt").rdbuf();
    EXPECT_NE(warned.str().find("set_1.json was saved without the test force error"), std::string::npos)
        << warned.str();
    EXPECT_EQ(warned.str().find("set_2.json was saved without"), std::string::npos) << warned.str();
    ASSERT_EQ(std::system((cmd + " --force --restart").c_str()), 0);
    EXPECT_EQ(readCsv(fs::path(out) / "compare.csv")[2][6], csv[2][6]) << "--restart must train again, as at first";
    ASSERT_EQ(std::system((cmd + " --force --models 3 2> " + (dir / "stderr.txt").string()).c_str()) == 0, false)
        << "other settings in the same state";
    std::stringstream err;
    err << std::ifstream(dir / "stderr.txt").rdbuf();
    EXPECT_NE(err.str().find("state/config.json"), std::string::npos) << err.str();

    // --match cost: the filters sized by the AGL set's counted cost instead of its N; wrong uses are refused
    // before anything is discarded.
    const std::string quiet = " 2> " + (dir / "stderr.txt").string();
    EXPECT_NE(std::system((cmd + " --force --restart --match size" + quiet).c_str()), 0);
    EXPECT_NE(std::system((cmd + " --force --restart --match cost --n 2" + quiet).c_str()), 0);
    EXPECT_NE(std::system((cmd + " --force --restart --match cost --cost-structures 0" + quiet).c_str()), 0);
    EXPECT_TRUE(fs::exists(fs::path(out) / "state" / "set_1.json")) << "a refused option discards nothing";
    ASSERT_EQ(std::system((cmd + " --force --restart --match cost").c_str()), 0);
    const auto matched = readCsv(fs::path(out) / "compare.csv");
    const std::size_t counted =
        std::size_t(std::find(matched[0].begin(), matched[0].end(), "counted_cost") - matched[0].begin());
    ASSERT_LT(counted, matched[0].size());
    ASSERT_EQ(matched[2][0], "AGL");
    for (std::size_t i = 3; i <= 5; ++i) {
        EXPECT_LE(std::stod(matched[i][counted]), std::stod(matched[2][counted])) << matched[i][0];
        EXPECT_NE(matched[i][1].find("at the counted cost of AGL"), std::string::npos) << matched[i][1];
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace agl
