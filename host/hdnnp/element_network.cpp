// Batched forward and input-gradient passes of one element's atomic network (element_network.hpp).
#include "agl/hdnnp/element_network.hpp"

#include <algorithm>
#include <cmath>

#include "agl/error.hpp"
#include "agl/train/layer_math.hpp"

namespace agl {

ElementNetwork::ElementNetwork(const ElementPotential& potential)
    : arch_(potential.arch), weights_(potential.weights) {
    AGL_CHECK(weights_.size() == arch_.numParams(), "weights do not match the network of element " +
                                                        std::to_string(arch_.element));
    AGL_CHECK(!arch_.layers.empty() && arch_.layers.back().out == 1, "atomic networks must end in one output");
    std::size_t offset = 0;
    for (const LayerShape& L : arch_.layers) {
        weightOffset_.push_back(offset);
        offset += std::size_t(L.in) * L.out + L.out;
    }
    const std::size_t n = std::size_t(arch_.numInputs());
    const FeatureScaling& sc = potential.scaling;
    AGL_CHECK(sc.mean.size() == n && sc.sigma.size() == n && sc.min.size() == n && sc.max.size() == n,
              "scaling does not match the network inputs");
    mean_ = sc.mean;
    inverseSigma_.resize(n);
    for (std::size_t j = 0; j < n; ++j) inverseSigma_[j] = sc.sigma[j] > 0.0 ? 1.0 / sc.sigma[j] : 0.0;
    y_.resize(arch_.layers.size());
    widest_ = arch_.numInputs();
    for (const LayerShape& L : arch_.layers) widest_ = std::max(widest_, L.out);
    low_.resize(n);
    high_.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
        const double tolerance = 1e-9 * (std::abs(sc.max[j] - sc.min[j]) + std::abs(sc.max[j]));
        low_[j] = sc.min[j] - tolerance;
        high_[j] = sc.max[j] + tolerance;
    }
}

std::size_t ElementNetwork::countExtrapolating(std::size_t rows, const double* G) const {
    const std::size_t n = low_.size();
    std::size_t count = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        bool outside = false;
        for (std::size_t j = 0; j < n; ++j) outside |= G[r * n + j] < low_[j] || G[r * n + j] > high_[j];
        count += outside;
    }
    return count;
}

void ElementNetwork::scaleInputs(std::size_t rows, const double* G, double* x) const {
    const std::size_t n = mean_.size();
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) x[r * n + j] = (G[r * n + j] - mean_[j]) * inverseSigma_[j];
}

void ElementNetwork::forward(std::size_t rows, const double* x) {
    const double* in = x;
    int ldIn = arch_.numInputs();
    for (std::size_t l = 0; l < arch_.layers.size(); ++l) {
        const LayerShape& L = arch_.layers[l];
        y_[l].resize(rows * std::size_t(L.out));
        const double* W = weights_.data() + weightOffset_[l];
        denseForward(int(rows), L.in, L.out, in, ldIn, W, L.out, W + std::size_t(L.in) * L.out, L.activation,
                     y_[l].data(), L.out);
        in = y_[l].data();
        ldIn = L.out;
    }
}

void ElementNetwork::energies(std::size_t rows, const double* x, double* energies) {
    if (rows == 0) return;
    forward(rows, x);
    std::copy_n(y_.back().data(), rows, energies);
}

// Backward from ∂E/∂y_L = 1: δ_l = (∂E/∂y_l) ⊙ f'_l;  ∂E/∂y_{l−1} = δ_l · W_lᵀ.
void ElementNetwork::evaluate(std::size_t rows, const double* x, double* energies, double* dEdG) {
    if (rows == 0) return;
    forward(rows, x);
    std::copy_n(y_.back().data(), rows, energies);
    delta_.resize(rows * std::size_t(widest_));
    delta2_.resize(rows * std::size_t(widest_));
    std::fill_n(delta_.data(), rows, 1.0);  // ∂E/∂y_L (rows × 1)
    for (std::size_t l = arch_.layers.size(); l-- > 0;) {
        const LayerShape& L = arch_.layers[l];
        applyActivationSlope(int(rows), L.out, L.activation, y_[l].data(), L.out, delta_.data(), L.out);
        const double* W = weights_.data() + weightOffset_[l];
        double* target = l == 0 ? dEdG : delta2_.data();
        denseInputGradient(int(rows), L.in, L.out, delta_.data(), L.out, W, L.out, target, L.in);
        if (l > 0) std::swap(delta_, delta2_);
    }
    const std::size_t n = inverseSigma_.size();
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) dEdG[r * n + j] *= inverseSigma_[j];
}

}  // namespace agl
