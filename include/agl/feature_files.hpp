// Files made from a FeatureTable: n2p2 `scaling.data` and `function.data` (formats of
// ../shared/reference/n2p2-conventions.md §4 and §6). The `.npy` matrices are agl/npy.hpp's.
#pragma once
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "agl/feature_table.hpp"

namespace agl {

// Per-column statistics of the raw G of one element (sigma: sample, n − 1; 0 for n < 2). The training engine's
// input scaling is the same statistics over the training structures (agl::FeatureScaling derives from it).
struct FeatureStatistics {
    std::vector<double> min, max, mean, sigma;  // (numFunctions)
    std::size_t count = 0;                      // rows the statistics are over
};
// Over all rows, or over the rows of the structures with useStructure[s] != 0 (size numStructures).
FeatureStatistics featureStatistics(const ElementFeatures& element, const std::vector<char>* useStructure = nullptr);

// scaling.data: the n2p2 header, then `%10d %10d %24.16E %24.16E %24.16E %24.16E` per function (1-based
// element index in atomic-number order, 1-based function index).
// A constant column (sigma 0) is written with sigma = zeroSigmaAs: 0 for the raw statistics of `agl features`,
// 1 in a potential folder (n2p2 would divide by it; agl feeds such a column as 0 and exports weight 0).
void writeScalingData(std::ostream& out, const FeatureTable& table);
void writeScalingData(std::ostream& out, const std::vector<const FeatureStatistics*>& elements, double zeroSigmaAs);

// function.data (RuNNer layout): per structure `%6d` N, then N lines `%3d ` Z and ` %14.10f` G (atoms in structure
// order), then the trailer ` %19.10f` × 4 = 0, E/N, E/N, 0.
void writeFunctionData(std::ostream& out, const FeatureTable& table);

}  // namespace agl
