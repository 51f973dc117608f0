// `agl analyze` end to end on small trajectories written here: random walks of known D in extended XYZ with
// time=/step= keys (as `agl md` writes them), two files side by side, a file without time= (needs
// --frame-time) and the refusal to overwrite.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>  // getpid: per-process temporary folders

#include "agl/io.hpp"
#include "agl/md/lattice.hpp"

using namespace agl;
namespace fs = std::filesystem;

namespace {

// Random walk of `n` atoms with Gaussian steps of σ per component every frame; D = σ²/(2Δt).
Dataset randomWalk(std::size_t n, std::size_t frames, double sigma, double dt, bool withTime, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> step(0.0, sigma);
    // Walkers start on a simple cubic lattice 3 apart, so that no two come within the readers' 0.1 limit.
    const int side = static_cast<int>(std::ceil(std::cbrt(double(n))));
    const double L = 3.0 * side;
    std::vector<Vec3d> r(n);
    for (std::size_t i = 0; i < n; ++i)
        r[i] = 3.0 * Vec3d{double(i % side), double(i / side % side), double(i / (side * side))};
    Dataset d;
    for (std::size_t f = 0; f < frames; ++f) {
        Structure s;
        s.periodic = true;
        s.cell = md::cubicCell(L);
        s.positions = r;
        s.elements.assign(n, 18);
        s.forces.assign(n, Vec3d{0, 0, 0});
        s.atomCharges.assign(n, 0.0);
        wrapPositions(s);
        if (withTime) {
            std::ostringstream t;
            t << f * dt;
            s.metadata = {{"time", t.str()}, {"step", std::to_string(f * 100)}};
        }
        d.structures.push_back(std::move(s));
        for (auto& ri : r) ri = ri + Vec3d{step(rng), step(rng), step(rng)};
    }
    return d;
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

// D of `label`'s all-atom row in diffusion.csv.
double diffusionOf(const fs::path& csv, const std::string& label) {
    std::istringstream in(readAll(csv));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(label + ",all,", 0) == 0) return std::stod(line.substr(label.size() + 5));
    return -1.0;
}

class AnalyzeCli : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built: " << AGL_BINARY;
        dir_ = fs::temp_directory_path() / ("agl_analyze_" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        if (!dir_.empty()) fs::remove_all(dir_);
    }
    int run(const std::string& args) const {
        const std::string cmd = std::string("'") + AGL_BINARY + "' analyze " + args + " -q 2>'" +
                                (dir_ / "stderr.txt").string() + "'";
        return std::system(cmd.c_str());
    }
    std::string stderrText() const { return readAll(dir_ / "stderr.txt"); }
    fs::path dir_;
};

}  // namespace

TEST_F(AnalyzeCli, TwoTrajectoriesGiveFilesAndTheDiffusionCoefficient) {
    const double dt = 0.05;
    const double sigmaA = 0.04, sigmaB = 0.06;  // D = 0.016 and 0.036
    writeDataset((dir_ / "a.xyz").string(), randomWalk(64, 120, sigmaA, dt, true, 1), StructureFormat::ExtXyz, false);
    writeDataset((dir_ / "b.xyz").string(), randomWalk(64, 120, sigmaB, dt, true, 2), StructureFormat::ExtXyz, false);
    const fs::path out = dir_ / "out";
    ASSERT_EQ(run("--traj '" + (dir_ / "a.xyz").string() + "' --traj '" + (dir_ / "b.xyz").string() + "' --out '" +
                  out.string() + "' --rdf-bin 0.1"),
              0)
        << stderrText();
    for (const char* f : {"rdf.csv", "msd.csv", "diffusion.csv", "summary.md"})
        EXPECT_TRUE(fs::exists(out / f) && fs::file_size(out / f) > 0) << f;
#if defined(AGL_HAVE_CAIRO)  // figures need cairo
    for (const char* f : {"rdf.png", "msd.png"}) EXPECT_TRUE(fs::exists(out / f) && fs::file_size(out / f) > 0) << f;
#endif

    const std::string rdfHeader = readAll(out / "rdf.csv").substr(0, readAll(out / "rdf.csv").find('\n'));
    EXPECT_EQ(rdfHeader, "r,a.xyz g(Ar-Ar),a.xyz n(Ar-Ar),b.xyz g(Ar-Ar),b.xyz n(Ar-Ar)");
    const std::string msdText = readAll(out / "msd.csv");
    EXPECT_EQ(msdText.substr(0, msdText.find('\n')),
              "time,a.xyz msd(Ar),a.xyz msd(all),a.xyz origins,b.xyz msd(Ar),b.xyz msd(all),b.xyz origins");

    // 64 walkers, 60 lags: D within 15 % (the estimate's scatter at this size is a few %).
    const double expectedA = sigmaA * sigmaA / (2 * dt) * (1 - 1.0 / 64), expectedB = sigmaB * sigmaB / (2 * dt) * (1 - 1.0 / 64);
    EXPECT_NEAR(diffusionOf(out / "diffusion.csv", "a.xyz"), expectedA, 0.15 * expectedA);
    EXPECT_NEAR(diffusionOf(out / "diffusion.csv", "b.xyz"), expectedB, 0.15 * expectedB);

    const std::string summary = readAll(out / "summary.md");
    EXPECT_NE(summary.find("| a.xyz | all | D = "), std::string::npos) << summary;
    EXPECT_NE(summary.find("| b.xyz | all | D = "), std::string::npos) << summary;
    EXPECT_NE(summary.find("120 / 120"), std::string::npos) << summary;
    EXPECT_NE(summary.find("0 to 5.95"), std::string::npos) << summary;  // time span from the time= keys

    // Existing outputs are kept without --force.
    EXPECT_NE(run("--traj '" + (dir_ / "a.xyz").string() + "' --out '" + out.string() + "'"), 0);
    EXPECT_EQ(run("--traj '" + (dir_ / "a.xyz").string() + "' --out '" + out.string() + "' --force --skip 20"), 0)
        << stderrText();
    EXPECT_NE(readAll(out / "summary.md").find("100 / 120"), std::string::npos);
}

TEST_F(AnalyzeCli, FramesWithoutTimeNeedFrameTime) {
    writeDataset((dir_ / "lammps.xyz").string(), randomWalk(32, 40, 0.05, 1.0, false, 3), StructureFormat::ExtXyz,
                 false);
    const std::string traj = "--traj '" + (dir_ / "lammps.xyz").string() + "'";
    EXPECT_NE(run(traj + " --out '" + (dir_ / "o1").string() + "'"), 0);
    EXPECT_NE(stderrText().find("--frame-time"), std::string::npos) << stderrText();
    EXPECT_NE(stderrText().find("lammps.xyz"), std::string::npos) << stderrText();
    ASSERT_EQ(run(traj + " --frame-time 2.5 --out '" + (dir_ / "o2").string() + "'"), 0) << stderrText();
    const std::string msd = readAll(dir_ / "o2" / "msd.csv");
    EXPECT_NE(msd.find("\n2.5,"), std::string::npos) << msd.substr(0, 200);  // lag 1 = 2.5 time units
}

TEST_F(AnalyzeCli, UnwrappingFailureNamesFileAndFrame) {
    Dataset d = randomWalk(8, 10, 0.01, 1.0, true, 4);
    d.structures[6].positions[1].x += 2.6;  // 0.43 of the 6-wide box (8 atoms: 2 × 3) in one frame
    wrapPositions(d.structures[6]);
    writeDataset((dir_ / "jump.xyz").string(), d, StructureFormat::ExtXyz, false);
    EXPECT_NE(run("--traj '" + (dir_ / "jump.xyz").string() + "' --out '" + (dir_ / "o").string() + "'"), 0);
    EXPECT_NE(stderrText().find("jump.xyz"), std::string::npos) << stderrText();
    EXPECT_NE(stderrText().find("frame 7"), std::string::npos) << stderrText();
    // ... and the line where that frame begins (its atom count: 10 lines a frame).
    const long line = readDataset((dir_ / "jump.xyz").string(), StructureFormat::ExtXyz).structures[6].sourceLine;
    EXPECT_EQ(line, 61);
    EXPECT_NE(stderrText().find("jump.xyz:61: "), std::string::npos) << stderrText();
}

// A run whose potential let two atoms collide: refused by default (the readers' 0.1 limit names the atoms),
// analysed with --allow-overlaps.
TEST_F(AnalyzeCli, CollidedAtomsNeedAllowOverlaps) {
    Dataset d = randomWalk(8, 12, 0.01, 1.0, true, 5);
    for (Structure& s : d.structures) {
        s.positions[1] = s.positions[0] + Vec3d{0.03, 0.0, 0.0};
        wrapPositions(s);
    }
    writeDataset((dir_ / "collided.xyz").string(), d, StructureFormat::ExtXyz, false);
    const std::string traj = "--traj '" + (dir_ / "collided.xyz").string() + "'";
    EXPECT_NE(run(traj + " --out '" + (dir_ / "o1").string() + "'"), 0);
    EXPECT_NE(stderrText().find("closer than"), std::string::npos) << stderrText();
    ASSERT_EQ(run(traj + " --allow-overlaps --out '" + (dir_ / "o2").string() + "'"), 0) << stderrText();
    EXPECT_TRUE(fs::exists(dir_ / "o2" / "msd.csv"));
    EXPECT_TRUE(fs::exists(dir_ / "o2" / "rdf.csv"));
}
