// Malformed input.data and extended XYZ: each error names the file, the line and the problem; `agl convert`
// then fails and leaves no output file.
#include <cstdlib>

#include "io_test_util.hpp"

using namespace agl;
using namespace agl::test;

namespace {
using BadStructures = TempDir;

const std::string kHead = "begin\nlattice 4.0 0.0 0.0\nlattice 0.0 4.0 0.0\nlattice 0.0 0.0 4.0\n";  // lines 1-4
const std::string kAtoms = "atom 1.0 1.0 1.0 Cu 0.0 0.0 0.1 0.2 0.3\natom 2.0 2.0 2.0 Cu 0.0 0.0 0.1 0.2 0.3\n";
const std::string kTail = "energy -3.5\ncharge 0.0\nend\n";

// Writes `text` as bad.data and expects InputError at `line` mentioning `problem`.
void expectBadData(const TempDir& t, const std::string& text, long line, const std::string& problem) {
    const std::string p = t.write("bad.data", text);
    expectInputError([&] { readDataset(p, StructureFormat::InputData); }, p, line, problem);
}
void expectBadXyz(const TempDir& t, const std::string& text, long line, const std::string& problem) {
    const std::string p = t.write("bad.xyz", text);
    expectInputError([&] { readDataset(p, StructureFormat::ExtXyz); }, p, line, problem);
}
}  // namespace

TEST_F(BadStructures, ValidBaseline) {  // the pieces below are valid together, so each test breaks one thing
    EXPECT_EQ(readDataset(write("ok.data", kHead + kAtoms + kTail)).structures.size(), 1u);
}

TEST_F(BadStructures, TokenThatIsNotANumber) {
    expectBadData(*this, kHead + "atom 1.0 1.0x 1.0 Cu 0.0 0.0 0.1 0.2 0.3\n" + kTail, 5, "'1.0x' is not a number");
    expectBadData(*this, kHead + kAtoms + "energy abc\nend\n", 7, "energy: 'abc' is not a number");
}

TEST_F(BadStructures, WrongTokenCount) {
    expectBadData(*this, kHead + "atom 1.0 1.0 1.0 Cu 0.0 0.1 0.2 0.3\n" + kTail, 5, "has 9 tokens, expected 10");
    expectBadData(*this, "begin\nlattice 4.0 0.0\n", 2, "has 3 tokens, expected 4");
    expectBadData(*this, kHead + kAtoms + "energy 1.0 2.0\nend\n", 7, "has 3 tokens, expected 2");
}

TEST_F(BadStructures, OneOrTwoLatticeLines) {
    expectBadData(*this, "begin\nlattice 4 0 0\n" + kAtoms + kTail, 7, "1 'lattice' line(s); need 0");
    expectBadData(*this, "begin\nlattice 4 0 0\nlattice 0 4 0\n" + kAtoms + kTail, 8, "2 'lattice' line(s)");
    expectBadData(*this, kHead + "lattice 1 1 1\n" + kAtoms + kTail, 5, "more than 3 'lattice' lines");
}

TEST_F(BadStructures, EndWithoutEnergy) {
    expectBadData(*this, kHead + kAtoms + "charge 0.0\nend\n", 8, "'end' without 'energy'");
}

TEST_F(BadStructures, UnknownElement) {
    expectBadData(*this, kHead + "atom 1.0 1.0 1.0 Xx 0.0 0.0 0.1 0.2 0.3\n" + kTail, 5, "unknown element 'Xx'");
}

TEST_F(BadStructures, NanOrInfAnywhere) {
    expectBadData(*this, kHead + "atom 1.0 1.0 1.0 Cu 0.0 0.0 nan 0.2 0.3\n" + kTail, 5, "NaN and Inf are not allowed");
    expectBadData(*this, kHead + kAtoms + "energy inf\nend\n", 7, "'inf': NaN and Inf");
    expectBadData(*this, "begin\nlattice 4 0 0\nlattice 0 -Infinity 0\n", 3, "NaN and Inf");
    expectBadData(*this, kHead + kAtoms + "energy 1\ncharge NAN\nend\n", 8, "NaN and Inf");
}

TEST_F(BadStructures, SingularOrLeftHandedCell) {
    expectBadData(*this, "begin\nlattice 4 0 0\nlattice 0 4 0\nlattice 4 4 0\n" + kAtoms + kTail, 4, "singular cell");
    expectBadData(*this, "begin\nlattice 4 0 0\nlattice 0 4 0\nlattice 0 0 -4\n" + kAtoms + kTail, 4,
                  "left-handed cell");
}

TEST_F(BadStructures, AtomsOnTopOfEachOther) {
    const std::string atoms = "atom 1.0 1.0 1.0 Cu 0 0 0 0 0\natom 2.0 2.0 2.0 Cu 0 0 0 0 0\n"
                              "atom 1.05 1.0 1.0 Cu 0 0 0 0 0\n";
    expectBadData(*this, kHead + atoms + kTail, 7, "atoms 1 and 3 (lines 5 and 7) are 0.05 apart");
    // Across the periodic boundary: x = 3.98 is 0.04 from x = 0.02 through the cell face.
    const std::string images = "atom 0.02 1.0 1.0 Cu 0 0 0 0 0\natom 3.98 1.0 1.0 Cu 0 0 0 0 0\n";
    expectBadData(*this, kHead + images + kTail, 6, "atoms 1 and 2");
}

TEST_F(BadStructures, EmptyFileAndTruncatedStructure) {
    expectBadData(*this, "", 0, "no structures");
    expectBadData(*this, "\n\n", 0, "no structures");
    expectBadData(*this, kHead + kAtoms + kTail + kHead + kAtoms + "energy 1.0\n", 16, "no 'end'");
    expectBadData(*this, kHead + kAtoms + kHead, 7, "'begin' inside the structure that begins at line 1");
    expectBadData(*this, "atom 0 0 0 H 0 0 0 0 0\n", 1, "expected 'begin'");
    expectBadData(*this, "begin set=valid\n", 1, "set=train, set=test");
    expectBadData(*this, "begin\nenergy 1\nend\n", 1, "structure has no atoms");
}

TEST_F(BadStructures, ExtXyzErrors) {
    const std::string props = "Properties=species:S:1:pos:R:3:forces:R:3";
    const std::string atom = "Cu 1 1 1 0 0 0\n";
    expectBadXyz(*this, "1\nLattice=\"4 0 0 0 4 0 0 0 4\" " + props + " energy=1 pbc=\"T T F\"\n" + atom, 2,
                 "partial periodicity");
    expectBadXyz(*this, "1\n" + props + " energy=1 pbc=\"T T T\"\n" + atom, 2, "without a Lattice");
    expectBadXyz(*this, "1\n" + props + "\n" + atom, 2, "no energy= key");
    expectBadXyz(*this, "1\n" + props + " energy=1x\n" + atom, 2, "energy: '1x' is not a number");
    expectBadXyz(*this, "2\n" + props + " energy=1\n" + atom, 3, "end of file after 1 of 2 atoms");
    expectBadXyz(*this, "1\n" + props + " energy=1\nCu 1 1 1 0 0\n", 3, "atom line has 6 columns");
    expectBadXyz(*this, "1\n" + props + " energy=1\nCu 1 nan 1 0 0 0\n", 3, "NaN and Inf");
    expectBadXyz(*this, "1\n" + props + ":magmoms:R:1 energy=1\nCu 1 1 1 0 0 0 1\n", 2,
                 "per-atom property 'magmoms:R:1' is not supported");
    expectBadXyz(*this, "1\nProperties=species:S:1:pos:R:3 energy=1\nCu 1 1 1\n", 2, "no forces:R:3");
    expectBadXyz(*this, "one\n", 1, "'one' is not an integer");
    expectBadXyz(*this, "1\n" + props + " energy=1 comment=\"open\n" + atom, 2, "unterminated quoted value");
    expectBadXyz(*this, "1\nLattice=\"4 0 0 0 4 0 0 0\" " + props + " energy=1\n" + atom, 2, "8 numbers, expected 9");
    expectBadXyz(*this, "1\nLattice=\"0 4 0 4 0 0 0 0 4\" " + props + " energy=1\n" + atom, 2, "left-handed");
    expectBadXyz(*this, "", 0, "no structures");
}

// The CLI turns each of these into a non-zero exit and leaves no output (not even a temporary).
TEST_F(BadStructures, ConvertFailsWithoutOutput) {
    const std::string bin = AGL_BINARY;
    if (!fs::exists(bin)) GTEST_SKIP() << "agl binary not built";
    auto run = [&](const std::string& args) {
        return std::system((bin + " convert -q " + args + " 2>" + path("stderr.txt")).c_str());
    };
    const std::string good = write("good.data", kHead + kAtoms + kTail);
    const std::vector<std::string> bad = {
        kHead + "atom 1.0 1.0 1.0 Cu 0.0 0.1 0.2 0.3\n" + kTail,      // 9 tokens
        kHead + kAtoms + kTail + kHead + kAtoms,                        // truncated second structure
        kHead + kAtoms + "energy nan\nend\n",                           // NaN
        "",                                                             // empty
    };
    for (const std::string& text : bad) {
        const std::string in = write("bad.data", text), out = path("out.xyz");
        EXPECT_NE(run(in + " " + out), 0);
        EXPECT_FALSE(fs::exists(out));
        EXPECT_NE(read(path("stderr.txt")).find(in), std::string::npos) << read(path("stderr.txt"));
        fs::remove(in);
    }
    EXPECT_EQ(filesInDir(), 2u);  // good.data and stderr.txt: no temporaries left
    // Success, then refusal to overwrite without --force, then --force.
    const std::string out = path("good.xyz");
    EXPECT_EQ(run(good + " " + out), 0);
    const std::string first = read(out);
    EXPECT_EQ(first, toText(readDataset(good), StructureFormat::ExtXyz));
    write("other.data", kHead + "atom 3 3 3 Cu 0 0 0 0 0\n" + kTail);
    EXPECT_NE(run(path("other.data") + " " + out), 0);
    EXPECT_EQ(read(out), first);
    EXPECT_EQ(run(path("other.data") + " " + out + " --force"), 0);
    EXPECT_NE(read(out), first);
    EXPECT_EQ(run(out + " " + path("back.dat") + " --format-out n2p2"), 0);
    EXPECT_EQ(read(path("back.dat")), toText(readDataset(path("other.data")), StructureFormat::InputData));
    EXPECT_NE(run(good + " " + path("x.out") + " --format-in cif"), 0);
    EXPECT_FALSE(fs::exists(path("x.out")));
}
