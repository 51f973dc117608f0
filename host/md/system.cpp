// Kinetic quantities and the Maxwell–Boltzmann initialiser of an MdSystem (k_B = 1).
#include "agl/md/system.hpp"

#include <cmath>
#include <random>

#include "agl/error.hpp"

namespace agl::md {

double kineticEnergy(const MdSystem& s) {
    double sum = 0.0;
    for (std::size_t i = 0; i < s.velocities.size(); ++i) sum += s.massOf(i) * dot(s.velocities[i], s.velocities[i]);
    return 0.5 * sum;
}

int degreesOfFreedom(const MdSystem& s) { return 3 * static_cast<int>(s.numAtoms()) - 3; }

double temperature(const MdSystem& s) {
    int dof = degreesOfFreedom(s);
    return dof > 0 ? 2.0 * kineticEnergy(s) / dof : 0.0;
}

Vec3d totalMomentum(const MdSystem& s) {
    Vec3d p{0, 0, 0};
    for (std::size_t i = 0; i < s.velocities.size(); ++i) p = p + s.massOf(i) * s.velocities[i];
    return p;
}

void initVelocities(MdSystem& s, double targetTemperature, unsigned long long seed) {
    AGL_CHECK(targetTemperature >= 0.0, "temperature must not be negative");
    AGL_CHECK(s.numAtoms() >= 2, "need at least two atoms for a temperature with zero total momentum");
    std::mt19937_64 rng(seed);
    AGL_CHECK(s.masses.empty() || s.masses.size() == s.numAtoms(), "one mass per atom expected");
    std::normal_distribution<double> gauss(0.0, 1.0);
    s.velocities.resize(s.numAtoms());
    double totalMass = 0.0;
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        const double width = std::sqrt(targetTemperature / s.massOf(i));
        s.velocities[i] = {width * gauss(rng), width * gauss(rng), width * gauss(rng)};
        totalMass += s.massOf(i);
    }
    // Zero total momentum: subtract the centre-of-mass velocity.
    const Vec3d centre = (1.0 / totalMass) * totalMomentum(s);
    for (Vec3d& v : s.velocities) v = v - centre;
    double t = temperature(s);
    if (t > 0.0) {
        double scale = std::sqrt(targetTemperature / t);
        for (Vec3d& v : s.velocities) v = scale * v;
    }
}

}  // namespace agl::md
