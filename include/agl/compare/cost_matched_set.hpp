// Filter sets at the same COUNTED COST as a reference set instead of the same size (`agl compare --match
// cost`). The paper compares PC, CUR and FPS with AGL at equal N; but a set's speed depends on what it holds
// (an angular function costs a term per neighbour pair, a radial one per neighbour), so equal N can hide a
// filter set that is much cheaper or dearer. Here each filter gets the largest count per element whose
// functions cost no more than the reference's functions of that element (countedCost, evaluation_work.hpp,
// on the given held-out structures: deterministic).
#pragma once
#include <cstdint>
#include <vector>

#include "agl/compare/feature_set.hpp"
#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"

namespace agl {

// Element e's share of a set's counted cost per atom: the terms of its functions `columns` (noise columns
// count nothing) over all atoms of the structures, the per-atom floor excluded. Shares add up: the counted
// cost of a set is kAtomFloor + Σ_e share_e.
double elementCountedCost(const FeatureTable& table, const NnSettings& candidates, std::size_t e,
                          const std::vector<int>& columns, const std::vector<const Structure*>& structures);

// For every element: the filter's picks for the largest count (1 … all columns) whose share is at most the
// reference's share (at least one pick). rowStructures: the rows the filter sees (the non-test split).
FeatureSet costMatchedFilterSet(const FeatureTable& table, const NnSettings& candidates, filters::Method method,
                                const FeatureSet& reference, const std::vector<std::uint32_t>& rowStructures,
                                const std::vector<const Structure*>& structures, std::uint64_t seed = 1);

}  // namespace agl
