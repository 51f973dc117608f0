// Independent references for the MD tests: Lennard-Jones energy and forces by a plain double loop over
// atom pairs and explicit periodic images, written from the formula V = 4ε[(σ/r)¹² − (σ/r)⁶] (r < rc, no
// shift) without any production code. Also helpers to make test configurations.
#pragma once
#include <cmath>
#include <random>
#include <vector>

#include "agl/structure.hpp"

namespace mdtest {

using agl::Vec3d;

struct LjResult {
    double energy = 0.0;
    std::vector<Vec3d> forces;
};

// Cubic box of edge L (s.cell[0].x). Sums over every image n ∈ [−k, k]³ of every j (k = ceil(rc/L)), so it
// is right for any box size; each unordered (i, j, n) is counted once through the ½.
inline LjResult bruteForceLj(const agl::Structure& s, double rc, double eps = 1.0, double sigma = 1.0) {
    const double L = s.cell[0].x;
    const int k = static_cast<int>(std::ceil(rc / L));
    const std::size_t n = s.positions.size();
    LjResult out;
    out.forces.assign(n, Vec3d{0, 0, 0});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
            for (int a = -k; a <= k; ++a)
                for (int b = -k; b <= k; ++b)
                    for (int c = -k; c <= k; ++c) {
                        if (i == j && a == 0 && b == 0 && c == 0) continue;
                        double dx = s.positions[j].x + a * L - s.positions[i].x;
                        double dy = s.positions[j].y + b * L - s.positions[i].y;
                        double dz = s.positions[j].z + c * L - s.positions[i].z;
                        double r = std::sqrt(dx * dx + dy * dy + dz * dz);
                        if (r >= rc) continue;
                        double sr6 = std::pow(sigma / r, 6);
                        out.energy += 0.5 * 4 * eps * (sr6 * sr6 - sr6);
                        double dVdr = 4 * eps * (-12 * sr6 * sr6 + 6 * sr6) / r;
                        // F_i = −∂V/∂r_i = +dV/dr · (r_j − r_i)/r
                        out.forces[i].x += dVdr * dx / r;
                        out.forces[i].y += dVdr * dy / r;
                        out.forces[i].z += dVdr * dz / r;
                    }
    return out;
}

// Minimum-image pair loop (valid for rc < L/2): the faster reference for 256+ atoms.
inline LjResult minimumImageLj(const agl::Structure& s, double rc) {
    const double L = s.cell[0].x;
    const std::size_t n = s.positions.size();
    LjResult out;
    out.forces.assign(n, Vec3d{0, 0, 0});
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            double d[3] = {s.positions[j].x - s.positions[i].x, s.positions[j].y - s.positions[i].y,
                           s.positions[j].z - s.positions[i].z};
            for (double& x : d) x -= L * std::round(x / L);
            double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 >= rc * rc) continue;
            double ir6 = 1.0 / (r2 * r2 * r2);
            out.energy += 4 * (ir6 * ir6 - ir6);
            double fr = (48 * ir6 * ir6 - 24 * ir6) / r2;  // −(dV/dr)/r
            Vec3d f{fr * d[0], fr * d[1], fr * d[2]};       // on j
            out.forces[j] = out.forces[j] + f;
            out.forces[i] = out.forces[i] - f;
        }
    return out;
}

// A test configuration: an fcc crystal (built here, not by agl::md::fccLattice) of n³ cells at density
// rho, each atom displaced uniformly in [−amp, amp]³ and possibly shifted by random cell vectors (to test
// unwrapped positions).
inline agl::Structure perturbedFcc(int cells, double rho, double amp, unsigned seed, bool scatterImages = false) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-amp, amp);
    std::uniform_int_distribution<int> image(-2, 2);
    const double a = std::cbrt(4.0 / rho), L = a * cells;
    agl::Structure s;
    s.periodic = true;
    s.cell = {Vec3d{L, 0, 0}, Vec3d{0, L, 0}, Vec3d{0, 0, L}};
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int i = 0; i < cells; ++i)
        for (int j = 0; j < cells; ++j)
            for (int k = 0; k < cells; ++k)
                for (auto& b : basis) {
                    Vec3d r{a * (i + b[0]) + u(rng), a * (j + b[1]) + u(rng), a * (k + b[2]) + u(rng)};
                    if (scatterImages) r = r + Vec3d{L * image(rng), L * image(rng), L * image(rng)};
                    s.positions.push_back(r);
                }
    s.elements.assign(s.positions.size(), 18);
    return s;
}

inline double maxNorm(const std::vector<Vec3d>& v) {
    double m = 0;
    for (auto& x : v) m = std::max(m, agl::norm(x));
    return m;
}

inline double maxDiff(const std::vector<Vec3d>& a, const std::vector<Vec3d>& b) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, agl::norm(a[i] - b[i]));
    return m;
}

}  // namespace mdtest
