// Potential folders: written by agl, read back for evaluation with identical forces; n2p2's input scalings
// give n2p2's energies; settings agl cannot evaluate correctly are refused with the file named.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/hdnnp/atom_network.hpp"
#include "agl/io.hpp"
#include "agl/train/input_scaling.hpp"
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

// σ = 0 columns are written with zero first-layer weights and σ = 1 (train/potential.hpp): zeroes them in
// `potential` too, so that it and the folder are the same function, then writes the folder and reads it back.
agl::PotentialFiles writeAndReadBack(const agl::NnSettings& settings, agl::Potential& potential, const std::string& name) {
    for (auto& e : potential.elements) std::fill_n(e.weights.begin() + e.arch.layers.front().out, e.arch.layers.front().out, 0.0);
    const std::string dir = freshDir(name);
    writeFolder(dir, settings, potential);
    agl::PotentialFiles files = agl::readPotentialFiles(dir);
    fs::remove_all(dir);
    return files;
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

// A potential trained by n2p2 with any of its input scalings gives n2p2's energies: the reference below applies
// n2p2's formulas (Mode::setupSymmetryFunctionScaling) to the raw G and runs the networks on them; agl reads
// the folder (scaling folded into the first layer) and evaluates it as always.
struct N2p2Scaling {
    const char* name;
    bool center, scale, sigma;
    double smin, smax;
};

double n2p2Scaled(const N2p2Scaling& c, const agl::FeatureScaling& st, std::size_t j, double g) {
    if (c.scale && !c.center) return c.smin + (c.smax - c.smin) * (g - st.min[j]) / (st.max[j] - st.min[j]);
    if (!c.scale && c.center) return g - st.mean[j];
    if (c.scale && c.center) return c.smin + (c.smax - c.smin) * (g - st.mean[j]) / (st.max[j] - st.min[j]);
    if (c.sigma) return c.smin + (c.smax - c.smin) * (g - st.mean[j]) / st.sigma[j];
    return g;
}

TEST(PotentialFiles, EveryN2p2InputScalingGivesN2p2Energies) {
    const N2p2Scaling cases[] = {{"scale", false, true, false, -1.0, 1.0},
                                 {"center", true, false, false, 0.0, 1.0},
                                 {"scale_center", true, true, false, -1.0, 1.0},
                                 {"sigma_smin_smax", false, false, true, -0.5, 2.0},
                                 {"sigma", false, false, true, 0.0, 1.0},
                                 {"none", false, false, false, 0.0, 1.0}};
    const agl::Structure s = hdnnptest::waterLike(3, 30);
    for (const N2p2Scaling& c : cases) {
        agl::NnSettings settings = hdnnptest::twoElementSettings();
        settings.scaling = agl::InputScaling{c.center, c.scale, c.sigma, c.smin, c.smax};
        agl::Potential potential = hdnnptest::randomPotential(settings, 21);
        for (auto& e : potential.elements)  // no constant column here: every formula is defined
            for (std::size_t j = 0; j < e.scaling.sigma.size(); ++j) {
                e.scaling.sigma[j] = 0.4 + 0.1 * double(j % 3);
                e.scaling.min[j] = -0.2 - 0.05 * double(j);
                e.scaling.max[j] = 1.5 + 0.1 * double(j);
            }
        const std::string dir = freshDir(std::string("n2p2_") + c.name);
        writeFolder(dir, settings, potential);
        const agl::PotentialFiles files = agl::readPotentialFiles(dir);
        agl::Hdnnp h(files.settings, files.potential);
        h.energy(s, 1);
        // Reference: n2p2's scaled inputs through the ORIGINAL weights.
        const agl::StructureFeatures f = agl::FeatureEngine(settings).compute(s, false, 1);
        for (std::size_t i = 0; i < s.numAtoms(); ++i) {
            const agl::ElementPotential& e = potential.elements[s.elements[i] == 1 ? 0 : 1];
            std::vector<double> x(std::size_t(f.numFunctions[i]));
            for (std::size_t j = 0; j < x.size(); ++j) x[j] = n2p2Scaled(c, e.scaling, j, f.g(i)[j]);
            const agl::AtomNetworkView view = agl::atomNetworkView(e.arch.layers, e.weights.data());
            std::vector<double> scratch(agl::atomNetworkScratch(view));
            const double reference =
                agl::atomNetwork(view, x.data(), scratch.data(), nullptr) + settings.atomEnergy.at(s.elements[i]);
            EXPECT_NEAR(h.atomicEnergies()[i], reference, 1e-12 * (1.0 + std::abs(reference))) << c.name << " atom " << i;
        }
        fs::remove_all(dir);
    }
}

// center_symmetry_functions + scale_symmetry_functions_sigma: n2p2 centres only; agl's older exports meant
// (G − mean)/σ by it. Refused, with both readings named, rather than guessed.
TEST(PotentialFiles, RefusesCenterWithSigma) {
    agl::NnSettings s = hdnnptest::twoElementSettings();
    s.scaling.center = true;
    expectRefused(s, "center_sigma", "centring only");
}

// What agl exports never says center_symmetry_functions.
TEST(PotentialFiles, ExportedSettingsHaveSigmaScalingAlone) {
    agl::NnSettings s = hdnnptest::twoElementSettings();
    s.scaling = agl::InputScaling{true, true, false, -1.0, 1.0};
    const agl::NnSettings out = agl::potentialSettings(s);
    EXPECT_FALSE(out.scaling.center);
    EXPECT_FALSE(out.scaling.scale);
    EXPECT_TRUE(out.scaling.scaleSigma);
    EXPECT_TRUE(agl::readsStandardisedInputs(out.scaling));
}

// n2p2's unit normalisation: the networks give E_norm = (E − N·mean_energy)·conv_energy; agl reports the
// physical energy E_i = E_norm,i / conv_energy + mean_energy (the symmetry functions do not change).
TEST(PotentialFiles, N2p2NormalisationGivesPhysicalEnergies) {
    agl::NnSettings settings = hdnnptest::twoElementSettings();
    settings.atomEnergy.clear();
    settings.unknown.push_back({20, "mean_energy -3.25"});
    settings.unknown.push_back({21, "conv_energy 4.5"});
    settings.unknown.push_back({22, "conv_length 1.7"});
    agl::Potential potential = hdnnptest::randomPotential(settings, 8);
    const agl::PotentialFiles files = writeAndReadBack(settings, potential, "normalised");
    agl::Hdnnp fromFiles(files.settings, files.potential), normalised(settings, potential);
    const agl::Structure s = hdnnptest::waterLike(5, 24);
    std::vector<agl::Vec3d> fp, fn;
    fromFiles.energyAndForces(s, fp, 1);
    normalised.energyAndForces(s, fn, 1);  // the networks as trained: normalised energies
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        EXPECT_NEAR(fromFiles.atomicEnergies()[i], normalised.atomicEnergies()[i] / 4.5 - 3.25, 1e-12) << i;
        for (int x = 0; x < 3; ++x) EXPECT_NEAR(fp[i][x], fn[i][x] / 4.5, 1e-12 * (1 + std::abs(fn[i][x]))) << i;
    }
}

TEST(PotentialFiles, RefusesPartialNormalisation) {
    agl::NnSettings partial = hdnnptest::twoElementSettings();
    partial.atomEnergy.clear();
    partial.unknown.push_back({12, "mean_energy -3.2"});
    expectRefused(partial, "partial_normalisation", "together");
}

// With a normalisation, n2p2 adds atom_energy in physical units after converting back (Prediction::predict:
// toPhysicalUnits, then addEnergyOffset): E_i = E_norm,i / conv_energy + mean_energy + offset(Z_i).
TEST(PotentialFiles, NormalisationWithOffsetsAddsTheOffsetsInPhysicalUnits) {
    agl::NnSettings settings = hdnnptest::twoElementSettings();  // atom_energy H −0.5, O −75
    for (const char* k : {"mean_energy -3.25", "conv_energy 4.5", "conv_length 1.7"}) settings.unknown.push_back({20, k});
    agl::NnSettings bare = settings;
    bare.atomEnergy.clear();
    bare.unknown.clear();
    agl::Potential potential = hdnnptest::randomPotential(settings, 9);
    const agl::PotentialFiles files = writeAndReadBack(settings, potential, "normalised_offsets");
    agl::Hdnnp fromFiles(files.settings, files.potential), networks(bare, potential);
    const agl::Structure s = hdnnptest::waterLike(4, 24);
    fromFiles.energy(s, 1);
    networks.energy(s, 1);  // the networks alone: normalised atomic energies, no offsets
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        const double offset = s.elements[i] == 1 ? -0.5 : -75.0;
        EXPECT_NEAR(fromFiles.atomicEnergies()[i], networks.atomicEnergies()[i] / 4.5 - 3.25 + offset, 1e-12) << i;
    }
    }

// Keywords that change n2p2's evaluation in ways agl does not implement are refused, with the line.
TEST(PotentialFiles, RefusesNodeNormalisationAndOtherGenerations) {
    agl::NnSettings nodes = hdnnptest::twoElementSettings();
    nodes.unknown.push_back({30, "normalize_nodes"});
    expectRefused(nodes, "normalize_nodes", "normalize_nodes");
    agl::NnSettings fourth = hdnnptest::twoElementSettings();
    fourth.unknown.push_back({31, "nnp_type 4G-HDNNP"});
    expectRefused(fourth, "nnp_type_4g", "2G-HDNNPs");
    agl::NnSettings second = hdnnptest::twoElementSettings();
    second.unknown.push_back({31, "nnp_type 2G-HDNNP"});
    const std::string dir = freshDir("nnp_type_2g");
    writeFolder(dir, second, hdnnptest::randomPotential(second, 1));
    EXPECT_NO_THROW(agl::readPotentialFiles(dir));
    fs::remove_all(dir);
}

// A training input.nn prepared by nnp-norm: agl trains in the data's units, so the exported input.nn must not
// carry the normalisation (n2p2, and agl's own reader, would apply it to networks trained without it), nor
// normalize_nodes; harmless keywords stay.
TEST(PotentialFiles, ExportedSettingsLeaveOutNormalisation) {
    agl::NnSettings s = hdnnptest::twoElementSettings();
    for (const char* k : {"mean_energy -3.2", "conv_energy 2", "conv_length 1.5", "normalize_nodes",
                          "nnp_type 2G-HDNNP", "epochs 10", "my_own_keyword 3"})
        s.unknown.push_back({12, k});
    testing::internal::CaptureStderr();
    const agl::NnSettings out = agl::potentialSettings(s);
    const std::string log = testing::internal::GetCapturedStderr();
    std::vector<std::string> kept;
    for (const agl::RawKeyword& k : out.unknown) kept.push_back(k.text);
    EXPECT_EQ(kept, (std::vector<std::string>{"nnp_type 2G-HDNNP", "epochs 10", "my_own_keyword 3"}));
    EXPECT_NE(log.find("'mean_energy -3.2'"), std::string::npos) << log;
    EXPECT_NE(log.find("'normalize_nodes'"), std::string::npos) << log;
}

// An input.nn whose O lines were deleted by hand: O's network would read nothing; refused naming the element.
TEST(PotentialFiles, ElementWithoutFunctionsIsNamed) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    const std::string dir = freshDir("no_o_functions");
    writeFolder(dir, settings, hdnnptest::randomPotential(settings, 1));
    agl::NnSettings noO = settings;
    noO.functions.erase(std::remove_if(noO.functions.begin(), noO.functions.end(),
                                       [](const agl::SymmetryFunction& f) { return f.centre == 8; }),
                        noO.functions.end());
    ASSERT_LT(noO.functions.size(), settings.functions.size());
    agl::writeNnSettings(dir + "/input.nn", noO, true);
    try {
        agl::readPotentialFiles(dir);
        ADD_FAILURE() << "expected an InputError";
    } catch (const agl::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("input.nn: element O (of 'elements') has no symmetry functions"),
                  std::string::npos)
            << e.what();
    }
    fs::remove_all(dir);
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
