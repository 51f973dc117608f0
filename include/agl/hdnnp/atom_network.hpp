// One atom's pass through its element's network — the energy E and the input gradient ∂E/∂x — written for
// one GPU thread per atom (cuda/gpu_hdnnp.cu) and checked on the CPU against the batched ElementNetwork
// (tests/hdnnp/atom_network_test.cpp). The atomic networks of HDNNPs are small (tens of neurons), so a
// thread keeps a whole pass in its own scratch instead of a GEMM per layer.
//
// Weights in n2p2's canonical order (train/potential.hpp): per layer l (in_l → out_l) the weights W
// (in_l × out_l, row-major: source outer, target inner), then the biases (out_l).
//   forward    y_l = f_l(b_l + y_{l−1} · W_l),  y_{−1} = x,  E = y_{L−1} (one output)
//   backward   δ_{L−1} = f'(y_{L−1});  ∂E/∂y_{l−1} = W_l · δ_l;  δ_{l−1} = ∂E/∂y_{l−1} ⊙ f'(y_{l−1});
//              ∂E/∂x = W_0 · δ_0                                          (f' from the outputs, activation.hpp)
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "agl/error.hpp"
#include "agl/train/activation.hpp"
#include "agl/train/param_layout.hpp"

namespace agl {

constexpr int kMaxAtomLayers = 8;

// A network as plain numbers and pointers (host or device memory).
struct AtomNetworkView {
    int numLayers = 0;
    int in[kMaxAtomLayers] = {}, out[kMaxAtomLayers] = {};
    Activation activation[kMaxAtomLayers] = {};
    std::size_t weightOffset[kMaxAtomLayers] = {};  // start of layer l's W in `weights` (its biases follow W)
    std::size_t numWeights = 0;                     // weights and biases of all layers
    const double* weights = nullptr;
};

// The view of an element network (ElementArch layers) over its canonical weights. Throws agl::Error for more
// than kMaxAtomLayers layers or an output other than one energy.
inline AtomNetworkView atomNetworkView(const std::vector<LayerShape>& layers, const double* weights) {
    AGL_CHECK(!layers.empty() && int(layers.size()) <= kMaxAtomLayers,
              "atomic networks with 1 to " + std::to_string(kMaxAtomLayers) + " layers are supported");
    AGL_CHECK(layers.back().out == 1, "atomic networks must end in one output");
    AtomNetworkView v;
    v.numLayers = int(layers.size());
    std::size_t offset = 0;
    for (int l = 0; l < v.numLayers; ++l) {
        v.in[l] = layers[std::size_t(l)].in;
        v.out[l] = layers[std::size_t(l)].out;
        v.activation[l] = layers[std::size_t(l)].activation;
        v.weightOffset[l] = offset;
        offset += std::size_t(v.in[l]) * v.out[l] + v.out[l];
    }
    v.numWeights = offset;
    v.weights = weights;
    return v;
}

// The widest layer side (inputs included): the length of a gradient row of the backward pass.
AGL_HD int atomNetworkWidest(const AtomNetworkView& n) {
    int widest = 1;
    for (int l = 0; l < n.numLayers; ++l) {
        widest = n.out[l] > widest ? n.out[l] : widest;
        widest = n.in[l] > widest ? n.in[l] : widest;
    }
    return widest;
}

// Scratch doubles one pass needs: every layer's outputs plus two gradient rows.
inline std::size_t atomNetworkScratch(const AtomNetworkView& n) {
    std::size_t outputs = 0;
    for (int l = 0; l < n.numLayers; ++l) outputs += std::size_t(n.out[l]);
    return outputs + 2 * std::size_t(atomNetworkWidest(n));
}

// E of input x (in[0] values); with dEdx, also ∂E/∂x (in[0] values; may be the same array as x: x is only
// read by the forward pass). scratch: atomNetworkScratch(n) doubles.
AGL_HD double atomNetwork(const AtomNetworkView& n, const double* x, double* scratch, double* dEdx) {
    // Forward: layer l's outputs at scratch + first[l].
    std::size_t first[kMaxAtomLayers] = {};
    std::size_t at = 0;
    const double* input = x;
    for (int l = 0; l < n.numLayers; ++l) {
        first[l] = at;
        const double* W = n.weights + n.weightOffset[l];
        const double* b = W + std::size_t(n.in[l]) * n.out[l];
        double* y = scratch + at;
        for (int o = 0; o < n.out[l]; ++o) {
            double z = b[o];
            for (int i = 0; i < n.in[l]; ++i) z += input[i] * W[std::size_t(i) * n.out[l] + o];
            y[o] = activate(n.activation[l], z);
        }
        input = y;
        at += std::size_t(n.out[l]);
    }
    const double energy = scratch[at - 1];  // the one output of the last layer
    if (!dEdx) return energy;
    // Backward from ∂E/∂y_{L−1} = 1, ping-ponging between two rows after the layer outputs.
    double* delta = scratch + at;
    double* next = delta + atomNetworkWidest(n);
    delta[0] = 1.0;
    for (int l = n.numLayers - 1; l >= 0; --l) {
        const double* y = scratch + first[l];
        for (int o = 0; o < n.out[l]; ++o) delta[o] *= activationSlope(n.activation[l], y[o]);
        const double* W = n.weights + n.weightOffset[l];
        double* target = l == 0 ? dEdx : next;
        for (int i = 0; i < n.in[l]; ++i) {
            double g = 0.0;
            for (int o = 0; o < n.out[l]; ++o) g += W[std::size_t(i) * n.out[l] + o] * delta[o];
            target[i] = g;
        }
        double* swap = delta;
        delta = next;
        next = swap;
    }
    return energy;
}

}  // namespace agl
