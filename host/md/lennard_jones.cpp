// Lennard-Jones energies and forces over the half Verlet list.
#include "agl/md/lennard_jones.hpp"

#include <sstream>

#include "agl/error.hpp"

namespace agl::md {

LennardJones::LennardJones(LjParameters params, double skin)
    : params_(params), list_(params.cutoff, skin) {
    AGL_CHECK(params.epsilon > 0.0 && params.sigma > 0.0, "LJ epsilon and sigma must be positive");
}

double LennardJones::compute(const Structure& s, std::vector<Vec3d>& forces) {
    list_.update(s);
    const auto& first = list_.first();
    const auto& second = list_.second();
    const auto& shift = list_.shift();
    const double rc2 = params_.cutoff * params_.cutoff;
    const double sigma2 = params_.sigma * params_.sigma;
    double shiftEnergy = 0.0, unusedForce;
    if (params_.shift) ljPair(rc2, params_.epsilon, sigma2, shiftEnergy, unusedForce);
    forces.assign(s.positions.size(), Vec3d{0, 0, 0});
    double energy = 0.0;
    for (std::size_t p = 0; p < first.size(); ++p) {
        const std::uint32_t i = first[p], j = second[p];
        const Vec3d d = s.positions[j] - s.positions[i] + shift[p];
        const double r2 = dot(d, d);
        if (r2 >= rc2) continue;  // in the skin
        double v, fOverR;
        ljPair(r2, params_.epsilon, sigma2, v, fOverR);
        energy += v - shiftEnergy;
        const Vec3d f = fOverR * d;  // force on j
        forces[j] = forces[j] + f;
        forces[i] = forces[i] - f;
    }
    return energy;
}

std::string LennardJones::describe() const {
    std::ostringstream os;
    os << "lj/cut eps=" << params_.epsilon << " sigma=" << params_.sigma << " rc=" << params_.cutoff
       << (params_.shift ? " (shifted)" : " (no shift)");
    return os.str();
}

}  // namespace agl::md
