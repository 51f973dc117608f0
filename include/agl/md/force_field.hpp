// ForceField: what an MD integrator needs from an interaction model — the potential energy of a periodic
// structure and the force on every atom. Lennard-Jones implements it now (lennard_jones.hpp); an HDNNP will
// implement it later through the feature engine, so the interface speaks agl::Structure only.
#pragma once
#include <string>
#include <vector>

#include "agl/structure.hpp"

namespace agl::md {

class ForceField {
public:
    virtual ~ForceField() = default;
    // Interaction range (length). Atoms farther apart do not interact.
    virtual double cutoff() const = 0;
    // Potential energy (energy) of `s`; writes F_i = −∂E/∂r_i into `forces` (resized to numAtoms, energy/
    // length). Positions may lie outside the cell. May keep state between calls (neighbour lists), so calls
    // are expected along one trajectory but any sequence of structures gives correct results.
    virtual double compute(const Structure& s, std::vector<Vec3d>& forces) = 0;
    // One line for logs and file comments ("lj/cut eps=1 sigma=1 rc=2.8").
    virtual std::string describe() const = 0;
    // Atoms whose environment lay outside what the model was fitted on in the last compute() (a machine-learned
    // potential extrapolating: n2p2's "extrapolation warnings"); 0 for analytic potentials.
    virtual std::size_t extrapolatingAtoms() const { return 0; }
};

}  // namespace agl::md
