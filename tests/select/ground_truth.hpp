// Synthetic ground truth for the selection tests: features of known relevance and energies from a known
// function that reads only some of them. Built in memory (no files).
#pragma once
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/select/selection_path.hpp"

namespace agl::testing {

inline double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * (1.0 / 9007199254740992.0); }
inline double gaussian(std::mt19937_64& rng) {
    const double u1 = 1.0 - uniform01(rng), u2 = uniform01(rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

// One element (Z = 18), 12 features per atom:
//   0, 1, 2   informative: |N(0,1)| + 1
//   3, 4, 5   decoys correlated with 0, 1, 2: x_i + 0.35·N(0,1)   (plain GL tends to spread weight onto them)
//   6 … 11    pure noise |N(0,1)| + 1
// Atomic energy ε = 0.6 x0 − 0.4 x1² + 0.5 tanh(x0 x2 − 1) (reads ONLY features 0, 1, 2); E = Σ_atoms ε.
inline FeatureTable groundTruthTable(int numStructures = 240, std::uint64_t seed = 7) {
    std::mt19937_64 rng(seed);
    FeatureTable t;
    ElementFeatures el;
    el.element = 18;
    for (int j = 0; j < 12; ++j) {
        SymmetryFunction sf;
        sf.type = 2;
        sf.centre = sf.e1 = 18;
        sf.eta = 0.01 * (j + 1);
        sf.rc = 6.0;
        el.functions.push_back(sf);
    }
    for (int s = 0; s < numStructures; ++s) {
        const int n = 3 + int(rng() % 4);
        double energy = 0.0;
        for (int i = 0; i < n; ++i) {
            double x[12];
            for (int j = 0; j < 3; ++j) x[j] = std::fabs(gaussian(rng)) + 1.0;
            for (int j = 3; j < 6; ++j) x[j] = x[j - 3] + 0.35 * gaussian(rng);
            for (int j = 6; j < 12; ++j) x[j] = std::fabs(gaussian(rng)) + 1.0;
            el.values.insert(el.values.end(), x, x + 12);
            el.structure.push_back(std::uint32_t(s));
            el.atom.push_back(std::uint32_t(i));
            energy += 0.6 * x[0] - 0.4 * x[1] * x[1] + 0.5 * std::tanh(x[0] * x[2] - 1.0);
        }
        t.energies.push_back(energy);
        t.numAtoms.push_back(std::uint32_t(n));
        t.tags.push_back(SetTag::Unspecified);
    }
    t.elements.push_back(std::move(el));
    return t;
}

// A small, fast configuration of the three stages.
inline SelectConfig fastSelectConfig() {
    SelectConfig c;
    c.trainer.hiddenNodes = {8, 8};
    c.trainer.activations = "ttl";
    c.trainer.batchSize = 16;
    c.trainer.validationFraction = 0.2;
    c.trainer.schedule.baseRate = 1e-2;
    c.trainer.patience = 10;
    c.trainer.minImprovement = 1e-7;
    c.epochsGl = 150;
    c.epochsAgl = 300;
    c.epochsRefit = 150;
    return c;
}

// The informative features 0, 1, 2 of groundTruthTable, feature 2 relabelled as angular (type 9) so that
// N_G5 counting is exercised.
inline FeatureTable subsetTableForEvaluate() {
    const FeatureTable full = groundTruthTable(120);
    FeatureTable t = full;
    ElementFeatures& el = t.elements[0];
    el.functions.resize(3);
    el.functions[2].type = 9;
    el.values.clear();
    for (std::size_t r = 0; r < full.elements[0].numAtoms(); ++r)
        for (std::size_t j = 0; j < 3; ++j) el.values.push_back(full.elements[0].at(r, j));
    return t;
}

}  // namespace agl::testing
