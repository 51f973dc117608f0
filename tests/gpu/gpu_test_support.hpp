// Shared pieces of the GPU-against-CPU tests: the skip rule, seeded random structures and function sets.
// Every test calls AGL_REQUIRE_GPU() first, so the suite passes (skipped) on machines without a usable GPU.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

#include "agl/device.hpp"
#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"
#include "agl/symmetry_function.hpp"
#include "features/test_structures.hpp"

#define AGL_REQUIRE_GPU()                                               \
    do {                                                                \
        std::string agl_why_;                                           \
        if (!agl::gpu::available(&agl_why_)) GTEST_SKIP() << agl_why_; \
    } while (0)

namespace gputest {

// One source of test structures and functions: the CPU feature tests' helpers (tests/features/).
using testdata::Rng;
using testdata::uniform;

// Skewed cell with edges around `edge` (rows = lattice vectors).
inline std::array<agl::Vec3d, 3> triclinicCell(Rng& rng, double edge) {
    return {agl::Vec3d{edge * uniform(rng, 0.9, 1.1), 0, 0},
            agl::Vec3d{edge * uniform(rng, -0.35, 0.35), edge * uniform(rng, 0.9, 1.1), 0},
            agl::Vec3d{edge * uniform(rng, -0.3, 0.3), edge * uniform(rng, -0.3, 0.3), edge * uniform(rng, 0.9, 1.1)}};
}

// `numAtoms` atoms at random positions inside `cell` (or a box of that cell when !periodic, shifted away from
// the origin), pairwise at least `minDist` apart; elements cycle through `elements`.
inline agl::Structure randomStructure(Rng& rng, std::array<agl::Vec3d, 3> cell, bool periodic, int numAtoms,
                                      const std::vector<int>& elements, double minDist) {
    agl::Structure s;
    s.periodic = periodic;
    s.cell = periodic ? cell : std::array<agl::Vec3d, 3>{};
    const agl::Vec3d origin = periodic ? agl::Vec3d{0, 0, 0} : agl::Vec3d{-4.0, 9.0, 2.5};
    int tries = 0;
    while (static_cast<int>(s.numAtoms()) < numAtoms && ++tries < 100000) {
        const agl::Vec3d r =
            origin + uniform(rng, 0, 1) * cell[0] + uniform(rng, 0, 1) * cell[1] + uniform(rng, 0, 1) * cell[2];
        bool ok = true;
        for (const auto& q : s.positions) ok = ok && agl::norm(q - r) >= minDist;
        if (!ok) continue;
        s.positions.push_back(r);
        s.elements.push_back(elements[s.numAtoms() % elements.size()]);
    }
    s.atomCharges.assign(s.numAtoms(), 0.0);
    s.forces.assign(s.numAtoms(), agl::Vec3d{0, 0, 0});
    return s;
}

inline std::array<agl::Vec3d, 3> cubicCell(double edge) {
    return {agl::Vec3d{edge, 0, 0}, agl::Vec3d{0, edge, 0}, agl::Vec3d{0, 0, edge}};
}

inline agl::SymmetryFunction radial(int centre, int e1, double eta, double rs, double rc, agl::CutoffType cutoff,
                                    double alpha) {
    return testdata::radial(centre, e1, eta, rs, rc, static_cast<int>(cutoff), alpha);
}

inline agl::SymmetryFunction angular(int type, int centre, int e1, int e2, double eta, double lambda, double zeta,
                                     double rc, double rs, agl::CutoffType cutoff, double alpha) {
    return testdata::angular(type, centre, e1, e2, eta, lambda, zeta, rc, rs, static_cast<int>(cutoff), alpha);
}

// Radial, wide (9) and narrow (3) functions of every centre in `elements`, both λ, integer and non-integer ζ,
// rs ≠ 0, and a second, smaller rc — every code path of the kernels.
inline std::vector<agl::SymmetryFunction> functionSet(const std::vector<int>& elements, double rc,
                                                      agl::CutoffType cutoff, double alpha) {
    std::vector<agl::SymmetryFunction> f;
    const int z1 = elements.front(), z2 = elements.back();
    for (int c : elements) {
        for (int e : elements) {
            f.push_back(radial(c, e, 0.25, 0.0, rc, cutoff, alpha));
            f.push_back(radial(c, e, 1.1, 1.3, rc, cutoff, alpha));
            f.push_back(radial(c, e, 0.05, 0.4, 0.7 * rc, cutoff, alpha));
        }
        for (double lambda : {-1.0, 1.0}) {
            f.push_back(angular(9, c, z1, z1, 0.08, lambda, 1.0, rc, 0.0, cutoff, alpha));
            f.push_back(angular(9, c, z1, z2, 0.08, lambda, 4.0, rc, 0.0, cutoff, alpha));
            f.push_back(angular(9, c, z2, z2, 0.15, lambda, 2.5, rc, 1.0, cutoff, alpha));
            f.push_back(angular(9, c, z1, z2, 0.15, lambda, 16.0, 0.8 * rc, 0.9, cutoff, alpha));
            f.push_back(angular(3, c, z1, z2, 0.04, lambda, 2.0, rc, 0.0, cutoff, alpha));
            f.push_back(angular(3, c, z1, z1, 0.08, lambda, 1.5, rc, 0.7, cutoff, alpha));
        }
    }
    return f;
}

// Settings with the functions grouped by centre and sorted the n2p2 way (the column order of every output).
inline agl::NnSettings settingsOf(std::vector<agl::SymmetryFunction> functions) {
    agl::NnSettings settings = testdata::settingsOf(functions);
    if (!functions.empty()) {
        settings.cutoffType = functions.front().cutoffType;
        settings.cutoffAlpha = functions.front().cutoffAlpha;
    }
    return settings;
}

}  // namespace gputest
