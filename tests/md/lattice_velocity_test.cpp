// fcc builder and Maxwell–Boltzmann initialiser.
#include <gtest/gtest.h>

#include <cmath>

#include "agl/md/lattice.hpp"
#include "agl/md/system.hpp"

using namespace agl;
using namespace agl::md;

TEST(FccLattice, TwelveNearestNeighboursAtAOverSqrt2) {
    for (double rho : {0.9, 1.1}) {
        Structure s = fccLattice(4, rho, 18);
        ASSERT_EQ(s.numAtoms(), 256u);
        const double a = std::cbrt(4.0 / rho), L = 4 * a;
        EXPECT_NEAR(s.cell[0].x * s.cell[1].y * s.cell[2].z, 256 / rho, 1e-9);
        EXPECT_DOUBLE_EQ(s.cell[0].x, L);
        const double nn = a / std::sqrt(2.0);
        for (std::size_t i = 0; i < s.numAtoms(); i += 13) {
            int first = 0, closer = 0, second = 0;
            for (std::size_t j = 0; j < s.numAtoms(); ++j) {
                if (j == i) continue;
                Vec3d d = s.positions[j] - s.positions[i];
                for (int k = 0; k < 3; ++k) d[k] -= L * std::round(d[k] / L);
                double r = norm(d);
                if (r < nn - 1e-9) ++closer;
                if (std::abs(r - nn) < 1e-9) ++first;
                if (std::abs(r - a) < 1e-9) ++second;
            }
            EXPECT_EQ(closer, 0);
            EXPECT_EQ(first, 12);
            EXPECT_EQ(second, 6);
        }
        for (auto& r : s.positions)  // inside the cell
            for (int k = 0; k < 3; ++k) EXPECT_TRUE(r[k] >= 0 && r[k] < L);
    }
}

TEST(InitVelocities, ZeroMomentumExactTemperatureAndSeeded) {
    MdSystem s;
    s.atoms = fccLattice(4, 1.0, 18);
    initVelocities(s, 1.3, 42);
    Vec3d p = totalMomentum(s);
    EXPECT_LT(norm(p), 1e-12);
    EXPECT_NEAR(temperature(s), 1.3, 1e-12);
    EXPECT_EQ(degreesOfFreedom(s), 765);
    EXPECT_NEAR(kineticEnergy(s), 0.5 * 765 * 1.3, 1e-9);

    MdSystem t = s, u = s;
    initVelocities(t, 1.3, 42);
    initVelocities(u, 1.3, 43);
    EXPECT_EQ(t.velocities[100].x, s.velocities[100].x);
    EXPECT_NE(u.velocities[100].x, s.velocities[100].x);
}

// The components are Gaussian with variance kT/m: a check that the initialiser is Maxwell–Boltzmann and not,
// say, uniform (whose kurtosis is 1.8 instead of 3).
TEST(InitVelocities, GaussianComponents) {
    MdSystem s;
    s.atoms = fccLattice(10, 1.0, 18);  // 4000 atoms, 12 000 components
    s.masses.assign(s.numAtoms(), 2.0);
    initVelocities(s, 0.8, 7);
    double m2 = 0, m4 = 0;
    for (auto& v : s.velocities)
        for (int k = 0; k < 3; ++k) {
            m2 += v[k] * v[k];
            m4 += std::pow(v[k], 4);
        }
    const double n = 3.0 * s.numAtoms();
    m2 /= n;
    m4 /= n;
    EXPECT_NEAR(m2, 0.8 / 2.0 * (n - 3) / n, 1e-12);  // exact after rescaling
    EXPECT_NEAR(m4 / (m2 * m2), 3.0, 0.15);           // kurtosis, std error ≈ sqrt(24/n) ≈ 0.045
}

// Mixed masses: zero total momentum (Σ m v) and the exact temperature after rescaling.
TEST(InitVelocities, MixedMassesHaveZeroMomentumAndTheTemperature) {
    MdSystem s;
    s.atoms = fccLattice(3, 1.0, 18);
    for (std::size_t i = 0; i < s.numAtoms(); ++i) s.masses.push_back(i % 3 == 0 ? 16.0 : 1.0);
    initVelocities(s, 1.3, 5);
    EXPECT_LT(norm(totalMomentum(s)), 1e-12);
    EXPECT_NEAR(temperature(s), 1.3, 1e-12);
}
