// The per-atom network pass of the GPU force kernel (agl/hdnnp/atom_network.hpp) against the batched CPU
// ElementNetwork (GEMMs): energies and ∂E/∂G to 1e-12 for every activation n2p2 letter this project knows.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "agl/error.hpp"
#include "agl/hdnnp/atom_network.hpp"
#include "agl/hdnnp/element_network.hpp"

namespace {

agl::ElementPotential randomElement(const std::vector<int>& hidden, const std::string& activations, int inputs,
                                    unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    agl::ElementPotential e;
    e.arch = agl::makeElementArch(8, inputs, hidden, activations);
    for (int j = 0; j < inputs; ++j) {
        e.scaling.mean.push_back(u(rng));
        e.scaling.sigma.push_back(j == 2 ? 0.0 : 0.3 + u(rng));  // one constant column (σ = 0: input 0)
        e.scaling.min.push_back(0.0);
        e.scaling.max.push_back(2.0);
    }
    e.weights.resize(e.arch.numParams());
    for (double& w : e.weights) w = 1.2 * (u(rng) - 0.5);
    return e;
}

void expectSameAsElementNetwork(const agl::ElementPotential& e, unsigned seed) {
    agl::ElementNetwork net(e);
    const std::size_t rows = 37, nf = std::size_t(e.arch.numInputs());
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 2.0);
    std::vector<double> G(rows * nf), x(rows * nf), energies(rows), dEdG(rows * nf);
    for (double& g : G) g = u(rng);
    net.scaleInputs(rows, G.data(), x.data());
    net.evaluate(rows, x.data(), energies.data(), dEdG.data());
    const agl::AtomNetworkView view = agl::atomNetworkView(e.arch.layers, e.weights.data());
    std::vector<double> scratch(agl::atomNetworkScratch(view));
    double largest = 0.0;
    for (double g : dEdG) largest = std::max(largest, std::abs(g));
    ASSERT_GT(largest, 1e-3);
    for (std::size_t r = 0; r < rows; ++r) {
        std::vector<double> row(x.begin() + long(r * nf), x.begin() + long((r + 1) * nf));
        EXPECT_NEAR(agl::atomNetwork(view, row.data(), scratch.data(), nullptr), energies[r], 1e-12) << "row " << r;
        // x and ∂E/∂x in one array, as the GPU kernel calls it.
        const double energy = agl::atomNetwork(view, row.data(), scratch.data(), row.data());
        EXPECT_NEAR(energy, energies[r], 1e-12 * std::max(1.0, std::abs(energies[r]))) << "row " << r;
        for (std::size_t j = 0; j < nf; ++j) {
            const double sigma = e.scaling.sigma[j];
            const double got = sigma > 0.0 ? row[j] / sigma : 0.0;
            EXPECT_NEAR(got, dEdG[r * nf + j], 1e-12 * std::max(1.0, largest)) << "row " << r << " input " << j;
        }
    }
}

TEST(AtomNetwork, TanhNetworkEqualsElementNetwork) {
    expectSameAsElementNetwork(randomElement({10, 10}, "ttl", 22, 1), 2);
}

TEST(AtomNetwork, EveryActivationAndDepth) {
    expectSameAsElementNetwork(randomElement({6, 5, 4}, "sptl", 7, 3), 4);
    expectSameAsElementNetwork(randomElement({9}, "rl", 5, 5), 6);
    expectSameAsElementNetwork(randomElement({3, 12}, "tsl", 30, 7), 8);
}

TEST(AtomNetwork, ScratchCoversOutputsAndTwoGradientRows) {
    const agl::ElementPotential e = randomElement({6, 5}, "ttl", 9, 9);
    const agl::AtomNetworkView v = agl::atomNetworkView(e.arch.layers, e.weights.data());
    EXPECT_EQ(agl::atomNetworkScratch(v), std::size_t(6 + 5 + 1 + 2 * 9));
    std::vector<agl::LayerShape> deep(agl::kMaxAtomLayers + 1, agl::LayerShape{1, 1, agl::Activation::Tanh});
    EXPECT_THROW(agl::atomNetworkView(deep, e.weights.data()), agl::Error);
}

}  // namespace
