// Unit systems of `agl md`, named as in LAMMPS. The integrators work in any consistent units with k_B = 1
// (system.hpp); a unit system only says how to convert what the user gives:
//   lj     lengths σ, energies ε, masses m, time τ, temperature ε/k_B          (k_B = 1, mass as given)
//   metal  lengths Å, energies eV, masses g/mol, time ps, temperature K          (the units of most DFT data)
//   electron  lengths bohr, energies hartree, masses g/mol, time fs, temperature K  (RuNNer/n2p2 potentials
//          in atomic units, e.g. n2p2's water examples; LAMMPS's `units electron` has the same time unit)
// In metal units the integrator's mass is m·1.0364269656e-4 eV·ps²/Å² per g/mol (so F/m is in Å/ps²), and its
// "temperature" is k_B·T in eV (k_B = 8.617333262e-5 eV/K); in electron units m·1.0665723058 Eh·fs²/bohr² per
// g/mol and k_B = 3.1668115634556e-6 Eh/K.
#pragma once
#include <string>

namespace agl::md {

struct MdUnits {
    std::string name;          // "lj", "metal" or "electron"
    double boltzmann = 1.0;    // k_B in energy per temperature unit
    double massScale = 1.0;    // integrator mass per user mass unit
    std::string timeUnit;      // "tau", "ps" or "fs"
    std::string temperatureUnit;  // "eps/kB" or "K"
};

// "lj", "metal" or "electron"; anything else throws agl::InputError naming the option.
MdUnits mdUnits(const std::string& name);

}  // namespace agl::md
