// Random HDNNPs and structures for the force tests.
#pragma once
#include <random>
#include <string>

#include "agl/hdnnp/hdnnp.hpp"
#include "agl/train/potential.hpp"
#include "features/test_structures.hpp"

namespace hdnnptest {

// Two elements (H, O: Z = 1, 8) with the mixed G2/G3/G9 set of the feature tests, 2 × 8 tanh networks,
// scaling with σ-scaled inputs.
inline agl::NnSettings twoElementSettings() {
    agl::NnSettings s = testdata::settingsOf(testdata::mixedSet(1, 8, 4.0, 6, 0.0));
    s.network.hiddenNodes = {8, 8};
    s.network.activations = "ttl";
    s.scaling.scaleSigma = true;  // alone, as agl exports it (n2p2's (G − mean)/σ)
    s.atomEnergy[1] = -0.5;
    s.atomEnergy[8] = -75.0;
    return s;
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

inline agl::Structure waterLike(unsigned long long seed, int numAtoms = 24) {
    testdata::Rng rng(seed);
    return testdata::periodic(rng, testdata::triclinic(rng, 6.0), numAtoms, {1, 8, 1}, 0.9);
}

}  // namespace hdnnptest
