// ElementNetwork: one element's trained atomic network evaluated for many atoms at once, giving the atomic
// energies E_i and their gradients with respect to the scaled inputs, ∂E_i/∂x_i — the network half of the
// forces F = −Σ_i (∂E_i/∂G_i)·(∂G_i/∂r).
//
// Inputs x = (G − mean)/σ (the potential's scaling; σ = 0 columns are fed as 0, see train/potential.hpp), so
// ∂E/∂G = (∂E/∂x)/σ, and 0 for σ = 0 columns. Rows are atoms; a pass is one GEMM per layer forward and one per
// layer backward (include/agl/train/layer_math.hpp, the same math the trainer uses), fp64 on the CPU.
#pragma once
#include <cstddef>
#include <vector>

#include "agl/train/potential.hpp"

namespace agl {

class ElementNetwork {
public:
    explicit ElementNetwork(const ElementPotential& potential);

    int numInputs() const { return arch_.numInputs(); }
    // x (rows × numInputs) row-major from raw G (rows × numInputs).
    void scaleInputs(std::size_t rows, const double* G, double* x) const;
    // Rows of raw G (rows × numInputs) with a value outside the training range [min, max] of its column
    // (a relative tolerance of 1e-9 of the range absorbs rounding).
    std::size_t countExtrapolating(std::size_t rows, const double* G) const;
    // energies (rows) = E(x);  dEdG (rows × numInputs) = ∂E/∂G (chain rule through the scaling).
    // Buffers are kept between calls (no allocation in an MD loop once the largest row count was seen).
    void evaluate(std::size_t rows, const double* x, double* energies, double* dEdG);
    // energies only (no backward pass).
    void energies(std::size_t rows, const double* x, double* energies);

    // What the GPU potential needs to run the same network and scaling (gpu_hdnnp.hpp).
    const ElementArch& arch() const { return arch_; }
    const std::vector<double>& weights() const { return weights_; }
    const std::vector<double>& mean() const { return mean_; }
    const std::vector<double>& inverseSigma() const { return inverseSigma_; }
    const std::vector<double>& low() const { return low_; }
    const std::vector<double>& high() const { return high_; }

private:
    void forward(std::size_t rows, const double* x);

    ElementArch arch_;
    std::vector<double> weights_;              // n2p2 canonical order (per layer: W (in × out) row-major, b)
    std::vector<std::size_t> weightOffset_;    // (layers) start of layer l's W in weights_
    std::vector<double> inverseSigma_, mean_;  // (numInputs); 1/σ, or 0 where σ = 0
    std::vector<double> low_, high_;           // (numInputs) training range, widened by the tolerance
    std::vector<std::vector<double>> y_;       // (layers) outputs of layer l (rows × out_l)
    int widest_ = 0;                           // widest layer, inputs included
    std::vector<double> delta_, delta2_;       // backward buffers (rows × widest_)
};

}  // namespace agl
