// Unit systems of `agl md`, named as in LAMMPS. The integrators work in any consistent units with k_B = 1
// (system.hpp); a unit system only says how to convert what the user gives:
//   lj     lengths σ, energies ε, masses m, time τ, temperature ε/k_B          (k_B = 1, mass as given)
//   metal  lengths Å, energies eV, masses g/mol, time ps, temperature K          (the units of most DFT data)
// In metal units the integrator's mass is m·1.0364269656e-4 eV·ps²/Å² per g/mol (so F/m is in Å/ps²), and its
// "temperature" is k_B·T in eV (k_B = 8.617333262e-5 eV/K).
#pragma once
#include <string>

namespace agl::md {

struct MdUnits {
    std::string name;          // "lj" or "metal"
    double boltzmann = 1.0;    // k_B in energy per temperature unit
    double massScale = 1.0;    // integrator mass per user mass unit
    std::string timeUnit;      // "tau" or "ps"
    std::string temperatureUnit;  // "eps/kB" or "K"
};

// "lj" or "metal"; anything else throws agl::InputError naming the option.
MdUnits mdUnits(const std::string& name);

}  // namespace agl::md
