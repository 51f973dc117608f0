// Potential folders: written by agl, read back for evaluation with identical forces; settings agl cannot
// evaluate correctly are refused with the file named.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agl/error.hpp"
#include "agl/io.hpp"
#include "hdnnp/hdnnp_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string freshDir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("agl_hdnnp_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

void writeFolder(const std::string& dir, const agl::NnSettings& settings, const agl::Potential& potential) {
    agl::writeNnSettings(dir + "/input.nn", settings, true);
    agl::writePotential(dir, potential, true);
}

TEST(PotentialFiles, WrittenFolderGivesIdenticalForces) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    agl::Potential potential = hdnnptest::randomPotential(settings, 5);
    // σ = 0 columns are written with zero first-layer weights and σ = 1 (train/potential.hpp): zero them
    // in memory too so that both potentials are the same function.
    for (auto& e : potential.elements) std::fill_n(e.weights.begin() + e.arch.layers.front().out, e.arch.layers.front().out, 0.0);
    const std::string dir = freshDir("roundtrip");
    writeFolder(dir, settings, potential);
    agl::PotentialFiles files = agl::readPotentialFiles(dir);
    agl::Hdnnp fromFiles(files.settings, files.potential), inMemory(settings, potential);
    const agl::Structure s = hdnnptest::waterLike(8);
    std::vector<agl::Vec3d> a, b;
    EXPECT_DOUBLE_EQ(fromFiles.energyAndForces(s, a, 1), inMemory.energyAndForces(s, b, 1));
    for (std::size_t i = 0; i < s.numAtoms(); ++i)
        for (int x = 0; x < 3; ++x) EXPECT_NEAR(a[i][x], b[i][x], 1e-12 * (1 + std::abs(b[i][x])));
    fs::remove_all(dir);
}

void expectRefused(const agl::NnSettings& settings, const std::string& name, const std::string& message) {
    const std::string dir = freshDir(name);
    writeFolder(dir, settings, hdnnptest::randomPotential(settings, 1));
    try {
        agl::readPotentialFiles(dir);
        FAIL() << "expected an InputError";
    } catch (const agl::InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("input.nn"), std::string::npos) << what;
        EXPECT_NE(what.find(message), std::string::npos) << what;
    }
    fs::remove_all(dir);
}

TEST(PotentialFiles, RefusesOtherInputScaling) {
    agl::NnSettings s = hdnnptest::twoElementSettings();
    s.scaling.scaleSigma = false;
    s.scaling.scale = true;
    expectRefused(s, "minmax", "scale_symmetry_functions_sigma");
}

TEST(PotentialFiles, RefusesUnitNormalisation) {
    agl::NnSettings s = hdnnptest::twoElementSettings();
    s.unknown.push_back({12, "mean_energy -3.2"});
    expectRefused(s, "normalised", "mean_energy");
}

TEST(PotentialFiles, MissingFolderNamesTheFile) {
    try {
        agl::readPotentialFiles("/nonexistent/agl/potential");
        FAIL();
    } catch (const agl::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/agl/potential/input.nn"), std::string::npos);
    }
}

}  // namespace
