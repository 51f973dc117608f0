#include "agl/hdnnp/hdnnp_force_field.hpp"

#include <cstdio>

namespace agl {

HdnnpForceField::HdnnpForceField(Hdnnp& hdnnp, int threads, std::string label)
    : hdnnp_(hdnnp), threads_(threads), label_(std::move(label)) {}

double HdnnpForceField::compute(const Structure& s, std::vector<Vec3d>& forces) {
    return hdnnp_.energyAndForces(s, forces, threads_);
}

std::string HdnnpForceField::describe() const {
    std::size_t functions = 0;
    for (const ElementPotential& e : hdnnp_.potential().elements) functions += std::size_t(e.arch.numInputs());
    char rc[32];
    std::snprintf(rc, sizeof rc, "%g", hdnnp_.cutoff());
    return "hdnnp " + label_ + " (" + std::to_string(functions) + " symmetry functions, rc " + rc + ")";
}

}  // namespace agl
