// MdSystem: the dynamical state of a molecular-dynamics run in LJ-style reduced units (k_B = 1): lengths in
// σ, energies in ε, masses in m, time in τ = σ·sqrt(m/ε), temperature in ε/k_B.
//
// The positions live in an agl::Structure so that any force field (LJ today, an HDNNP through the feature
// engine later) reads the same type the data files use. During a run the positions are NOT wrapped into the
// cell after every step: force fields must accept positions outside the cell (the Verlet list handles that
// with per-pair image shifts, see verlet_list.hpp). Call wrapPositions() on a copy when writing.
#pragma once
#include <cstddef>
#include <vector>

#include "agl/structure.hpp"

namespace agl::md {

struct MdSystem {
    Structure atoms;                  // positions (σ), periodic cell (σ), elements
    std::vector<Vec3d> velocities;    // (numAtoms) σ/τ
    std::vector<Vec3d> forces;        // (numAtoms) ε/σ, of the current positions (set by the integrator)
    std::vector<double> masses;       // (numAtoms) m of each atom; empty: every atom has mass 1 (LJ's m)
    double potentialEnergy = 0.0;     // ε, of the current positions

    std::size_t numAtoms() const { return atoms.positions.size(); }
    double massOf(std::size_t i) const { return masses.empty() ? 1.0 : masses[i]; }
};

// Σ m_i v_i²/2 (ε).
double kineticEnergy(const MdSystem& s);
// Degrees of freedom of the temperature: 3N − 3 (total momentum is conserved and removed at start), as
// LAMMPS's default `compute temp` counts them.
int degreesOfFreedom(const MdSystem& s);
// Instantaneous temperature 2·KE / (N_f k_B) (ε/k_B).
double temperature(const MdSystem& s);
// Σ m_i v_i (m σ/τ).
Vec3d totalMomentum(const MdSystem& s);

// Maxwell–Boltzmann velocities at `temperature` from std::mt19937_64(seed): Gaussian components of variance
// k_B T / m_i, then the total momentum is removed (the centre-of-mass velocity subtracted) and the velocities are scaled so that temperature(s) equals
// `temperature` exactly (as LAMMPS `velocity create ... mom yes`, which also rescales).
void initVelocities(MdSystem& s, double temperature, unsigned long long seed);

}  // namespace agl::md
