// The LJ data generator: protocol presets, what a sample contains, identical files for the same seed (any
// thread count), resumable part files, and the `agl data lj` command.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>  // getpid: per-process temporary folders

#include "agl/error.hpp"
#include "agl/io.hpp"
#include "agl/md/lj_data.hpp"
#include "md/lj_reference.hpp"

using namespace agl;
using namespace agl::md;
namespace fs = std::filesystem;

namespace {

// Two runs (one crystal, one melted start) with very short times: seconds of test time, same code paths.
LjProtocol tinyProtocol() {
    LjProtocol p = ljProtocol("small");
    p.name = "tiny";
    p.states = {{1.5, 1.1, false}, {1.0, 0.9, true}};
    p.meltTime = 0.05;
    p.equilibrationTime = 0.05;
    p.samplesPerState = 3;
    p.sampleInterval = 20;
    return p;
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name)
        : path(fs::temp_directory_path() / ("agl_md_" + name + "_" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string operator/(const std::string& f) const { return (path / f).string(); }
};

}  // namespace

TEST(LjProtocol, PaperAndSmallPresets) {
    LjProtocol paper = ljProtocol("paper");
    EXPECT_EQ(paper.states.size(), 21u);
    EXPECT_EQ(paper.numStructures(), 27993u);  // the paper's "28 000": 21 × 1333
    EXPECT_EQ(paper.sampleInterval, 300);
    EXPECT_DOUBLE_EQ(paper.timeStep, 0.001);
    EXPECT_DOUBLE_EQ(paper.equilibrationTime, 500.0);
    EXPECT_DOUBLE_EQ(paper.lj.cutoff, 2.8);
    EXPECT_FALSE(paper.lj.shift);
    std::set<std::string> labels;
    int molten = 0;
    for (const auto& s : paper.states) {
        labels.insert(s.label());
        EXPECT_GE(s.temperature, 0.5);
        EXPECT_LE(s.temperature, 1.5);
        EXPECT_GE(s.density, 0.9);
        EXPECT_LE(s.density, 1.1);
        molten += s.molten;
    }
    EXPECT_EQ(labels.size(), 21u);
    EXPECT_EQ(molten, 6);
    LjProtocol small = ljProtocol("small");
    EXPECT_EQ(small.numStructures(), 336u);
    EXPECT_NE(small.describe(), paper.describe());
    EXPECT_THROW(ljProtocol("huge"), InputError);
}

// Every sample: 256 atoms wrapped in the box of the state's density, charge 0, energy and forces equal to an
// independent pair loop on the written positions, a comment naming the run and the sample.
TEST(LjData, SamplesCarryExactLjEnergiesAndForces) {
    LjProtocol p = tinyProtocol();
    for (std::size_t k = 0; k < p.states.size(); ++k) {
        int n = 0;
        runLjStatePoint(p, k, 5, [&](Structure&& s) {
            ++n;
            ASSERT_EQ(s.numAtoms(), 256u);
            ASSERT_TRUE(s.periodic);
            const double L = s.cell[0].x;
            EXPECT_NEAR(256 / (L * L * L), p.states[k].density, 1e-12);
            for (const auto& r : s.positions)
                for (int d = 0; d < 3; ++d) EXPECT_TRUE(r[d] >= 0 && r[d] < L);
            mdtest::LjResult ref = mdtest::minimumImageLj(s, 2.8);
            EXPECT_NEAR(s.energy, ref.energy, 1e-10 * std::abs(ref.energy));
            EXPECT_LE(mdtest::maxDiff(s.forces, ref.forces), 1e-10 * mdtest::maxNorm(ref.forces));
            EXPECT_EQ(s.charge, 0.0);
            EXPECT_NE(s.comment.find(p.states[k].label()), std::string::npos);
            EXPECT_NE(s.comment.find("sample " + std::to_string(n) + "/3"), std::string::npos);
            EXPECT_EQ(s.elements[0], 18);
        });
        EXPECT_EQ(n, 3);
    }
}

TEST(LjData, SameSeedSameFileForAnyThreadCount) {
    TempDir dir("same");
    LjProtocol p = tinyProtocol();
    generateLjData(p, dir / "a.data", 7, false, 1);
    generateLjData(p, dir / "b.data", 7, false, 2);
    generateLjData(p, dir / "c.data", 8, false, 2);
    const std::string a = readAll(dir / "a.data");
    EXPECT_FALSE(a.empty());
    EXPECT_EQ(a, readAll(dir / "b.data"));
    EXPECT_NE(a, readAll(dir / "c.data"));
    EXPECT_FALSE(fs::exists(ljPartsDir(dir / "a.data")));  // removed after assembly
    EXPECT_THROW(generateLjData(p, dir / "a.data", 7, false, 1), InputError);  // no overwrite without force

    Dataset data = readDataset(dir / "a.data");
    ASSERT_EQ(data.structures.size(), p.numStructures());
    for (const Structure& s : data.structures) {  // read back: energies of the written positions
        mdtest::LjResult ref = mdtest::minimumImageLj(s, 2.8);
        EXPECT_NEAR(s.energy, ref.energy, 1e-10 * std::abs(ref.energy));
    }
}

// A rerun skips finished parts (a planted part is kept), regenerates missing ones identically, and refuses
// a parts folder of another seed unless forced.
TEST(LjData, PartsAreResumable) {
    TempDir dir("parts");
    LjProtocol p = tinyProtocol();
    const std::string out = dir / "lj.data";
    generateLjParts(p, out, 3, false, 1);
    const std::string part0 = ljPartPath(p, out, 0), part1 = ljPartPath(p, out, 1);
    const std::string original0 = readAll(part0);
    {
        std::ofstream planted(part1);
        planted << "planted\n";
    }
    fs::remove(part0);
    generateLjParts(p, out, 3, false, 2);
    EXPECT_EQ(readAll(part0), original0);
    EXPECT_EQ(readAll(part1), "planted\n");
    EXPECT_THROW(generateLjParts(p, out, 4, false, 1), InputError);
    assembleLjParts(p, out, false);
    EXPECT_EQ(readAll(out), original0 + "planted\n");
    EXPECT_FALSE(fs::exists(ljPartsDir(out)));
}

// End to end through the binary (skipped when it has not been built).
TEST(LjData, AglDataLjCommand) {
    if (!fs::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built: " << AGL_BINARY;
    TempDir dir("cli");
    const std::string out = dir / "lj.data";
    const std::string cmd = std::string("'") + AGL_BINARY + "' data lj --out '" + out +
                            "' --states small --samples 1 --equilibration 0.05 --melt 0.05 --seed 11 -q";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    Dataset data = readDataset(out);
    EXPECT_EQ(data.structures.size(), 21u);  // 21 state points × 1
    EXPECT_NE(std::system((cmd + " 2>/dev/null").c_str()), 0);  // exists, no --force
    EXPECT_EQ(std::system((cmd + " --force").c_str()), 0);
    const std::string bad = std::string("'") + AGL_BINARY + "' data lj --out '" + out + "' --states huge 2>/dev/null";
    EXPECT_NE(std::system(bad.c_str()), 0);
}
