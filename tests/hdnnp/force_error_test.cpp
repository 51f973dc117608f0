// The force error agl evaluate and agl predict report (agl/hdnnp/force_error.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "agl/hdnnp/force_error.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "hdnnp/hdnnp_support.hpp"

using agl::Vec3d;

// By hand: two atoms, components (0.3, 0, 0.4) and (0, 1.2, 0) off; reference components of squares 1, 4.
TEST(ForceError, ByHand) {
    agl::ForceError e;
    e.add({{1.3, 0, 0.4}, {0, 3.2, 0}}, {{1, 0, 0}, {0, 2, 0}});
    EXPECT_NEAR(e.rmse(), std::sqrt((0.09 + 0.16 + 1.44) / 6.0), 1e-15);
    EXPECT_NEAR(e.referenceRms(), std::sqrt(5.0 / 6.0), 1e-15);
    e.add({{0.5, 0, 0}}, {});  // a structure without reference forces counts them as 0
    EXPECT_NEAR(e.rmse(), std::sqrt((0.09 + 0.16 + 1.44 + 0.25) / 9.0), 1e-15);
}

// Data without forces (every reference component 0) has no error to report, whatever the prediction.
TEST(ForceError, NoReferenceForcesGiveNone) {
    agl::ForceError e;
    EXPECT_EQ(e.rmse(), -1.0);
    e.add({{1, 2, 3}}, {{0, 0, 0}});
    EXPECT_EQ(e.rmse(), -1.0);
    EXPECT_EQ(e.referenceRms(), -1.0);
}

// Through a potential: reference forces set to the potential's own forces plus a known offset per component
// give that offset's RMS, over several structures.
TEST(ForceError, PotentialAgainstShiftedOwnForces) {
    const agl::NnSettings settings = hdnnptest::twoElementSettings();
    const agl::Potential potential = hdnnptest::randomPotential(settings, 5);
    agl::Hdnnp hdnnp(settings, potential);
    std::vector<agl::Structure> structures = {hdnnptest::waterLike(1), hdnnptest::waterLike(2, 12)};
    double sumSquares = 0.0;
    std::size_t components = 0;
    for (agl::Structure& s : structures) {
        std::vector<Vec3d> own;
        hdnnp.energyAndForces(s, own);
        s.forces = own;
        for (std::size_t i = 0; i < s.numAtoms(); ++i) {
            const Vec3d shift{0.01 * double(i), -0.02, 0.005 * double(i % 3)};
            s.forces[i] = s.forces[i] + shift;
            sumSquares += dot(shift, shift);
            components += 3;
        }
    }
    const agl::ForceError e = agl::forceError(settings, potential, {&structures[0], &structures[1]});
    EXPECT_NEAR(e.rmse(), std::sqrt(sumSquares / double(components)), 1e-10);
    EXPECT_GT(e.referenceRms(), 0.0);
}
