// Independent brute-force reference for the symmetry functions, written from n2p2-conventions.md §1 without
// any production code: plain loops over every atom and every periodic image in range, Σ_j Σ_{k>j}, no
// grouping, std::pow everywhere, cutoff functions as expanded polynomials. Double precision. Slow on purpose.
#pragma once
#include <cmath>
#include <vector>

#include "agl/structure.hpp"
#include "agl/symmetry_function.hpp"

namespace bf {

struct Neighbor {
    int atom;
    double d[3];  // r_j + shift − r_i
    double r;
};

inline double cutoffValue(const agl::SymmetryFunction& sf, double r) {
    const double rc = sf.rc, ri = sf.cutoffAlpha * rc;
    if (r >= rc) return 0.0;
    const int type = static_cast<int>(sf.cutoffType);
    if (type == 2) return std::pow(std::tanh(1.0 - r / rc), 3);
    if (type == 3) return std::pow(std::tanh(1.0 - r / rc) / std::tanh(1.0), 3);
    if (r < ri) return 1.0;
    const double x = (r - ri) / (rc - ri);
    switch (type) {
        case 0: return 1.0;
        case 1: return 0.5 * (std::cos(M_PI * x) + 1.0);
        case 4: return std::exp(1.0 - 1.0 / (1.0 - x * x));
        case 5: return 2 * std::pow(x, 3) - 3 * x * x + 1;
        case 6: return -6 * std::pow(x, 5) + 15 * std::pow(x, 4) - 10 * std::pow(x, 3) + 1;
        case 7: return 20 * std::pow(x, 7) - 70 * std::pow(x, 6) + 84 * std::pow(x, 5) - 35 * std::pow(x, 4) + 1;
        case 8:
            return -70 * std::pow(x, 9) + 315 * std::pow(x, 8) - 540 * std::pow(x, 7) + 420 * std::pow(x, 6) -
                   126 * std::pow(x, 5) + 1;
    }
    return NAN;
}

// Every atom j and every image with |r_j + n·cell − r_i| < rc, j ≠ i unless shifted (n up to ±ceil(rc/h)+1).
inline std::vector<Neighbor> neighbors(const agl::Structure& s, int i, double rc) {
    std::vector<Neighbor> out;
    int range[3] = {0, 0, 0};
    if (s.periodic) {
        const auto& c = s.cell;
        const double v = std::abs(agl::cellVolume(c));
        for (int d = 0; d < 3; ++d)
            range[d] = static_cast<int>(std::ceil(rc / (v / agl::norm(agl::cross(c[(d + 1) % 3], c[(d + 2) % 3]))))) + 1;
    }
    for (int j = 0; j < static_cast<int>(s.numAtoms()); ++j)
        for (int a = -range[0]; a <= range[0]; ++a)
            for (int b = -range[1]; b <= range[1]; ++b)
                for (int c = -range[2]; c <= range[2]; ++c) {
                    if (j == i && a == 0 && b == 0 && c == 0) continue;
                    Neighbor n{j, {}, 0.0};
                    for (int x = 0; x < 3; ++x)
                        n.d[x] = s.positions[j][x] - s.positions[i][x] + a * s.cell[0][x] + b * s.cell[1][x] +
                                 c * s.cell[2][x];
                    n.r = std::sqrt(n.d[0] * n.d[0] + n.d[1] * n.d[1] + n.d[2] * n.d[2]);
                    if (n.r < rc) out.push_back(n);
                }
    return out;
}

// G of atom i. `scale` (optional) receives the same sum with every cutoff factor replaced by 1: the size of
// the rounding error to expect, because fc near rc is a difference of O(1) numbers (absolute error ~1e-16 while
// fc itself is tiny), in any evaluation order — tolerances are set as 1e-12·|G| + 1e-14·scale.
inline double symmetryFunction(const agl::Structure& s, int i, const agl::SymmetryFunction& sf,
                               double* scale = nullptr) {
    const auto nb = neighbors(s, i, sf.rc);
    double g = 0.0, sc = 0.0;
    if (sf.type == 2) {
        for (const auto& n : nb)
            if (s.elements[n.atom] == sf.e1) {
                g += std::exp(-sf.eta * std::pow(n.r - sf.rs, 2)) * cutoffValue(sf, n.r);
                sc += std::exp(-sf.eta * std::pow(n.r - sf.rs, 2));
            }
        if (scale) *scale = sc;
        return g;
    }
    for (std::size_t j = 0; j < nb.size(); ++j)
        for (std::size_t k = j + 1; k < nb.size(); ++k) {
            const int ej = s.elements[nb[j].atom], ek = s.elements[nb[k].atom];
            if (!((ej == sf.e1 && ek == sf.e2) || (ej == sf.e2 && ek == sf.e1))) continue;
            const double* dj = nb[j].d;
            const double* dk = nb[k].d;
            const double cosT = (dj[0] * dk[0] + dj[1] * dk[1] + dj[2] * dk[2]) / (nb[j].r * nb[k].r);
            const double base = 1.0 + sf.lambda * cosT;
            if (base <= 0.0) continue;
            const double bare = std::pow(2.0, 1.0 - sf.zeta) * std::pow(base, sf.zeta) *
                                std::exp(-sf.eta * (std::pow(nb[j].r - sf.rs, 2) + std::pow(nb[k].r - sf.rs, 2)));
            double term = bare * cutoffValue(sf, nb[j].r) * cutoffValue(sf, nb[k].r);
            double termScale = 3 * bare;
            if (sf.type == 3) {
                const double rjk = std::sqrt(std::pow(dk[0] - dj[0], 2) + std::pow(dk[1] - dj[1], 2) +
                                             std::pow(dk[2] - dj[2], 2));
                if (rjk >= sf.rc) continue;
                term *= std::exp(-sf.eta * std::pow(rjk - sf.rs, 2)) * cutoffValue(sf, rjk);
                termScale *= std::exp(-sf.eta * std::pow(rjk - sf.rs, 2));
            }
            g += term;
            sc += termScale;
        }
    if (scale) *scale = sc;
    return g;
}

}  // namespace bf
