// The derivative ENTRIES of a centre atom (the sparse layout of include/agl/features.hpp) from its full
// neighbour list, and the force on an atom gathered through its own neighbour list — one thread (entries,
// cuda/derivative_entries.cu) or one warp (force, cuda/gpu_hdnnp.cu) per atom on the GPU, so nothing of the
// layout is built on the host.
// tests/features/derivative_entries_test.cpp runs the same functions on the CPU against the CPU engine's
// layout and the CPU chain rule.
//
// Entries of atom i: entry 0 is i itself; then every distinct atom j ≠ i with an image closer than
// `cutoff` (the largest cutoff of i's element), in the order of first appearance in i's list — the CPU
// engine's order. Pairs (i, j, image) are described by CSR arrays: i's pairs are [offsets[i], offsets[i+1]),
// index[p] = j, r[p] = distance (in the precision R of the list).
//
// `repeats` says whether a list may hold the same atom more than once (several of its images within the
// cutoff: BinGrid::repeatsAtoms of the structure, agl/bin_grid.hpp). Only then is a pair checked against the
// earlier pairs of the list (a scan back, O(pairs²) per atom); otherwise every pair is its atom's first.
#pragma once
#include <cstddef>
#include <cstdint>

#include "agl/hdnnp/force_terms.hpp"
#include "agl/vec3.hpp"

namespace agl {

// Pair p of centre i gives (or shares) an entry: another atom, inside the cutoff.
template <typename R>
AGL_HD bool isEntryPair(std::uint32_t i, std::uint32_t j, R r, R cutoff) {
    return j != i && r < cutoff;
}

// The first pair q in [begin, p] of atom index[p] that is an entry pair (p itself when none comes before).
template <typename R>
AGL_HD std::uint32_t firstEntryPair(std::uint32_t i, std::uint32_t begin, std::uint32_t p, const std::uint32_t* index,
                                    const R* r, R cutoff, bool repeats) {
    if (!repeats) return p;
    for (std::uint32_t q = begin; q < p; ++q)
        if (index[q] == index[p] && isEntryPair(i, index[q], r[q], cutoff)) return q;
    return p;
}

// Number of entries of centre atom i (at least 1: i itself).
template <typename R>
AGL_HD std::uint32_t countEntries(std::uint32_t i, const std::uint32_t* offsets, const std::uint32_t* index,
                                  const R* r, R cutoff, bool repeats) {
    std::uint32_t n = 1;
    for (std::uint32_t p = offsets[i]; p < offsets[i + 1]; ++p)
        if (isEntryPair(i, index[p], r[p], cutoff) && firstEntryPair(i, offsets[i], p, index, r, cutoff, repeats) == p)
            ++n;
    return n;
}

// entryAtom (countEntries values: i's entries) and entryOfPair[p] for i's pairs: the entry a pair's derivative
// belongs to, 0 when none (an image of i itself — r_i + shift − r_i does not move — or beyond the cutoff).
template <typename R>
AGL_HD void fillEntries(std::uint32_t i, const std::uint32_t* offsets, const std::uint32_t* index, const R* r,
                        R cutoff, bool repeats, std::uint32_t* entryAtom, std::uint32_t* entryOfPair) {
    entryAtom[0] = i;
    std::uint32_t n = 1;
    for (std::uint32_t p = offsets[i]; p < offsets[i + 1]; ++p) {
        if (!isEntryPair(i, index[p], r[p], cutoff)) {
            entryOfPair[p] = 0;
            continue;
        }
        const std::uint32_t q = firstEntryPair(i, offsets[i], p, index, r, cutoff, repeats);
        if (q == p) {
            entryAtom[n] = index[p];
            entryOfPair[p] = n++;
        } else {
            entryOfPair[p] = entryOfPair[q];
        }
    }
}

// F_k = −Σ_i ∂E_i/∂G_i · ∂G_i/∂r_k without a transposed layout: entry (k, k), then for every distinct
// neighbour j of k that has k among its entries (k's pair to j inside j's cutoff, cutoffOfAtom[j]) the entry
// of k in j's list. The full list is symmetric bit for bit (agl/bin_grid.hpp: r of k→j equals r of j→k), so
// these are all the entries targeting k, the ones the CPU's scatter (Hdnnp::applyChainRule) adds.
// This is the part of F_k from k's pairs lane, lane + lanes, lane + 2·lanes, … (lane 0 also adds entry (k, k)):
// a warp of 32 lanes shares one atom on the GPU and sums its parts; lane 0 of 1 is the whole force.
// Entries: entryOffsets (numAtoms + 1), entryAtom; blocks at derivativeStart[i] + (e − entryOffsets[i])·3·nf_i;
// dEdG at valueOffset[i].
template <typename R>
AGL_HD Vec3d gatherForcePart(std::uint32_t k, std::uint32_t lane, std::uint32_t lanes, const std::uint32_t* offsets,
                             const std::uint32_t* index, const R* r, const R* cutoffOfAtom, bool repeats,
                             const std::uint32_t* entryOffsets, const std::uint32_t* entryAtom,
                             const std::uint64_t* derivativeStart, const std::uint64_t* valueOffset,
                             const int* numFunctions, const double* dEdG, const double* derivatives) {
    Vec3d F{0.0, 0.0, 0.0};
    if (lane == 0)
        F = entryForce(dEdG + valueOffset[k], derivatives + derivativeStart[k], std::size_t(numFunctions[k]));
    for (std::uint32_t p = offsets[k] + lane; p < offsets[k + 1]; p += lanes) {
        const std::uint32_t j = index[p];
        const R cut = cutoffOfAtom[j];
        if (!isEntryPair(k, j, r[p], cut) || firstEntryPair(k, offsets[k], p, index, r, cut, repeats) != p) continue;
        for (std::uint32_t e = entryOffsets[j] + 1; e < entryOffsets[j + 1]; ++e) {
            if (entryAtom[e] != k) continue;
            const std::size_t nf = std::size_t(numFunctions[j]);
            const double* block = derivatives + derivativeStart[j] + std::size_t(e - entryOffsets[j]) * 3 * nf;
            F = F + entryForce(dEdG + valueOffset[j], block, nf);
            break;
        }
    }
    return F;
}

}  // namespace agl
