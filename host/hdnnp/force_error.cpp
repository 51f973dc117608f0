// Force RMSE against reference forces (agl/hdnnp/force_error.hpp).
#include "agl/hdnnp/force_error.hpp"

#include <cmath>

#include "agl/error.hpp"
#include "agl/hdnnp/hdnnp.hpp"

namespace agl {

void ForceError::add(const std::vector<Vec3d>& predicted, const std::vector<Vec3d>& reference) {
    AGL_CHECK(reference.size() <= predicted.size(), "more reference forces than atoms");
    for (std::size_t i = 0; i < predicted.size(); ++i) {
        const Vec3d ref = i < reference.size() ? reference[i] : Vec3d{0, 0, 0};
        haveReference_ = haveReference_ || ref.x != 0.0 || ref.y != 0.0 || ref.z != 0.0;
        const Vec3d d = predicted[i] - ref;
        sum_ += dot(d, d);
        referenceSum_ += dot(ref, ref);
    }
    components_ += 3 * predicted.size();
}

double ForceError::rmse() const {
    return haveReference_ && components_ > 0 ? std::sqrt(sum_ / double(components_)) : -1.0;
}

double ForceError::referenceRms() const {
    return haveReference_ && components_ > 0 ? std::sqrt(referenceSum_ / double(components_)) : -1.0;
}

bool hasReferenceForces(const Structure& s) {
    for (const Vec3d& f : s.forces)
        if (f.x != 0.0 || f.y != 0.0 || f.z != 0.0) return true;
    return false;
}

ForceError forceError(const NnSettings& settings, const Potential& potential,
                      const std::vector<const Structure*>& structures, int threads) {
    Hdnnp hdnnp(settings, potential);
    ForceError error;
    std::vector<Vec3d> forces;
    for (const Structure* s : structures) {
        hdnnp.energyAndForces(*s, forces, threads);
        error.add(forces, s->forces);
    }
    return error;
}

}  // namespace agl
