// Synthetic training data with a known answer: random feature matrices and energies produced by a seeded
// "teacher" network per element. Used by the tests (convergence, gradients) and by bench_train.
#pragma once
#include <cstdint>
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/train/param_layout.hpp"

namespace agl {

struct SyntheticSpec {
    std::vector<int> elements{1};            // atomic numbers, ascending
    std::vector<int> numFunctions{4};        // features per element
    int numStructures = 100;
    int minAtoms = 4, maxAtoms = 8;          // atoms per structure, uniform in [min, max]
    std::vector<int> teacherHidden{8};       // teacher network hidden layers (tanh), linear output
    std::uint64_t seed = 1;
    int testTagged = 0;                      // the last `testTagged` structures are tagged Test
};

// Features G_j ~ offset_j + scale_j·|N(0,1)| (raw, unscaled, positive like symmetry functions); each atom's
// element drawn uniformly; energies E = Σ_i teacher_{element}((G_i − offset)/scale).
FeatureTable makeSyntheticTable(const SyntheticSpec& spec);

// The shape of the paper's LJ model as synthetic data (one element, 22 features, 256-atom structures, a
// 10-10 tanh teacher): the benchmarks' workload.
inline SyntheticSpec ljLikeSpec(int numStructures) {
    SyntheticSpec spec;
    spec.elements = {1};
    spec.numFunctions = {22};
    spec.numStructures = numStructures;
    spec.minAtoms = spec.maxAtoms = 256;
    spec.teacherHidden = {10, 10};
    return spec;
}

}  // namespace agl
