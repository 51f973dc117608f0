// The Lennard-Jones pair term, shared by every caller (CPU loop, tests, a future GPU kernel):
//
//   V(r) = 4ε[(σ/r)¹² − (σ/r)⁶]          for r < rc, 0 beyond — truncated WITHOUT shift (LAMMPS
//                                         `pair_style lj/cut rc` with `pair_modify shift no`), so V jumps
//                                         by −V(rc) at the cutoff.
//   −(dV/dr)/r = 24ε[2(σ/r)¹² − (σ/r)⁶] / r²
//
// With d = r_j − r_i, the force on j is (−(dV/dr)/r)·d and the force on i its opposite.
#pragma once
#include "agl/vec3.hpp"

namespace agl::md {

struct LjParameters {
    double epsilon = 1.0;   // well depth (energy)
    double sigma = 1.0;     // zero of V (length)
    double cutoff = 2.8;    // rc (length); the paper's value
    // false (the paper, and the data of `agl data lj`): V as above. true: V(r) − V(rc) inside rc (LAMMPS
    // `pair_modify shift yes`), a continuous energy; forces are the same. Used to test energy conservation.
    bool shift = false;
};

// r2 = r² (length²). Writes V(r) and −(dV/dr)/r. The caller checks r2 < rc².
template <typename T>
AGL_HD void ljPair(T r2, T epsilon, T sigma2, T& energy, T& forceOverR) {
    T s2 = sigma2 / r2;
    T s6 = s2 * s2 * s2;
    T s12 = s6 * s6;
    energy = T(4) * epsilon * (s12 - s6);
    forceOverR = T(24) * epsilon * (T(2) * s12 - s6) / r2;
}

}  // namespace agl::md
