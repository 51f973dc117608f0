// MD with an HDNNP: energy conservation in NVE (error O(dt²)), the benchmark measurement, and `agl md`
// restarts that continue bit for bit. The potential is tests/data/hdnnp/lj7: the 7-feature LJ potential
// that `agl demo` selected and refitted (energies in ε, lengths in σ).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include "agl/device.hpp"
#include "agl/hdnnp/hdnnp_force_field.hpp"
#include "agl/hdnnp/potential_benchmark.hpp"
#include "agl/md/integrator.hpp"
#include "hdnnp/hdnnp_support.hpp"
#include "agl/io.hpp"
#include "agl/md/lattice.hpp"

namespace {

namespace fs = std::filesystem;

const std::string kPotential = std::string(AGL_TEST_DATA) + "/hdnnp/lj7";

agl::Hdnnp ljPotential() {
    agl::PotentialFiles files = agl::readPotentialFiles(kPotential);
    return agl::Hdnnp(std::move(files.settings), std::move(files.potential));
}

// 108 atoms of fcc at ρ = 1.0 with velocities at T = 1.0: inside the training range of the LJ data.
agl::md::MdSystem ljStart() {
    agl::md::MdSystem s;
    s.atoms = agl::md::fccLattice(3, 1.0, 18);
    agl::md::initVelocities(s, 1.0, 42);
    return s;
}

// Velocity Verlet's energy error scales as dt²: the same 0.4 τ with half the step must fluctuate ≈ 4× less.
// Wrong forces (not −∇E) would break the scaling and make the energy drift.
TEST(HdnnpMd, NveEnergyErrorScalesWithTimeStepSquared) {
    agl::Hdnnp h = ljPotential();
    const agl::EnergyDrift coarse = agl::measureNveDrift(h, ljStart(), 0.004, 100, 1);
    const agl::EnergyDrift fine = agl::measureNveDrift(h, ljStart(), 0.002, 200, 1);
    ASSERT_TRUE(coarse.stable && fine.stable);
    std::printf("max dE/N: dt 0.004 %.3g, dt 0.002 %.3g; slopes %.3g %.3g\n", coarse.maxDeviationPerAtom, fine.maxDeviationPerAtom, coarse.slopePerAtom, fine.slopePerAtom);
    EXPECT_LT(fine.maxDeviationPerAtom, 1e-3);  // ε per atom over 0.4 τ (measured: 3.8e-4)
    const double ratio = coarse.maxDeviationPerAtom / fine.maxDeviationPerAtom;
    EXPECT_GT(ratio, 2.5);
    EXPECT_LT(ratio, 6.0);
}

// Two elements with masses 1 and 16: momentum stays zero and the energy error still scales as dt² (the
// per-atom masses enter the kick, the kinetic energy and the initial velocities consistently).
double maxEnergyDeviation(double dt, int steps, agl::Vec3d& finalMomentum) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    agl::Hdnnp h(settings, hdnnptest::randomPotential(settings, 12));
    agl::HdnnpForceField field(h, 1, "random");
    agl::md::MdSystem s;
    s.atoms = hdnnptest::waterLike(3, 24);
    for (int z : s.atoms.elements) s.masses.push_back(z == 1 ? 1.0 : 16.0);
    agl::md::initVelocities(s, 0.05, 9);
    agl::md::VelocityVerlet vv(field, dt);
    vv.setup(s);
    const double e0 = vv.conservedEnergy(s);
    double worst = 0.0;
    for (int k = 0; k < steps; ++k) {
        vv.step(s);
        worst = std::max(worst, std::abs(vv.conservedEnergy(s) - e0));
    }
    finalMomentum = agl::md::totalMomentum(s);
    return worst;
}

TEST(HdnnpMd, TwoElementsWithTheirMassesConserveMomentumAndEnergy) {
    agl::Vec3d p;
    const double coarse = maxEnergyDeviation(0.02, 100, p);
    const double fine = maxEnergyDeviation(0.01, 200, p);
    EXPECT_LT(agl::norm(p), 1e-10);
    EXPECT_GT(coarse / fine, 3.0);
    EXPECT_LT(coarse / fine, 5.0);
}

TEST(HdnnpMd, SpeedMeasurementRunsTheAskedSteps) {
    agl::Hdnnp h = ljPotential();
    const agl::MdSpeed speed = agl::measureMdSpeed(h, ljStart(), 0.001, 1.0, 2, 5, 1);
    EXPECT_EQ(speed.steps, 5);
    EXPECT_GT(speed.stepsPerSecond(), 0.0);
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int runAgl(const std::string& args) {
    const std::string cmd = std::string(AGL_BINARY) + " md -q --potential " + kPotential + " " + args;
    return std::system(cmd.c_str());
}

class MdCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = (fs::temp_directory_path() / ("agl_md_cli_" + std::to_string(::getpid()))).string();
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        agl::Dataset start;
        start.structures.push_back(agl::md::fccLattice(2, 1.0, 18));
        agl::writeDataset(dir_ + "/start.data", start, agl::StructureFormat::InputData, true);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string common(const std::string& out) const {
        return "--data " + dir_ + "/start.data --replicate 2,1,1 --temp 1.0 --threads 1 --traj-every 10 "
               "--thermo-every 5 --restart-every 20 --out " + dir_ + "/" + out;
    }
    std::string dir_;
};

// A run interrupted after its restart at step 40 (the files then hold frames up to step 45) and resumed
// must give exactly the files of an uninterrupted run.
TEST_F(MdCli, ResumeContinuesBitForBit) {
    ASSERT_EQ(runAgl(common("whole") + " --steps 60"), 0);
    ASSERT_EQ(runAgl(common("parts") + " --steps 40"), 0);
    fs::copy_file(dir_ + "/parts/restart.json", dir_ + "/restart40.json");
    ASSERT_EQ(runAgl(common("parts") + " --steps 50 --resume"), 0);   // frames 41..50 written ...
    fs::copy_file(dir_ + "/restart40.json", dir_ + "/parts/restart.json", fs::copy_options::overwrite_existing);
    ASSERT_EQ(runAgl(common("parts") + " --steps 60 --resume"), 0);   // ... then cut back to step 40
    for (const char* file : {"trajectory.xyz", "thermo.csv", "restart.json"})
        EXPECT_EQ(slurp(dir_ + "/whole/" + file), slurp(dir_ + "/parts/" + file)) << file;
    const std::string thermo = slurp(dir_ + "/whole/thermo.csv");
    EXPECT_NE(thermo.find("\n60,0.06,"), std::string::npos);
    EXPECT_EQ(agl::readDataset(dir_ + "/whole/trajectory.xyz").structures.size(), 7u);  // steps 0, 10, ..., 60
}

// A damaged restart.json is refused with the entry it could not read (nlohmann's message alone does not say).
TEST_F(MdCli, DamagedRestartNamesTheEntry) {
    ASSERT_EQ(runAgl(common("run") + " --steps 20"), 0);
    std::string restart = slurp(dir_ + "/run/restart.json");
    const std::size_t at = restart.find("\"step\"");
    ASSERT_NE(at, std::string::npos) << restart;
    const std::size_t value = restart.find_first_of("0123456789", at);
    restart.replace(value, restart.find_first_not_of("0123456789", value) - value, "\"twenty\"");
    std::ofstream(dir_ + "/run/restart.json") << restart;
    const std::string log = dir_ + "/resume.log";
    const std::string cmd = std::string(AGL_BINARY) + " md --potential " + kPotential + " " + common("run") +
                            " --steps 40 --resume 2> " + log;
    EXPECT_NE(std::system(cmd.c_str()), 0);
    EXPECT_NE(slurp(log).find("restart.json: not a valid restart file (entry 'step'): "), std::string::npos)
        << slurp(log);
}

// Numbers that parse but cannot be a state (a position at 1e308, a velocity whose square overflows, a
// thermostat chain of another length) are refused naming restart.json, before the run would meet them.
TEST_F(MdCli, UnplaceableRestartStateNamesTheFile) {
    ASSERT_EQ(runAgl(common("run") + " --steps 20"), 0);
    const nlohmann::json good = nlohmann::json::parse(slurp(dir_ + "/run/restart.json"));
    const std::pair<const char*, const char*> cases[] = {
        {"positions", "not finite, or more than 1e12 cell lengths from the cell"},
        {"velocities", "kinetic energy that is not finite"},
        {"chain_velocities", "this run's chain has 3"}};
    for (const auto& [entry, expected] : cases) {
        nlohmann::json bad = good;
        if (bad[entry][0].is_array()) bad[entry][3][1] = -1e308;
        else bad[entry].erase(1);
        std::ofstream(dir_ + "/run/restart.json") << bad.dump();
        const std::string log = dir_ + "/resume.log";
        const std::string cmd = std::string(AGL_BINARY) + " md --potential " + kPotential + " " + common("run") +
                                " --steps 40 --resume 2> " + log;
        EXPECT_NE(std::system(cmd.c_str()), 0) << entry;
        const std::string said = slurp(log);
        EXPECT_NE(said.find("restart.json: "), std::string::npos) << said;
        EXPECT_NE(said.find(expected), std::string::npos) << said;
    }
}

// Metal and electron units (bohr, hartree, fs) without --mass: the standard atomic weight of each element
// (Ar 39.948 g/mol), said in the log; the run starts at the requested temperature in K.
TEST_F(MdCli, MetalAndElectronUnitsDefaultToStandardAtomicWeights) {
    for (const std::string& units : {std::string("metal"), std::string("electron")}) {
        const std::string log = dir_ + "/" + units + ".log";
        const std::string cmd = std::string(AGL_BINARY) + " md --potential " + kPotential + " " + common(units) +
                                " --units " + units + " --dt 0.5 --temp 300 --steps 2 2> " + log;
        ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(log);
        EXPECT_NE(slurp(log).find("masses (standard atomic weights, g/mol): Ar 39.948"), std::string::npos) << slurp(log);
        const std::string thermo = slurp(dir_ + "/" + units + "/thermo.csv");
        EXPECT_NE(thermo.find("\n0,0,300,"), std::string::npos) << units << "\n" << thermo;
    }
}

TEST_F(MdCli, ResumeWithOtherSettingsIsRefused) {
    ASSERT_EQ(runAgl(common("run") + " --steps 20"), 0);
    EXPECT_NE(runAgl(common("run") + " --steps 40 --resume --dt 0.002 2>/dev/null"), 0);
}

// A thermostat damped faster than one step cannot be integrated: refused as an option (exit 2), before the run
// would blow up and blame the potential. NVE has no thermostat, so the same --tdamp is not its concern.
TEST_F(MdCli, ThermostatFasterThanTheStepIsRefused) {
    const int status = runAgl(common("fast") + " --steps 5 --dt 0.005 --tdamp 0.001 2> " + dir_ + "/fast.log");
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    EXPECT_NE(slurp(dir_ + "/fast.log").find("--tdamp: must be at least --dt (0.005"), std::string::npos)
        << slurp(dir_ + "/fast.log");
    EXPECT_FALSE(fs::exists(dir_ + "/fast/thermo.csv"));
    EXPECT_EQ(runAgl(common("nve") + " --steps 5 --dt 0.005 --tdamp 0.001 --ensemble nve"), 0);
}

// A start structure with an element the potential has no network for is refused before the run, naming the
// line where the structure begins (the second one, asked for with --index 1), not just "the structure".
TEST_F(MdCli, ElementWithoutNetworkNamesTheStructureLine) {
    agl::Dataset two;
    two.structures.push_back(agl::md::fccLattice(2, 1.0, 18));
    two.structures.push_back(agl::md::fccLattice(2, 1.0, 18));
    two.structures[1].elements[3] = 10;  // Ne
    agl::writeDataset(dir_ + "/two.data", two, agl::StructureFormat::InputData, true);
    const std::string log = dir_ + "/ne.log";
    const int status = std::system((std::string(AGL_BINARY) + " md -q --potential " + kPotential + " --data " +
                                    dir_ + "/two.data --index 1 --steps 5 --temp 1 --out " + dir_ + "/ne 2> " + log)
                                       .c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    const long line = agl::readDataset(dir_ + "/two.data", agl::StructureFormat::InputData).structures[1].sourceLine;
    EXPECT_NE(slurp(log).find("two.data:" + std::to_string(line) +
                              ": structure 1: atom 4 is Ne, an element the potential has no network for"),
              std::string::npos)
        << slurp(log);
    EXPECT_FALSE(fs::exists(dir_ + "/ne/thermo.csv"));
}

TEST_F(MdCli, ExistingOutputIsNotOverwritten) {
    ASSERT_EQ(runAgl(common("run") + " --steps 5"), 0);
    const std::string before = slurp(dir_ + "/run/thermo.csv");
    EXPECT_NE(runAgl(common("run") + " --steps 10 2>/dev/null"), 0);
    EXPECT_EQ(slurp(dir_ + "/run/thermo.csv"), before);
}

// The trajectory `agl md` writes is what `agl analyze` reads (time= keys, wrapped positions, energies, forces).
TEST_F(MdCli, TrajectoryFeedsAnalyze) {
    ASSERT_EQ(runAgl(common("run") + " --steps 40 --traj-every 2"), 0);
    const std::string analyze = std::string(AGL_BINARY) + " analyze -q --traj " + dir_ + "/run/trajectory.xyz --out " +
                                dir_ + "/analysis";
    ASSERT_EQ(std::system(analyze.c_str()), 0);
    for (const char* file : {"rdf.csv", "msd.csv", "summary.md"}) EXPECT_TRUE(fs::exists(dir_ + "/analysis/" + file)) << file;
    EXPECT_NE(slurp(dir_ + "/analysis/msd.csv").find("\n0.02,"), std::string::npos);  // lags in τ from time= (to half the run)
}

// agl predict --forces writes the forces of every atom: the same numbers as the library's.
TEST_F(MdCli, PredictWritesForces) {
    ASSERT_EQ(runAgl(common("run") + " --steps 20"), 0);
    const std::string traj = dir_ + "/run/trajectory.xyz";
    const std::string cmd = std::string(AGL_BINARY) + " predict -q --potential " + kPotential + " --data " + traj +
                            " --out " + dir_ + "/e.csv --forces " + dir_ + "/f.csv";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const agl::Dataset frames = agl::readDataset(traj);
    agl::Hdnnp h = ljPotential();
    std::vector<agl::Vec3d> expected;
    h.energyAndForces(frames.structures.back(), expected, 1);
    std::istringstream csv(slurp(dir_ + "/f.csv"));
    std::string line;
    std::getline(csv, line);
    std::size_t rows = 0, checked = 0;
    const std::string last = std::to_string(frames.structures.size() - 1) + ",";
    while (std::getline(csv, line)) {
        ++rows;
        if (line.rfind(last, 0) != 0) continue;
        std::istringstream fields(line);
        std::string cell[6];
        for (auto& c : cell) std::getline(fields, c, ',');
        const std::size_t atom = std::stoul(cell[1]);
        for (int x = 0; x < 3; ++x) EXPECT_NEAR(std::stod(cell[3 + x]), expected[atom][x], 1e-9 * (1 + std::abs(expected[atom][x])));
        ++checked;
    }
    EXPECT_EQ(rows, frames.numAtoms());
    EXPECT_EQ(checked, frames.structures.back().numAtoms());
}

// A run that leaves the potential's training range stops with --max-extrapolating (exit 3, restart written).
TEST_F(MdCli, StopsWhenThePotentialExtrapolates) {
    const int status = runAgl(common("hot") + " --temp 4.0 --steps 3000 --thermo-every 1 --max-extrapolating 0 2>/dev/null");
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
    EXPECT_TRUE(fs::exists(dir_ + "/hot/restart.json"));
    const std::string thermo = slurp(dir_ + "/hot/thermo.csv");
    EXPECT_EQ(thermo.substr(0, thermo.find('\n')).substr(thermo.find('\n') - 19), "extrapolating_atoms");
    EXPECT_NE(thermo.substr(thermo.rfind(',', thermo.size() - 2) + 1), "0\n");  // the last step extrapolated
}

// agl bench-potential: one table row per potential, the first the baseline of the ratios, the drift columns
// filled (or marked as not run); an existing --out is not overwritten.
TEST_F(MdCli, BenchPotentialWritesTheSideBySideTable) {
    const std::string out = dir_ + "/bench.md";
    const std::string cmd = std::string(AGL_BINARY) + " bench-potential -q --potential " + kPotential + " --potential " +
                            kPotential + " --atoms 32 --steps 2 --warmup 1 --repeats 1 --drift-steps 5 --out " + out;
    ASSERT_EQ(std::system((cmd + " > /dev/null").c_str()), 0);
    const std::string table = slurp(out);
    std::size_t rows = 0;
    for (std::size_t at = table.find("| " + kPotential + " | 7 |"); at != std::string::npos;
         at = table.find("| " + kPotential + " | 7 |", at + 1))
        ++rows;
    EXPECT_EQ(rows, 2u);
    EXPECT_NE(table.find("| 1.00 |"), std::string::npos);
    EXPECT_NE(table.find("| yes |"), std::string::npos);  // 5 NVE steps of a crystal stay stable
    EXPECT_NE(std::system((cmd + " > /dev/null 2>&1").c_str()), 0);  // --out exists
    // Without the NVE run the drift columns say so (they showed a drift of 0 and "stable").
    const std::string noDrift = std::string(AGL_BINARY) + " bench-potential -q --potential " + kPotential +
                                " --atoms 32 --steps 2 --warmup 1 --repeats 1 --drift-steps 0 --out " + out + "2";
    ASSERT_EQ(std::system((noDrift + " > /dev/null").c_str()), 0);
    const std::string skipped = slurp(out + "2");
    EXPECT_NE(skipped.find("| not run (--drift-steps 0) | | |"), std::string::npos) << skipped;
    EXPECT_EQ(skipped.find("| yes |"), std::string::npos) << skipped;
}

// --measure picks the speeds: the columns left out read "not run" (the GPU's too, on a machine with one); a
// name that is not a speed is an option error (exit 2); a GPU asked for by name on a machine without one is a
// failed run that says why (exit 1), where the default list leaves the GPU column out as "no GPU".
TEST_F(MdCli, BenchPotentialMeasuresWhatIsAsked) {
    const std::string base = std::string(AGL_BINARY) + " bench-potential -q --potential " + kPotential +
                             " --atoms 32 --steps 2 --warmup 1 --repeats 1 --drift-steps 0";
    const auto run = [](const std::string& cmd) { return std::system(cmd.c_str()); };
    ASSERT_EQ(run(base + " --measure one-core > " + dir_ + "/one.md"), 0);
    const std::string one = slurp(dir_ + "/one.md");
    EXPECT_NE(one.find("| " + kPotential + " | 7 | "), std::string::npos) << one;
    EXPECT_NE(one.find(" | 1.00 | not run |  | "), std::string::npos) << one;  // all cores left out
    EXPECT_NE(one.find(" | not run |  | not run (--drift-steps 0) |"), std::string::npos) << one;  // the GPU too

    int status = run(base + " --measure one-core,fast 2> " + dir_ + "/fast.log");
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    EXPECT_NE(slurp(dir_ + "/fast.log").find("--measure: 'fast' is not one of one-core, all-cores, gpu"),
              std::string::npos)
        << slurp(dir_ + "/fast.log");

    if (agl::gpu::available()) return;
    status = run(base + " --measure gpu 2> " + dir_ + "/gpu.log");
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1);
    EXPECT_NE(slurp(dir_ + "/gpu.log").find("bench-potential --measure gpu: "), std::string::npos)
        << slurp(dir_ + "/gpu.log");
    ASSERT_EQ(run(base + " > " + dir_ + "/default.md"), 0);
    EXPECT_NE(slurp(dir_ + "/default.md").find(" | no GPU |  | "), std::string::npos) << slurp(dir_ + "/default.md");
}

// The reference LJ potential runs through the same command (the paper's Table I reference).
TEST_F(MdCli, ReferenceLennardJonesConservesEnergyInNve) {
    const std::string cmd = std::string(AGL_BINARY) + " md -q --potential lj --data " + dir_ +
                            "/start.data --replicate 2,2,2 --ensemble nve --init-temp 0.5 --steps 200 --thermo-every 200 "
                            "--traj-every 0 --out " + dir_ + "/lj";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::istringstream thermo(slurp(dir_ + "/lj/thermo.csv"));
    std::string header, first, last;
    std::getline(thermo, header);
    std::getline(thermo, first);
    std::getline(thermo, last);
    const auto conserved = [](const std::string& line) {  // column 7 of thermo.csv
        std::istringstream fields(line);
        std::string cell;
        for (int c = 0; c < 7; ++c) std::getline(fields, cell, ',');
        return std::stod(cell);
    };
    EXPECT_NEAR(conserved(last), conserved(first), 1e-3 * std::abs(conserved(first)));
}

}  // namespace
