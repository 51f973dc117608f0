// Structures and symmetry functions remember where they were read (file and 1-based line), so that a problem
// found after reading (a cell the neighbour search refuses) still names the line the user has to fix; and a
// command refused that way leaves no empty output folder behind.
#include <cstdlib>

#include <sys/wait.h>

#include "agl/features.hpp"
#include "io_test_util.hpp"

using namespace agl;
using namespace agl::test;

namespace {
using SourceLines = TempDir;

// Two structures: the first begins at line 1, the second at line 10; with `thin`, the second's b and c are
// 0.2 long.
std::string twoStructures(bool thin) {
    const std::string atoms =
        "atom 0.0 0.0 0.0 H 0 0 0 0 0\natom 2.5 0.0 0.0 H 0 0 0 0 0\nenergy -1.0\ncharge 0\nend\n";
    const std::string bc = thin ? "lattice 0 0.2 0\nlattice 0 0 0.2\n" : "lattice 0 5.0 0\nlattice 0 0 5.0\n";
    const std::string cube = "lattice 5.0 0 0\nlattice 0 5.0 0\nlattice 0 0 5.0\n";
    return "begin\n" + cube + atoms + "begin\nlattice 5.0 0 0\n" + bc + atoms;
}

// The widest function (rc 100: a cutoff typed in the wrong unit) is on line 8, after a narrower one that
// n2p2's order puts first.
const std::string kSettings =
    "number_of_elements 1\nelements H\ncutoff_type 6\nglobal_hidden_layers_short 1\nglobal_nodes_short 2\n"
    "global_activation_short t l\n"
    "symfunction_short H 2 H 0.2 0.0 3.0\n"
    "symfunction_short H 2 H 0.1 0.0 100.0\n";
}  // namespace

TEST_F(SourceLines, StructuresKnowTheirFirstLine) {
    const std::string p = write("two.data", twoStructures(false));
    const Dataset data = readDataset(p, StructureFormat::InputData);
    EXPECT_EQ(data.source, p);
    ASSERT_EQ(data.structures.size(), 2u);
    EXPECT_EQ(data.structures[0].sourceLine, 1);
    EXPECT_EQ(data.structures[1].sourceLine, 10);

    const std::string frame =
        "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.0 pbc=\"T T T\"\n"
        "H 0 0 0 0 0 0\nH 2.5 0 2.5 0 0 0\n";
    const std::string x = write("two.xyz", "\n" + frame + frame);
    const Dataset xyz = readDataset(x, StructureFormat::ExtXyz);
    ASSERT_EQ(xyz.structures.size(), 2u);
    EXPECT_EQ(xyz.structures[0].sourceLine, 2);  // the atom count; line 1 is blank
    EXPECT_EQ(xyz.structures[1].sourceLine, 6);
}

TEST_F(SourceLines, FunctionsKeepTheirLineThroughTheSort) {
    const std::string p = write("input.nn", kSettings);
    const NnSettings settings = readNnSettings(p);
    EXPECT_EQ(settings.source, p);
    ASSERT_EQ(settings.functions.size(), 2u);
    EXPECT_EQ(settings.functions[0].rc, 3.0);
    EXPECT_EQ(settings.functions[0].sourceLine, 7);
    EXPECT_EQ(settings.functions[1].rc, 100.0);
    EXPECT_EQ(settings.functions[1].sourceLine, 8);
}

// A cell far thinner than the cutoff is refused by the neighbour search, after reading: the error names the
// data file and the line where that structure begins, and the input.nn line of the function that sets the
// cutoff.
TEST_F(SourceLines, RefusedStructureNamesBothFilesAndLines) {
    const std::string data = write("thin.data", twoStructures(true));
    const std::string nn = write("input.nn", kSettings);
    const NnSettings settings = readNnSettings(nn);
    expectInputError([&] { computeFeatures(readDataset(data, StructureFormat::InputData), settings, {}); }, data,
                     10, "structure 2: periodic cell too thin for the neighbour cutoff 100");
    try {
        computeFeatures(readDataset(data, StructureFormat::InputData), settings, {});
        ADD_FAILURE() << "a cell of heights 5, 0.2, 0.2 was accepted with rc 100";
    } catch (const InputError& e) {
        EXPECT_NE(e.problem().find("(the cutoff is that of " + nn + ":8 `symfunction_short H 2 H"), std::string::npos)
            << e.problem();
    }
}

// An element without symmetry functions is refused before any work, at the structure that has it.
TEST_F(SourceLines, ElementWithoutFunctionsNamesItsStructure) {
    std::string text = twoStructures(false);
    text.replace(text.rfind(" H "), 3, " O ");  // the second structure's second atom
    const std::string data = write("oxygen.data", text);
    const std::string nn = write("input.nn", kSettings);
    expectInputError([&] { computeFeatures(readDataset(data, StructureFormat::InputData), readNnSettings(nn), {}); },
                     data, 10, "structure 2: atom 2 is O, an element " + nn + " has no symmetry functions for");
}

// A command refused for its input leaves no output folder it made (nor the missing parents it made with it);
// a folder the user had already made is kept, empty or not.
TEST_F(SourceLines, RefusedCommandLeavesNoEmptyOutputFolder) {
    const std::string bin = AGL_BINARY;
    if (!fs::exists(bin)) GTEST_SKIP() << "agl binary not built";
    const std::string data = write("two.data", twoStructures(true)), nn = write("input.nn", kSettings);
    const auto refused = [&](const std::string& command, const std::string& out) {
        const std::string cmd = bin + " " + command + " -q --data " + data + " --nn " + nn + " --out " + out +
                                " 2>" + path("stderr.txt");
        EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 1) << cmd;
        EXPECT_NE(read(path("stderr.txt")).find("two.data:10: structure 2: "), std::string::npos)
            << read(path("stderr.txt"));
    };
    refused("features", path("made/features"));
    EXPECT_FALSE(fs::exists(path("made"))) << "the missing parent too";
    refused("select", path("selection"));
    EXPECT_FALSE(fs::exists(path("selection")));
    fs::create_directories(path("mine"));
    refused("features", path("mine"));
    EXPECT_TRUE(fs::is_directory(path("mine"))) << "the user's own folder";
    // The same data without the thin cell: the output is written.
    const std::string good = write("one.data", twoStructures(false));
    const std::string ok = bin + " features -q --data " + good + " --nn " + nn + " --out " + path("made/features");
    ASSERT_EQ(std::system(ok.c_str()), 0);
    EXPECT_TRUE(fs::exists(path("made/features/features.json")));
}
