// LennardJones: the LJ force field (lj_pair.hpp) over a Verlet list (verlet_list.hpp). Periodic structures
// only; the list handles cells of any size relative to the cutoff (self images included).
#pragma once
#include <string>
#include <vector>

#include "agl/md/force_field.hpp"
#include "agl/md/lj_pair.hpp"
#include "agl/md/verlet_list.hpp"

namespace agl::md {

class LennardJones : public ForceField {
public:
    // skin (length) of the Verlet list; 0 rebuilds the list on every call (the baseline of bench_md).
    explicit LennardJones(LjParameters params = {}, double skin = 0.3);

    double cutoff() const override { return params_.cutoff; }
    double compute(const Structure& s, std::vector<Vec3d>& forces) override;
    std::string describe() const override;

    const LjParameters& parameters() const { return params_; }
    const VerletList& neighborList() const { return list_; }

private:
    LjParameters params_;
    VerletList list_;
};

}  // namespace agl::md
