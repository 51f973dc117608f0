// The HDNNP on the GPU (Hdnnp with Device::Gpu → gpu::GpuHdnnp: features, networks and chain rule on the
// device) against the CPU path, same potential and structure: energies, atomic energies and forces to 1e-9
// relative (fp64 features agree with the CPU to ~1e-12; the networks differ only by tanh's last bits and the
// order of a few sums), and the same extrapolation count.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "agl/bin_grid.hpp"
#include "agl/error.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "gpu_test_support.hpp"
#include "hdnnp/hdnnp_support.hpp"

namespace {

void expectSameEvaluation(agl::Hdnnp& cpu, agl::Hdnnp& gpu, const agl::Structure& s, const std::string& what) {
    std::vector<agl::Vec3d> fc, fg;
    const double ec = cpu.energyAndForces(s, fc), eg = gpu.energyAndForces(s, fg);
    EXPECT_NEAR(eg, ec, 1e-9 * std::abs(ec)) << what;
    ASSERT_EQ(fg.size(), fc.size()) << what;
    double scale = 0.0;
    for (const auto& f : fc) scale = std::max(scale, agl::norm(f));
    ASSERT_GT(scale, 1e-6) << what;
    for (std::size_t i = 0; i < s.numAtoms(); ++i) EXPECT_LT(agl::norm(fg[i] - fc[i]), 1e-9 * scale) << what << " atom " << i;
    ASSERT_EQ(gpu.atomicEnergies().size(), cpu.atomicEnergies().size());
    for (std::size_t i = 0; i < s.numAtoms(); ++i)
        EXPECT_NEAR(gpu.atomicEnergies()[i], cpu.atomicEnergies()[i], 1e-9 * (1 + std::abs(cpu.atomicEnergies()[i])));
    EXPECT_EQ(gpu.extrapolatingAtoms(), cpu.extrapolatingAtoms()) << what;
    EXPECT_NEAR(gpu.energy(s), cpu.energy(s), 1e-9 * std::abs(ec)) << what << " (energy only)";
}

TEST(GpuHdnnp, ForcesMatchCpu) {
    AGL_REQUIRE_GPU();
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    const agl::Potential potential = hdnnptest::randomPotential(settings, 3);
    agl::Hdnnp cpu(settings, potential, agl::Device::Cpu), gpu(settings, potential, agl::Device::Gpu);
    for (unsigned seed : {1u, 2u, 3u}) expectSameEvaluation(cpu, gpu, hdnnptest::waterLike(seed, 60), "water-like");
}

TEST(GpuHdnnp, ClusterAndCellSmallerThanTheCutoff) {
    AGL_REQUIRE_GPU();
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    const agl::Potential potential = hdnnptest::randomPotential(settings, 5);
    agl::Hdnnp cpu(settings, potential, agl::Device::Cpu), gpu(settings, potential, agl::Device::Gpu);
    testdata::Rng rng(7);
    expectSameEvaluation(cpu, gpu, testdata::cluster(rng, 5.0, 14, {8, 1}, 0.9), "cluster");
    expectSameEvaluation(cpu, gpu, testdata::periodic(rng, testdata::triclinic(rng, 3.0), 4, {1, 8}, 0.9),
                         "cell smaller than rc (self images)");
}

// A cell wider than twice the cutoff: no list holds an atom twice, so the device skips the scan for earlier
// images (BinGrid::repeatsAtoms); ~40 neighbours per atom within the largest cutoff, so some lanes of the
// force gather's warp take two pairs.
TEST(GpuHdnnp, CellWiderThanTwiceTheCutoff) {
    AGL_REQUIRE_GPU();
    const agl::NnSettings settings = hdnnptest::twoCutoffSettings();  // H 3.0, O 4.0
    const agl::Potential potential = hdnnptest::randomPotential(settings, 15);
    agl::Hdnnp cpu(settings, potential, agl::Device::Cpu), gpu(settings, potential, agl::Device::Gpu);
    testdata::Rng rng(17);
    const agl::Structure s = testdata::periodic(rng, testdata::triclinic(rng, 12.0), 300, {1, 8, 1}, 0.9);
    ASSERT_FALSE(agl::makeBinGrid(s, 4.0).repeatsAtoms);
    expectSameEvaluation(cpu, gpu, s, "wide cell");
}

// Two cutoffs (H 3.0, O 4.0: a pair can be an entry of one centre and not of the other, which the device's
// per-atom cutoffs, entry kernels and force gather must get right) and extrapolation ranges that differ per
// element and leave some atoms inside and some outside (so a count of all or none would be caught). The same
// GpuHdnnp then gets a structure of the same size with another element order: its cached per-atom layout
// must be uploaded again.
TEST(GpuHdnnp, TwoCutoffsRangesAndAnotherElementOrder) {
    AGL_REQUIRE_GPU();
    const agl::NnSettings settings = hdnnptest::twoCutoffSettings();
    agl::Potential potential = hdnnptest::randomPotential(settings, 9);
    hdnnptest::rangesFrom(potential, settings, hdnnptest::waterLike(11, 60));
    agl::Hdnnp cpu(settings, potential, agl::Device::Cpu), gpu(settings, potential, agl::Device::Gpu);
    testdata::Rng rng(13);
    const std::vector<std::pair<agl::Structure, std::string>> cases = {
        {hdnnptest::waterLike(1, 60), "water-like"},
        {testdata::periodic(rng, testdata::triclinic(rng, 6.0), 60, {8, 1, 1}, 0.9), "same size, O first"},
        {testdata::periodic(rng, testdata::triclinic(rng, 2.8), 4, {1, 8}, 0.9), "cell smaller than rc"},
        {hdnnptest::waterLike(2, 60), "water-like again"}};
    for (const auto& [s, what] : cases) {
        std::vector<agl::Vec3d> f;
        cpu.energyAndForces(s, f);
        if (s.numAtoms() > 10) {
            EXPECT_GT(cpu.extrapolatingAtoms(), 0u) << what;
            EXPECT_LT(cpu.extrapolatingAtoms(), s.numAtoms()) << what;
        }
        expectSameEvaluation(cpu, gpu, s, what);
    }
}

TEST(GpuHdnnp, UnknownElementIsTheCpuError) {
    AGL_REQUIRE_GPU();
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    agl::Hdnnp gpu(settings, hdnnptest::randomPotential(settings, 1), agl::Device::Gpu);
    agl::Structure s = hdnnptest::waterLike(1, 12);
    s.elements[3] = 6;
    std::vector<agl::Vec3d> f;
    EXPECT_THROW(gpu.energyAndForces(s, f), agl::Error);
}

}  // namespace
