// Velocity Verlet with an optional Nosé–Hoover chain (MTK half-step splitting); see integrator.hpp.
#include "agl/md/integrator.hpp"

#include <cmath>

#include "agl/error.hpp"

namespace agl::md {

NoseHooverChain::NoseHooverChain(double temperature, double damping, int degreesOfFreedom, int length)
    : temperature_(temperature), damping_(damping), dof_(degreesOfFreedom) {
    AGL_CHECK(temperature > 0.0, "thermostat temperature must be positive");
    AGL_CHECK(damping > 0.0, "thermostat damping time must be positive");
    AGL_CHECK(degreesOfFreedom > 0, "thermostat needs degrees of freedom");
    AGL_CHECK(length >= 1, "Nose-Hoover chain length must be at least 1");
    const double kTtau2 = temperature * damping * damping;
    mass_.assign(length, kTtau2);
    mass_[0] = dof_ * kTtau2;
    eta_.assign(length, 0.0);
    xi_.assign(length, 0.0);
}

// ξ_k ← ξ_k e^{−ξ_{k+1} dt/8};  ξ_k += G_k dt/4;  ξ_k ← ξ_k e^{−ξ_{k+1} dt/8}
void NoseHooverChain::updateThermostatVelocity(std::size_t k, double force, double dt) {
    const double damp = k + 1 < xi_.size() ? std::exp(-0.125 * dt * xi_[k + 1]) : 1.0;
    xi_[k] = (xi_[k] * damp + 0.25 * dt * force) * damp;
}

void NoseHooverChain::halfStep(MdSystem& s, double dt) {
    const std::size_t m = xi_.size();
    const double kT = temperature_;
    double twoKe = 2.0 * kineticEnergy(s);
    auto chainForce = [&](std::size_t k) {
        if (k == 0) return (twoKe - dof_ * kT) / mass_[0];
        return (mass_[k - 1] * xi_[k - 1] * xi_[k - 1] - kT) / mass_[k];
    };
    for (std::size_t k = m; k-- > 0;) updateThermostatVelocity(k, chainForce(k), dt);

    const double scale = std::exp(-0.5 * dt * xi_[0]);
    for (Vec3d& v : s.velocities) v = scale * v;
    twoKe *= scale * scale;
    for (std::size_t k = 0; k < m; ++k) eta_[k] += 0.5 * dt * xi_[k];

    for (std::size_t k = 0; k < m; ++k) updateThermostatVelocity(k, chainForce(k), dt);
}

void NoseHooverChain::setState(const std::vector<double>& positions, const std::vector<double>& velocities) {
    AGL_CHECK(positions.size() == eta_.size() && velocities.size() == xi_.size(),
              "thermostat state has the wrong chain length");
    eta_ = positions;
    xi_ = velocities;
}

double NoseHooverChain::energy() const {
    double e = 0.0;
    for (std::size_t k = 0; k < xi_.size(); ++k) e += 0.5 * mass_[k] * xi_[k] * xi_[k];
    e += dof_ * temperature_ * eta_[0];
    for (std::size_t k = 1; k < eta_.size(); ++k) e += temperature_ * eta_[k];
    return e;
}

VelocityVerlet::VelocityVerlet(ForceField& forceField, double dt, std::optional<NoseHooverChain> thermostat)
    : forceField_(forceField), dt_(dt), thermostat_(std::move(thermostat)) {
    AGL_CHECK(dt > 0.0, "time step must be positive");
}

void VelocityVerlet::setup(MdSystem& s) {
    AGL_CHECK(s.velocities.size() == s.numAtoms(), "velocities must be set before the run");
    s.potentialEnergy = forceField_.compute(s.atoms, s.forces);
    ready_ = true;
}

void VelocityVerlet::step(MdSystem& s) {
    if (!ready_) setup(s);
    const double halfDt = 0.5 * dt_;
    if (thermostat_) thermostat_->halfStep(s, dt_);
    auto& r = s.atoms.positions;
    for (std::size_t i = 0; i < r.size(); ++i) {
        s.velocities[i] = s.velocities[i] + (halfDt / s.massOf(i)) * s.forces[i];
        r[i] = r[i] + dt_ * s.velocities[i];
    }
    s.potentialEnergy = forceField_.compute(s.atoms, s.forces);
    for (std::size_t i = 0; i < r.size(); ++i) s.velocities[i] = s.velocities[i] + (halfDt / s.massOf(i)) * s.forces[i];
    if (thermostat_) thermostat_->halfStep(s, dt_);
}

void VelocityVerlet::run(MdSystem& s, long steps) {
    for (long n = 0; n < steps; ++n) step(s);
}

double VelocityVerlet::conservedEnergy(const MdSystem& s) const {
    double e = kineticEnergy(s) + s.potentialEnergy;
    if (thermostat_) e += thermostat_->energy();
    return e;
}

}  // namespace agl::md
