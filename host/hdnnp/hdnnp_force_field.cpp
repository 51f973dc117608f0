#include "agl/hdnnp/hdnnp_force_field.hpp"

#include <cstdio>

namespace agl {

HdnnpForceField::HdnnpForceField(Hdnnp& hdnnp, int threads, std::string label)
    : hdnnp_(hdnnp), threads_(threads), label_(std::move(label)) {
    // MD moves atoms a little per step: reuse the neighbour list with a skin of 10 % of the cutoff.
    hdnnp_.useNeighborSkin(0.1 * hdnnp_.cutoff());
}

double HdnnpForceField::compute(const Structure& s, std::vector<Vec3d>& forces) {
    return hdnnp_.energyAndForces(s, forces, threads_);
}

std::string HdnnpForceField::describe() const {
    char rc[32];
    std::snprintf(rc, sizeof rc, "%g", hdnnp_.cutoff());
    return "hdnnp " + label_ + " (" + std::to_string(hdnnp_.numFunctions()) + " symmetry functions, rc " + rc + ")";
}

}  // namespace agl
