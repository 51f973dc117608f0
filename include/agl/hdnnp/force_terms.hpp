// The HDNNP chain rule, shared by the CPU loop (host/hdnnp/hdnnp.cpp) and the GPU kernel (cuda/gpu_hdnnp.cu):
// the force on atom k,  F_k = −Σ_i Σ_f ∂E_i/∂G_if · ∂G_if/∂r_k,  over the derivative entries (i, k) of the
// features.hpp layout (dEdG (nf) of atom i at its value offset; the (3 × nf) row-major block of entry (i, k)).
//
// As a GATHER: the entries are listed by target atom k (ForceGather), so each atom's force is one sum — one
// GPU thread or one OpenMP iteration per atom, no atomics — taken in centre order i ascending, the order in
// which the entries are stored: the forces do not depend on the thread count or the device's scheduling.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "agl/vec3.hpp"

namespace agl {

// The term of one entry: −Σ_f ∂E_i/∂G_if · ∂G_if/∂r_k.
AGL_HD Vec3d entryForce(const double* dEdG, const double* block, std::size_t nf) {
    double c[3] = {0.0, 0.0, 0.0};
    for (int x = 0; x < 3; ++x)
        for (std::size_t j = 0; j < nf; ++j) c[x] += dEdG[j] * block[std::size_t(x) * nf + j];
    return Vec3d{-c[0], -c[1], -c[2]};
}

// The entries of each target atom.
struct ForceGather {
    std::vector<std::uint32_t> offsets;  // (numAtoms + 1) entries targeting atom k: [offsets[k], offsets[k+1])
    std::vector<std::uint32_t> centre;   // (numEntries) centre atom i of each listed entry
    std::vector<std::uint64_t> block;    // (numEntries) start of the entry's (3 × nf_i) block in the derivatives
};

// From the features.hpp layout (derivativeOffsets (numAtoms + 1), derivativeAtom, derivativeStart and
// numFunctions (numAtoms)); reuses g's buffers.
inline void makeForceGather(std::size_t numAtoms, const std::uint32_t* derivativeOffsets,
                            const std::uint32_t* derivativeAtom, const std::uint64_t* derivativeStart,
                            const int* numFunctions, ForceGather& g) {
    const std::size_t numEntries = numAtoms ? derivativeOffsets[numAtoms] : 0;
    g.offsets.assign(numAtoms + 1, 0);
    for (std::size_t e = 0; e < numEntries; ++e) ++g.offsets[std::size_t(derivativeAtom[e]) + 1];
    for (std::size_t k = 0; k < numAtoms; ++k) g.offsets[k + 1] += g.offsets[k];
    g.centre.resize(numEntries);
    g.block.resize(numEntries);
    std::vector<std::uint32_t> next(g.offsets.begin(), g.offsets.end() - (numAtoms ? 1 : 0));
    for (std::size_t i = 0; i < numAtoms; ++i) {  // centres ascending: each target's list is in centre order
        const std::uint64_t blockSize = 3 * std::uint64_t(numFunctions[i]);
        for (std::uint32_t e = derivativeOffsets[i]; e < derivativeOffsets[i + 1]; ++e) {
            const std::uint32_t t = next[derivativeAtom[e]]++;
            g.centre[t] = std::uint32_t(i);
            g.block[t] = derivativeStart[i] + (e - derivativeOffsets[i]) * blockSize;
        }
    }
}

// F_k from the gather lists (offsets, centre, block of a ForceGather), dEdG (at valueOffset[i] per atom,
// numFunctions[i] values) and the derivative blocks.
AGL_HD Vec3d gatherForce(std::uint32_t k, const std::uint32_t* offsets, const std::uint32_t* centre,
                         const std::uint64_t* block, const std::uint64_t* valueOffset, const int* numFunctions,
                         const double* dEdG, const double* derivatives) {
    Vec3d F{0.0, 0.0, 0.0};
    for (std::uint32_t t = offsets[k]; t < offsets[k + 1]; ++t) {
        const std::uint32_t i = centre[t];
        F = F + entryForce(dEdG + valueOffset[i], derivatives + block[t], std::size_t(numFunctions[i]));
    }
    return F;
}

}  // namespace agl
