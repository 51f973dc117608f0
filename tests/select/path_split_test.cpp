// The split record of path.json (agl/select/path_split.hpp): written, read back, and the check that a set is
// judged on structures its selection held out.
#include "agl/select/path_split.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "agl/error.hpp"
#include "agl/train/training_data.hpp"
#include "ground_truth.hpp"

namespace agl {
namespace {

namespace fs = std::filesystem;

struct SplitFiles : ::testing::Test {
    fs::path dir = fs::temp_directory_path() / ("agl_path_split_" + std::to_string(::getpid()));
    FeatureTable table = testing::groundTruthTable(60);
    void SetUp() override { fs::create_directories(dir); }
    void TearDown() override { fs::remove_all(dir); }
    std::string write(const nlohmann::json& j) const {
        const std::string p = (dir / "path.json").string();
        std::ofstream(p) << j.dump();
        return p;
    }
};

TrainerConfig splitConfig(std::uint64_t seed, double validation, double test) {
    TrainerConfig c;
    c.splitSeed = seed;
    c.validationFraction = validation;
    c.testFraction = test;
    return c;
}

TEST_F(SplitFiles, RoundTripKeepsTheHeldOutStructures) {
    const PathSplit s = pathSplit(table, splitConfig(3, 0.1, 0.2));
    EXPECT_EQ(s.test, splitStructures(table, 0.1, 0.2, 3).test);
    EXPECT_EQ(s.test.size(), 12u);
    const std::optional<PathSplit> back = readPathSplit(write({{"split", pathSplitJson(s)}}));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->test, s.test);
    EXPECT_EQ(back->seed, 3u);
    EXPECT_EQ(back->numStructures, 60u);
    EXPECT_DOUBLE_EQ(back->testFraction, 0.2);
}

TEST_F(SplitFiles, AbsentFileOrRecordIsNoSplit) {
    EXPECT_FALSE(readPathSplit((dir / "nothing.json").string()));
    EXPECT_FALSE(readPathSplit(write({{"path", nlohmann::json::array()}})));  // an agl before the record
}

TEST_F(SplitFiles, MalformedRecordNamesTheFile) {
    nlohmann::json good = pathSplitJson(pathSplit(table, splitConfig(1, 0.1, 0.1)));
    for (const auto& change : {std::pair<const char*, nlohmann::json>{"test", {5, 3}},
                               {"test", {3, 3}},
                               {"test", {60}},
                               {"seed", "one"}}) {
        nlohmann::json bad = good;
        bad[change.first] = change.second;
        const std::string p = write({{"split", bad}});
        try {
            readPathSplit(p);
            ADD_FAILURE() << bad.dump();
        } catch (const InputError& e) {
            EXPECT_EQ(e.file(), p);
        }
    }
}

const std::string kCompare = "compare --split-seed";  // the judging command the sentences complete

// compare's defaults (split seed 1, test 0.1) against a selection with the same split: nothing to say; against
// select's old default (test 0): every test structure was a validation structure of the selection.
TEST_F(SplitFiles, TestStructuresTheSelectionUsedAreCounted) {
    const std::vector<std::uint32_t> compareTest = splitStructures(table, 0.1, 0.1, 1).test;
    ASSERT_EQ(compareTest.size(), 6u);
    const auto problem = [&](const PathSplit& selection, std::size_t numStructures = 60) {
        return testSetProblem("AGL", "p.json", selection, compareTest, numStructures, kCompare);
    };
    EXPECT_EQ(problem(pathSplit(table, splitConfig(1, 0.1, 0.1))), "");
    EXPECT_EQ(problem(pathSplit(table, splitConfig(1, 0.2, 0.1))), "")
        << "the validation share does not change the test set";
    const std::string used = problem(pathSplit(table, splitConfig(1, 0.1, 0.0)));
    EXPECT_EQ(used.rfind("6 of the 6 test structures were used by the selection of AGL (p.json: select --seed 1 "
                         "--test-fraction 0)", 0), 0u) << used;
    EXPECT_NE(used.find("held out no structure: run select again"), std::string::npos) << used;
    // Another seed: some of compare's test structures happen to be held out by the selection too.
    const PathSplit other = pathSplit(table, splitConfig(9, 0.1, 0.5));
    std::size_t expected = 0;
    for (std::uint32_t s : compareTest) expected += !std::binary_search(other.test.begin(), other.test.end(), s);
    ASSERT_GT(expected, 0u);
    ASSERT_LT(expected, 6u) << "choose a seed whose test sets overlap in part";
    const std::string some = problem(other);
    EXPECT_EQ(some.rfind(std::to_string(expected) + " of the 6", 0), 0u) << some;
    EXPECT_NE(some.find("compare --split-seed 9 --test-fraction 0.5 tests on the structures it held out"),
              std::string::npos) << some;
    EXPECT_NE(problem(other, 61).find("selected on 60 structures"), std::string::npos);
}

TEST_F(SplitFiles, SetFileBesideItsPathJson) {
    // The judging command's test set, as compare and evaluate draw it.
    const auto judged = [&](std::uint64_t seed, double validation, double testFraction) {
        return splitStructures(table, validation, testFraction, seed).test;
    };
    const std::string set = (dir / "selected.nn").string();
    const std::size_t n = table.numStructures();
    EXPECT_EQ(selectionTestSetProblem("AGL", set, judged(1, 0.1, 0.1), n, kCompare), "") << "no path.json yet";
    write({{"split", pathSplitJson(pathSplit(table, splitConfig(1, 0.1, 0.0)))}});
    const std::string w = selectionTestSetProblem("AGL", set, judged(1, 0.1, 0.1), n, kCompare);
    EXPECT_NE(w.find((dir / "path.json").string()), std::string::npos) << w;
    EXPECT_EQ(selectionTestSetProblem("AGL", set, judged(1, 0.1, 0.0), n, kCompare), "")
        << "test fraction 0: nothing to judge on, nothing used";
}

}  // namespace
}  // namespace agl
