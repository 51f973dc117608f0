// Seeded random structures and symmetry-function sets for the feature tests.
#pragma once
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"

namespace testdata {

using Rng = std::mt19937_64;

inline double uniform(Rng& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

// Atoms at random fractional positions of `cell`, at least `minDist` apart (ignoring images; only to avoid
// coincident atoms), elements drawn from `elements`.
inline agl::Structure periodic(Rng& rng, std::array<agl::Vec3d, 3> cell, int numAtoms, std::vector<int> elements,
                               double minDist = 0.5) {
    agl::Structure s;
    s.periodic = true;
    s.cell = cell;
    while (static_cast<int>(s.numAtoms()) < numAtoms) {
        const double f[3] = {uniform(rng, 0, 1), uniform(rng, 0, 1), uniform(rng, 0, 1)};
        const agl::Vec3d r = f[0] * cell[0] + f[1] * cell[1] + f[2] * cell[2];
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

// A skewed (triclinic) cell with edge lengths around `edge`.
inline std::array<agl::Vec3d, 3> triclinic(Rng& rng, double edge) {
    return {agl::Vec3d{edge * uniform(rng, 0.9, 1.1), 0, 0},
            agl::Vec3d{edge * uniform(rng, -0.4, 0.4), edge * uniform(rng, 0.9, 1.1), 0},
            agl::Vec3d{edge * uniform(rng, -0.3, 0.3), edge * uniform(rng, -0.3, 0.3), edge * uniform(rng, 0.9, 1.1)}};
}

inline agl::Structure cluster(Rng& rng, double box, int numAtoms, std::vector<int> elements, double minDist = 0.7) {
    agl::Structure s = periodic(rng, {agl::Vec3d{box, 0, 0}, agl::Vec3d{0, box, 0}, agl::Vec3d{0, 0, box}}, numAtoms,
                                elements, minDist);
    s.periodic = false;
    s.cell = {};
    for (auto& r : s.positions) r = r + agl::Vec3d{-3.0, 7.0, 1.5};  // away from the origin
    return s;
}

// Settings from a list of functions (centre set per function), sorted the n2p2 way within each element.
inline agl::NnSettings settingsOf(std::vector<agl::SymmetryFunction> functions) {
    agl::NnSettings settings;
    for (const auto& sf : functions) settings.elements.push_back(sf.centre);
    std::sort(settings.elements.begin(), settings.elements.end());
    settings.elements.erase(std::unique(settings.elements.begin(), settings.elements.end()), settings.elements.end());
    std::stable_sort(functions.begin(), functions.end(), [](const auto& a, const auto& b) {
        return a.centre != b.centre ? a.centre < b.centre : agl::n2p2Less(a, b);
    });
    settings.functions = functions;
    return settings;
}

inline agl::SymmetryFunction radial(int centre, int e1, double eta, double rs, double rc, int cutoff = 6,
                                    double alpha = 0.0) {
    agl::SymmetryFunction sf;
    sf.type = 2;
    sf.centre = centre;
    sf.e1 = e1;
    sf.eta = eta;
    sf.rs = rs;
    sf.rc = rc;
    sf.cutoffType = static_cast<agl::CutoffType>(cutoff);
    sf.cutoffAlpha = alpha;
    return sf;
}

inline agl::SymmetryFunction angular(int type, int centre, int e1, int e2, double eta, double lambda, double zeta,
                                     double rc, double rs = 0.0, int cutoff = 6, double alpha = 0.0) {
    agl::SymmetryFunction sf = radial(centre, std::min(e1, e2), eta, rs, rc, cutoff, alpha);
    sf.type = type;
    sf.e2 = std::max(e1, e2);
    sf.lambda = lambda;
    sf.zeta = zeta;
    return sf;
}

// A mixed set for two elements (z1 < z2): radial per neighbour element, wide and narrow angular terms with
// integer and non-integer ζ, non-zero rs, both λ, and two cutoff radii sharing one cutoff type.
inline std::vector<agl::SymmetryFunction> mixedSet(int z1, int z2, double rc, int cutoff, double alpha) {
    std::vector<agl::SymmetryFunction> f;
    for (int c : {z1, z2}) {
        for (int e : {z1, z2}) {
            f.push_back(radial(c, e, 0.3, 0.0, rc, cutoff, alpha));
            f.push_back(radial(c, e, 1.2, 1.4, rc, cutoff, alpha));
            f.push_back(radial(c, e, 0.05, 0.5, 0.7 * rc, cutoff, alpha));
        }
        for (double lambda : {-1.0, 1.0}) {
            f.push_back(angular(9, c, z1, z1, 0.1, lambda, 1.0, rc, 0.0, cutoff, alpha));
            f.push_back(angular(9, c, z1, z2, 0.1, lambda, 4.0, rc, 0.0, cutoff, alpha));
            f.push_back(angular(9, c, z2, z2, 0.2, lambda, 2.5, rc, 1.1, cutoff, alpha));  // non-integer ζ, rs
            f.push_back(angular(9, c, z1, z2, 0.2, lambda, 16.0, 0.8 * rc, 0.9, cutoff, alpha));
            f.push_back(angular(3, c, z1, z2, 0.05, lambda, 2.0, rc, 0.0, cutoff, alpha));
            f.push_back(angular(3, c, z1, z1, 0.1, lambda, 1.5, rc, 0.8, cutoff, alpha));
        }
    }
    return f;
}

// Wide (type 9) functions whose ζ chain mixes the CPU kernel's cases: squaring steps (1 → 2 → 4, 12 → 48),
// other integer steps (4 → 5, 5 → 12), a non-integer ζ inside the chain (4.5), both λ, two (η, rs) per group.
inline std::vector<agl::SymmetryFunction> zetaChainSet(int z1, int z2, double rc) {
    std::vector<agl::SymmetryFunction> f;
    for (int c : {z1, z2})
        for (double zeta : {1.0, 2.0, 4.0, 4.5, 5.0, 12.0, 48.0})
            for (double lambda : {-1.0, 1.0}) {
                f.push_back(angular(9, c, z1, z1, 0.1, lambda, zeta, rc));
                f.push_back(angular(9, c, z1, z2, 0.3, lambda, zeta, rc, 0.7));
            }
    return f;
}

}  // namespace testdata

namespace testdata {

// fcc lattice of n×n×n conventional cells with lattice constant a, each atom displaced by up to ±jitter.
inline agl::Structure perturbedFcc(Rng& rng, int n, double a, double jitter, int element) {
    agl::Structure s;
    s.periodic = true;
    s.cell = {agl::Vec3d{n * a, 0, 0}, agl::Vec3d{0, n * a, 0}, agl::Vec3d{0, 0, n * a}};
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int x = 0; x < n; ++x)
        for (int y = 0; y < n; ++y)
            for (int z = 0; z < n; ++z)
                for (const auto& b : basis) {
                    s.positions.push_back({a * (x + b[0]) + uniform(rng, -jitter, jitter),
                                           a * (y + b[1]) + uniform(rng, -jitter, jitter),
                                           a * (z + b[2]) + uniform(rng, -jitter, jitter)});
                    s.elements.push_back(element);
                }
    s.atomCharges.assign(s.numAtoms(), 0.0);
    s.forces.assign(s.numAtoms(), agl::Vec3d{0, 0, 0});
    return s;
}

}  // namespace testdata
