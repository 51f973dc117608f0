// HDNNP forces with GPU features against the CPU path (same potential, same structure): energies and forces
// to 1e-9 relative (the GPU features in fp64 agree with the CPU to ~1e-12).
#include <cmath>

#include "agl/hdnnp/hdnnp.hpp"
#include "gpu_test_support.hpp"
#include "hdnnp/hdnnp_support.hpp"

namespace {

TEST(GpuHdnnp, ForcesMatchCpu) {
    AGL_REQUIRE_GPU();
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    const agl::Potential potential = hdnnptest::randomPotential(settings, 3);
    agl::Hdnnp cpu(settings, potential, agl::Device::Cpu), gpu(settings, potential, agl::Device::Gpu);
    for (unsigned seed : {1u, 2u, 3u}) {
        const agl::Structure s = hdnnptest::waterLike(seed, 60);
        std::vector<agl::Vec3d> fc, fg;
        const double ec = cpu.energyAndForces(s, fc), eg = gpu.energyAndForces(s, fg);
        EXPECT_NEAR(eg, ec, 1e-9 * std::abs(ec));
        double scale = 0.0;
        for (const auto& f : fc) scale = std::max(scale, agl::norm(f));
        for (std::size_t i = 0; i < s.numAtoms(); ++i) EXPECT_LT(agl::norm(fg[i] - fc[i]), 1e-9 * scale) << "atom " << i;
    }
}

}  // namespace
