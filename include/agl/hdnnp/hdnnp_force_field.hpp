// HdnnpForceField: an Hdnnp as the force field of the MD engine (include/agl/md/force_field.hpp), so
// `agl md` runs the integrators of the LJ issue with a trained potential.
#pragma once
#include <string>
#include <vector>

#include "agl/hdnnp/hdnnp.hpp"
#include "agl/md/force_field.hpp"

namespace agl {

class HdnnpForceField : public md::ForceField {
public:
    // `hdnnp` must outlive this. threads: OpenMP threads per evaluation (0 = OpenMP's default).
    HdnnpForceField(Hdnnp& hdnnp, int threads, std::string label);

    double cutoff() const override { return hdnnp_.cutoff(); }
    double compute(const Structure& s, std::vector<Vec3d>& forces) override;
    std::string describe() const override;
    std::size_t extrapolatingAtoms() const override { return hdnnp_.extrapolatingAtoms(); }

private:
    Hdnnp& hdnnp_;
    int threads_;
    std::string label_;
};

}  // namespace agl
