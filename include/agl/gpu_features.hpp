// Host-callable entry points of the GPU feature engine (CUDA backend, cuda/*.cu). Plain C++: no CUDA headers,
// so any host file may include it. In a build without CUDA every function throws agl::Error ("not built with
// CUDA"; host/core/gpu_absent.cpp) — check agl::gpu::available() first, or let agl::resolveDevice do it.
//
//   gpu::computeFeatures(structures, groups, precision, derivatives)
//       Symmetry functions of each structure, same layout and column order as the CPU FeatureEngine::compute
//       (include/agl/features.hpp: values, and with `derivatives` the merged per-atom derivative entries —
//       entry 0 of atom i is i itself, then the other atoms with an image in the cutoff, first-seen order).
//       Precision::Fp64: all in double (agrees with the CPU to ~1e-12 relative).
//       Precision::Fp32: geometry and every per-triplet term in float, but each atom's sums (G and dG/dr)
//       accumulated in double, so the error stays that of a single term (~1e-6 relative, no growth with the
//       number of neighbours) — cheaper than Kahan in registers and exact enough for 1e-5. The polynomial
//       cutoffs (types 5–8) are evaluated in double (agl/cutoff_function.hpp: in float they cancel to ~5e-5).
//       Structures are processed in chunks that fit the GPU's free memory (a chunk too big is split in half).
//   gpu::buildNeighborLists(structures, cutoff)
//       The full neighbour list of each structure built on the GPU: the same search over the same cell lists
//       as agl::buildNeighborList (agl/bin_grid.hpp), so the same pairs in the same order. For tests and
//       diagnostics; computeFeatures builds its own on the device.
#pragma once
#include <vector>

#include "agl/device.hpp"
#include "agl/features.hpp"
#include "agl/neighbor_list.hpp"
#include "agl/structure.hpp"
#include "agl/symmetry_function_groups.hpp"

namespace agl::gpu {

// `groups`: one ElementGroups per centre element (any order); atoms of elements without groups get no
// functions. Returns one StructureFeatures per structure, in order.
std::vector<StructureFeatures> computeFeatures(const std::vector<const Structure*>& structures,
                                               const std::vector<ElementGroups>& groups, Precision precision,
                                               bool derivatives);

std::vector<NeighborList> buildNeighborLists(const std::vector<const Structure*>& structures, double cutoff);

}  // namespace agl::gpu
