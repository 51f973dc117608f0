// Kinetic quantities and the Maxwell–Boltzmann initialiser of an MdSystem (k_B = 1).
#include "agl/md/system.hpp"

#include <cmath>
#include <random>

#include "agl/error.hpp"

namespace agl::md {

double kineticEnergy(const MdSystem& s) {
    double sum = 0.0;
    for (const Vec3d& v : s.velocities) sum += dot(v, v);
    return 0.5 * s.mass * sum;
}

int degreesOfFreedom(const MdSystem& s) { return 3 * static_cast<int>(s.numAtoms()) - 3; }

double temperature(const MdSystem& s) {
    int dof = degreesOfFreedom(s);
    return dof > 0 ? 2.0 * kineticEnergy(s) / dof : 0.0;
}

Vec3d totalMomentum(const MdSystem& s) {
    Vec3d p{0, 0, 0};
    for (const Vec3d& v : s.velocities) p = p + v;
    return s.mass * p;
}

void initVelocities(MdSystem& s, double targetTemperature, unsigned long long seed) {
    AGL_CHECK(targetTemperature >= 0.0, "temperature must not be negative");
    AGL_CHECK(s.numAtoms() >= 2, "need at least two atoms for a temperature with zero total momentum");
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> gauss(0.0, std::sqrt(targetTemperature / s.mass));
    s.velocities.resize(s.numAtoms());
    for (Vec3d& v : s.velocities) v = {gauss(rng), gauss(rng), gauss(rng)};
    // Zero total momentum: subtract the centre-of-mass velocity (equal masses).
    Vec3d mean = (1.0 / static_cast<double>(s.numAtoms())) * (1.0 / s.mass) * totalMomentum(s);
    for (Vec3d& v : s.velocities) v = v - mean;
    double t = temperature(s);
    if (t > 0.0) {
        double scale = std::sqrt(targetTemperature / t);
        for (Vec3d& v : s.velocities) v = scale * v;
    }
}

}  // namespace agl::md
