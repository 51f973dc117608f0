// The per-entry term of the HDNNP chain rule, shared by the CPU loop (host/hdnnp/hdnnp.cpp) and the GPU
// kernel (cuda/gpu_hdnnp.cu, through agl/derivative_entries.hpp's gather): the force on atom k from centre
// atom i,  −Σ_f ∂E_i/∂G_if · ∂G_if/∂r_k,  with dEdG (nf) of atom i and its (3 × nf) row-major derivative
// block of entry (i, k) (features.hpp layout).
#pragma once
#include <cstddef>

#include "agl/vec3.hpp"

namespace agl {

// The term of one entry: −Σ_f ∂E_i/∂G_if · ∂G_if/∂r_k.
AGL_HD Vec3d entryForce(const double* dEdG, const double* block, std::size_t nf) {
    double c[3] = {0.0, 0.0, 0.0};
    for (int x = 0; x < 3; ++x)
        for (std::size_t j = 0; j < nf; ++j) c[x] += dEdG[j] * block[std::size_t(x) * nf + j];
    return Vec3d{-c[0], -c[1], -c[2]};
}

}  // namespace agl
