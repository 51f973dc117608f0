// Random HDNNPs and structures for the force tests.
#pragma once
#include <algorithm>
#include <random>
#include <string>

#include "agl/hdnnp/hdnnp.hpp"
#include "agl/train/potential.hpp"
#include "features/test_structures.hpp"

namespace hdnnptest {

// Two elements (H, O: Z = 1, 8) with the mixed G2/G3/G9 set of the feature tests (or the functions given),
// 2 × 8 tanh networks, scaling with σ-scaled inputs.
inline agl::NnSettings twoElementSettings(std::vector<agl::SymmetryFunction> functions = testdata::mixedSet(1, 8, 4.0,
                                                                                                          6, 0.0)) {
    agl::NnSettings s = testdata::settingsOf(std::move(functions));
    s.network.hiddenNodes = {8, 8};
    s.network.activations = "ttl";
    s.scaling.scaleSigma = true;  // alone, as agl exports it (n2p2's (G − mean)/σ)
    s.atomEnergy[1] = -0.5;
    s.atomEnergy[8] = -75.0;
    return s;
}

// The same with the H (Z = 1) functions cut at 3.0 and the O (Z = 8) ones at 4.0: a pair can be a derivative
// entry of one centre and not of the other.
inline agl::NnSettings twoCutoffSettings() {
    std::vector<agl::SymmetryFunction> f = testdata::mixedSet(1, 8, 4.0, 6, 0.0);
    for (auto& sf : f)
        if (sf.centre == 1) sf.rc = std::min(sf.rc, 3.0);
    return twoElementSettings(std::move(f));
}

// Random weights (uniform ±0.5) and scaling (mean 0..0.5, σ 0.5..2; the second column of every element
// σ = 0, the constant-column rule) for the settings' networks.
inline agl::Potential randomPotential(const agl::NnSettings& settings, unsigned long long seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    agl::Potential p;
    for (const agl::ElementArch& arch : agl::archsFromSettings(settings)) {
        agl::ElementPotential e;
        e.arch = arch;
        const std::size_t n = std::size_t(arch.numInputs());
        e.scaling.min.assign(n, 0.0);
        e.scaling.max.assign(n, 1.0);
        for (std::size_t j = 0; j < n; ++j) {
            e.scaling.mean.push_back(0.5 * u(rng));
            e.scaling.sigma.push_back(j == 1 ? 0.0 : 0.5 + 1.5 * u(rng));
        }
        e.weights.resize(arch.numParams());
        for (double& w : e.weights) w = u(rng) - 0.5;
        p.elements.push_back(std::move(e));
    }
    return p;
}

// The potential with each element's extrapolation range [min, max] set from the features of `reference`, with
// column j's upper end at a fraction (0.5 + 0.5·j/n) of its range: other structures of the same kind have
// atoms both inside and outside, and the two elements' ranges differ.
inline void rangesFrom(agl::Potential& p, const agl::NnSettings& settings, const agl::Structure& reference) {
    const agl::StructureFeatures f = agl::FeatureEngine(settings).compute(reference, false, 1);
    for (agl::ElementPotential& e : p.elements) {
        const std::size_t n = std::size_t(e.arch.numInputs());
        e.scaling.min.assign(n, 1e300);
        e.scaling.max.assign(n, -1e300);
        for (std::size_t i = 0; i < reference.numAtoms(); ++i) {
            if (reference.elements[i] != e.arch.element) continue;
            for (std::size_t j = 0; j < n; ++j) {
                e.scaling.min[j] = std::min(e.scaling.min[j], f.g(i)[j]);
                e.scaling.max[j] = std::max(e.scaling.max[j], f.g(i)[j]);
            }
        }
        for (std::size_t j = 0; j < n; ++j)
            e.scaling.max[j] = e.scaling.min[j] + (0.5 + 0.5 * double(j) / double(n)) *
                                                      (e.scaling.max[j] - e.scaling.min[j]);
    }
}

inline agl::Structure waterLike(unsigned long long seed, int numAtoms = 24) {
    testdata::Rng rng(seed);
    return testdata::periodic(rng, testdata::triclinic(rng, 6.0), numAtoms, {1, 8, 1}, 0.9);
}

}  // namespace hdnnptest
