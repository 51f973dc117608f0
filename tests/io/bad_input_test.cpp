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

// Data sets often keep the reference in other keys (REF_energy, REF_forces) beside a model's energy= and
// forces, plus columns agl does not read. ReadOptions choose the keys and name what to leave out; nothing
// else is dropped, and an energy= or forces beside the chosen ones is an error, not a second reference.
TEST_F(BadStructures, ExtXyzChosenKeysAndDroppedColumns) {
    const std::string line2 = "Lattice=\"4 0 0 0 4 0 0 0 4\" Properties=species:S:1:pos:R:3:magmoms:R:12:"
                              "forces:R:3:REF_forces:R:3 energy=9 REF_energy=-1.5 stress=\"1 2 3\"\n";
    const std::string text = "2\n" + line2 + "Cu 1 1 1 0 0 0 0 0 0 0 0 0 0 0 0 9 9 9 0.1 0.2 0.3\n" +
                             "Cu 2 2 2 1 1 1 1 1 1 1 1 1 1 1 1 9 9 9 -0.1 -0.2 -0.3\n";
    const std::string p = write("ref.xyz", text);
    ReadOptions o;
    o.energyKey = "REF_energy";
    o.forcesKey = "REF_forces";
    o.drop = {"energy", "magmoms", "forces"};
    ASSERT_EQ(readOptionsProblem(o), "");
    Dataset d;
    forEachStructure(p, StructureFormat::ExtXyz, [&](Structure&& s) { d.structures.push_back(std::move(s)); return true; }, o);
    ASSERT_EQ(d.structures.size(), 1u);
    const Structure& s = d.structures[0];
    EXPECT_EQ(s.energy, -1.5);
    EXPECT_EQ(s.forces[1].x, -0.1);
    EXPECT_EQ(s.forces[1].z, -0.3);
    EXPECT_EQ(s.positions[1].x, 2.0);
    ASSERT_EQ(s.metadata.size(), 1u);  // stress is kept; the dropped energy= is not
    EXPECT_EQ(s.metadata[0].first, "stress");

    auto expectRefused = [&](ReadOptions options, const std::string& problem) {
        expectInputError([&] { forEachStructure(p, StructureFormat::ExtXyz, [](Structure&&) { return true; }, options); },
                         p, 2, problem);
    };
    ReadOptions keep = o;
    keep.drop = {"magmoms", "forces"};
    expectRefused(keep, "energy= is given besides REF_energy=");
    keep.drop = {"energy", "forces"};
    expectRefused(keep, "'magmoms:R:12' is not supported");
    keep.drop = {"energy", "magmoms"};
    expectRefused(keep, "property 'forces' is given besides 'REF_forces'");
    ReadOptions plain;
    plain.drop = {"magmoms"};
    expectRefused(plain, "--forces-key REF_forces reads the forces from it");
    plain.drop = {"magmoms", "REF_forces"};
    ASSERT_EQ(readOptionsProblem(plain), "");
    forEachStructure(p, StructureFormat::ExtXyz, [](Structure&& s) {
        EXPECT_EQ(s.energy, 9.0);  // the defaults: energy= and forces
        EXPECT_EQ(s.forces[0].y, 9.0);
        return true;
    }, plain);
    // Without energy=, the error names the keys that may hold it.
    std::string noEnergy = text;
    noEnergy.erase(noEnergy.find(" energy=9"), 9);
    noEnergy.replace(noEnergy.find("REF_energy"), 10, "free_energy");
    const std::string q = write("noenergy.xyz", noEnergy);
    expectInputError([&] { forEachStructure(q, StructureFormat::ExtXyz, [](Structure&&) { return true; }, plain); }, q, 2,
                     "no energy= key (reference energies are required); this frame has free_energy=: --energy-key KEY");
    o.energyKey = "dft_energy";
    expectInputError([&] { forEachStructure(q, StructureFormat::ExtXyz, [](Structure&&) { return true; }, o); }, q, 2,
                     "no dft_energy= key");

    // Options that cannot work are refused before any file is read.
    auto problemOf = [](const std::string& energy, const std::string& forces, std::vector<std::string> drop) {
        ReadOptions r;
        r.energyKey = energy, r.forcesKey = forces, r.drop = std::move(drop);
        return readOptionsProblem(r);
    };
    EXPECT_NE(problemOf("Lattice", "forces", {}), "");
    EXPECT_NE(problemOf("energy", "pos", {}), "");
    EXPECT_NE(problemOf("energy", "forces", {"energy"}), "");
    EXPECT_NE(problemOf("energy", "REF_forces", {"REF_forces"}), "");
    EXPECT_NE(problemOf("energy", "forces", {"species"}), "");
    EXPECT_NE(problemOf("energy", "forces", {""}), "");
    EXPECT_EQ(problemOf("REF_energy", "REF_forces", {"energy", "forces", "charge"}), "");
}

// agl convert takes the keys as options, says what it read and left out, and refuses options that cannot work
// (or that do not apply to input.data) before writing anything.
TEST_F(BadStructures, ConvertWithChosenKeys) {
    const std::string bin = AGL_BINARY;
    if (!fs::exists(bin)) GTEST_SKIP() << "agl binary not built";
    auto run = [&](const std::string& args) {
        return std::system((bin + " convert " + args + " 2>" + path("stderr.txt")).c_str());
    };
    const std::string in = write("ref.xyz", "1\nProperties=species:S:1:pos:R:3:REF_forces:R:3:forces:R:3 "
                                            "energy=9 REF_energy=-1.25\nCu 1 1 1 0.5 0 0 9 9 9\n");
    EXPECT_NE(run(in + " " + path("a.data")), 0);
    EXPECT_NE(read(path("stderr.txt")).find("--forces-key REF_forces"), std::string::npos) << read(path("stderr.txt"));
    EXPECT_FALSE(fs::exists(path("a.data")));
    ASSERT_EQ(run(in + " " + path("a.data") + " --energy-key REF_energy --forces-key REF_forces --drop energy,forces"), 0);
    EXPECT_NE(read(path("stderr.txt")).find("energies from REF_energy=, forces from REF_forces; left out: energy, forces"),
              std::string::npos) << read(path("stderr.txt"));
    const Structure s = readDataset(path("a.data")).structures.at(0);
    EXPECT_EQ(s.energy, -1.25);
    EXPECT_EQ(s.forces[0].x, 0.5);
    for (const std::string& bad : {std::string(" --drop pos"), std::string(" --energy-key Properties")}) {
        EXPECT_NE(run(in + " " + path("b.data") + bad), 0) << bad;
        EXPECT_FALSE(fs::exists(path("b.data")));
    }
    EXPECT_NE(run(path("a.data") + " " + path("b.xyz") + " --energy-key REF_energy"), 0);
    EXPECT_NE(read(path("stderr.txt")).find("apply to extxyz input only"), std::string::npos);
}

// Every command that reads structures takes the same key options (here agl predict, whose energies and
// forces both read the file): the REF-keyed extxyz gives the numbers of its conversion to input.data.
TEST_F(BadStructures, KeyOptionsReachEveryReader) {
    const std::string bin = AGL_BINARY;
    if (!fs::exists(bin)) GTEST_SKIP() << "agl binary not built";
    std::string xyz = "8\nLattice=\"3.2 0 0 0 3.2 0 0 0 3.2\" Properties=species:S:1:pos:R:3:forces:R:3:REF_forces:R:3 "
                      "energy=0 REF_energy=-40.5\n";
    for (int a = 0; a < 8; ++a) {
        const double x = 1.6 * (a & 1) + 0.05 * a, y = 1.6 * ((a >> 1) & 1), z = 1.6 * ((a >> 2) & 1) + 0.02 * a;
        xyz += "Ar " + std::to_string(x) + " " + std::to_string(y) + " " + std::to_string(z) + " 0 0 0 " +
               std::to_string(0.1 * a) + " -0.2 " + std::to_string(0.3 - 0.05 * a) + "\n";
    }
    const std::string in = write("ref.xyz", xyz), keys = " --energy-key REF_energy --forces-key REF_forces --drop energy,forces";
    auto agl = [&](const std::string& args) { return std::system((bin + " " + args + " 2>" + path("stderr.txt")).c_str()); };
    ASSERT_EQ(agl("convert " + in + " " + path("ref.data") + keys), 0) << read(path("stderr.txt"));
    const std::string potential = std::string(AGL_TEST_DATA) + "/hdnnp/lj7";
    auto predict = [&](const std::string& data, const std::string& extra, const std::string& tag) {
        EXPECT_EQ(agl("predict --potential " + potential + " --data " + data + " --out " + path(tag + ".csv") +
                      " --forces " + path(tag + "_f.csv") + extra),
                  0)
            << read(path("stderr.txt"));
        return read(path("stderr.txt"));
    };
    const std::string fromData = predict(path("ref.data"), "", "data");
    const std::string fromXyz = predict(in, keys, "xyz");
    const auto rmse = [](const std::string& log) {
        const std::string key = "force RMSE per component: ";
        const auto at = log.find(key);
        return at == std::string::npos ? std::string("none") : log.substr(at + key.size(), 12);
    };
    EXPECT_NE(rmse(fromData), "none") << fromData;
    EXPECT_EQ(rmse(fromXyz), rmse(fromData)) << fromXyz;
    EXPECT_EQ(read(path("xyz.csv")), read(path("data.csv")));
    EXPECT_NE(agl("predict --potential " + potential + " --data " + in + " --out " + path("plain.csv")), 0);
    EXPECT_NE(read(path("stderr.txt")).find("--forces-key REF_forces reads the forces"), std::string::npos)
        << "without the keys: refused, naming the option";
}
