// The force error of a potential against reference forces, as `agl predict --forces` and `agl evaluate`
// report it: the RMSE over every Cartesian component of every atom, in the data's energy/length unit.
// Data without forces (input.data written with all force columns 0) has no reference: every component exactly
// 0 means "none", and the RMSE is reported as absent (−1) instead of as the size of the predicted forces.
#pragma once
#include <cstddef>
#include <vector>

#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"
#include "agl/train/potential.hpp"
#include "agl/vec3.hpp"

namespace agl {

class ForceError {
public:
    // One structure: predicted forces (numAtoms) and reference forces (numAtoms; missing ones count as 0).
    void add(const std::vector<Vec3d>& predicted, const std::vector<Vec3d>& reference);
    // √(mean of the squared component differences), or −1 when no reference component was non-zero.
    double rmse() const;
    // √(mean of the squared reference components): the scale the RMSE compares with (−1 as rmse()).
    double referenceRms() const;

private:
    double sum_ = 0.0, referenceSum_ = 0.0;
    std::size_t components_ = 0;
    bool haveReference_ = false;
};

// Whether `s` carries reference forces: a non-zero component (the convention above).
bool hasReferenceForces(const Structure& s);

// The force error of `potential` (the networks of `settings`, on the CPU) on `structures`.
ForceError forceError(const NnSettings& settings, const Potential& potential,
                      const std::vector<const Structure*>& structures, int threads = 0);

}  // namespace agl
