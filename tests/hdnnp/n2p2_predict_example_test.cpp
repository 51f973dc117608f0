// A potential trained by n2p2, evaluated here, against n2p2's own prediction of the same structure.
//
// Set AGL_N2P2_PREDICT_EXAMPLE to a folder holding an n2p2 potential (input.nn, scaling.data,
// weights.NNN.data) and `output.data`, the file nnp-predict writes: the structures with n2p2's energies and
// forces in the reference columns. n2p2's own example examples/nnp-predict/H2O_RPBE-D3 (1080 atoms, H and O,
// G2 + G3, tanhu cutoff, scale+center scaling, unit normalisation) is such a folder once its input.nn is the
// one its nnp-predict.log read (see bench/RESULTS.md, "n2p2 cross-check"). The data are n2p2's (GPL), so
// they are not shipped; the test skips without them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "agl/device.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "agl/io.hpp"

namespace {

std::string exampleDir() {
    const char* dir = std::getenv("AGL_N2P2_PREDICT_EXAMPLE");
    return dir && std::filesystem::exists(std::string(dir) + "/output.data") ? dir : "";
}

// Energies to 1e-10 relative and every force component to 1e-9 of the largest: n2p2 writes 17 digits,
// and the two codes sum the same terms in different orders (fp64 on both sides).
void expectN2p2Prediction(agl::Device device) {
    const std::string dir = exampleDir();
    if (dir.empty()) GTEST_SKIP() << "AGL_N2P2_PREDICT_EXAMPLE is not set (n2p2 example folder with output.data)";
    agl::PotentialFiles files = agl::readPotentialFiles(dir);
    agl::Hdnnp potential(files.settings, files.potential, device);
    const agl::Dataset data = agl::readDataset(dir + "/output.data");
    ASSERT_FALSE(data.structures.empty());
    for (const agl::Structure& s : data.structures) {
        std::vector<agl::Vec3d> forces;
        const double energy = potential.energyAndForces(s, forces, 1);
        EXPECT_NEAR(energy, s.energy, 1e-10 * std::abs(s.energy));
        double largest = 0.0;
        for (const agl::Vec3d& f : s.forces)
            for (int x = 0; x < 3; ++x) largest = std::max(largest, std::abs(f[x]));
        for (std::size_t i = 0; i < s.numAtoms(); ++i)
            for (int x = 0; x < 3; ++x) ASSERT_NEAR(forces[i][x], s.forces[i][x], 1e-9 * largest) << "atom " << i;
    }
}

TEST(N2p2PredictExample, CpuGivesN2p2EnergiesAndForces) { expectN2p2Prediction(agl::Device::Cpu); }

TEST(N2p2PredictExample, GpuGivesN2p2EnergiesAndForces) {
    std::string why;
    if (!agl::gpu::available(&why)) GTEST_SKIP() << "no GPU: " << why;
    expectN2p2Prediction(agl::Device::Gpu);
}

}  // namespace
