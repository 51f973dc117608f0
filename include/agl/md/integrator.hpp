// Time integration: velocity Verlet (NVE), optionally with a Nosé–Hoover chain thermostat (NVT).
//
// NoseHooverChain is the thermostat of LAMMPS `fix nvt temp T T Tdamp tchain M`: chain masses
//   Q_1 = N_f k_B T Tdamp²,  Q_k = k_B T Tdamp² (k ≥ 2),
// propagated by the Martyna–Tuckerman–Klein Trotter splitting: half a time step of the chain, then the
// velocity-Verlet step, then another half step of the chain. One half step (dt/2), with G_1 = (2 KE − N_f k_B T)/Q_1
// and G_k = (Q_{k−1} ξ_{k−1}² − k_B T)/Q_k:
//   for k = M..1:  ξ_k ← ξ_k e^{−ξ_{k+1} dt/8};  ξ_k += G_k dt/4;  ξ_k ← ξ_k e^{−ξ_{k+1} dt/8}   (ξ_{M+1} = 0)
//   v ← v e^{−ξ_1 dt/2};  η_k += ξ_k dt/2
//   for k = 1..M:  the same update with G_k recomputed from the new KE and the new ξ_{k−1}.
// The conserved quantity is KE + PE + Σ Q_k ξ_k²/2 + N_f k_B T η_1 + k_B T Σ_{k≥2} η_k.
#pragma once
#include <optional>
#include <vector>

#include "agl/md/force_field.hpp"
#include "agl/md/system.hpp"

namespace agl::md {

class NoseHooverChain {
public:
    // temperature (ε/k_B) > 0, damping Tdamp (τ) > 0, degreesOfFreedom N_f > 0, length M >= 1.
    NoseHooverChain(double temperature, double damping, int degreesOfFreedom, int length = 3);

    // Propagates the chain over dt/2 and scales the velocities of `s` accordingly.
    void halfStep(MdSystem& s, double dt);
    // Σ Q_k ξ_k²/2 + N_f k_B T η_1 + k_B T Σ_{k≥2} η_k (energy): the thermostat's part of the conserved
    // quantity.
    double energy() const;

    double targetTemperature() const { return temperature_; }
    int length() const { return static_cast<int>(xi_.size()); }
    const std::vector<double>& positions() const { return eta_; }   // η_k (dimensionless)
    const std::vector<double>& velocities() const { return xi_; }   // ξ_k (1/τ)
    // Restores η and ξ (a restart); both must have length() values.
    void setState(const std::vector<double>& positions, const std::vector<double>& velocities);

private:
    void updateThermostatVelocity(std::size_t k, double force, double dt);

    double temperature_, damping_;
    int dof_;
    std::vector<double> mass_;  // (M) Q_k (energy τ²)
    std::vector<double> eta_;   // (M)
    std::vector<double> xi_;    // (M)
};

class VelocityVerlet {
public:
    // dt (τ) > 0. With a thermostat the ensemble is NVT, otherwise NVE. `forceField` must outlive this.
    VelocityVerlet(ForceField& forceField, double dt, std::optional<NoseHooverChain> thermostat = std::nullopt);

    // Computes the forces and potential energy of the current positions (call once before step()).
    void setup(MdSystem& s);
    // One time step: [chain dt/2] v += F dt/2m; r += v dt; forces; v += F dt/2m [chain dt/2].
    void step(MdSystem& s);
    void run(MdSystem& s, long steps);

    // KE + PE (+ the chain's energy in NVT): constant up to O(dt²) errors along a trajectory.
    double conservedEnergy(const MdSystem& s) const;
    double timeStep() const { return dt_; }
    const ForceField& forceField() const { return forceField_; }
    const std::optional<NoseHooverChain>& thermostat() const { return thermostat_; }
    std::optional<NoseHooverChain>& thermostat() { return thermostat_; }

private:
    ForceField& forceField_;
    double dt_;
    std::optional<NoseHooverChain> thermostat_;
    bool ready_ = false;
};

}  // namespace agl::md
