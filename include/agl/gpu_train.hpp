// GPU side of the training engine (CUDA backend, cuda/train_*.cu): K models of one ParamLayout trained on
// training data that stays on the GPU. Plain C++ (no CUDA headers), so any host file may include it. In a
// build without CUDA the constructor throws agl::Error ("not built with CUDA"; host/core/gpu_absent.cpp).
//
// Device-resident state, all in the CPU flat layout (include/agl/train/param_layout.hpp):
//   params, grad, m, v          (layout.size()) double — the optimiser works in fp64 in both precisions,
//                               with the very AGL_HD formulas of the CPU (adamwUpdate, groupShrinkFactor)
//   group settings              λ_k, a_kj, mask_kj (GroupSettings, slot-major like the CPU)
//   features                    every structure's standardised rows (StandardisedData), uploaded ONCE
// Precision of the network math (forward, backward, GEMMs):
//   Fp64: everything in double (verification; agrees with the CPU ModelBatch to ~1e-12 relative).
//   Fp32 (default): a float copy of params (refreshed after every optimiser step), float features,
//        activations and cuBLAS SGEMMs (CUBLAS_DEFAULT_MATH: no TF32), float gradient converted to the
//        double flat buffer. Atomic energies are summed per structure in double, so the loss gradient
//        E − E_ref does not lose digits to the sum. Expected agreement ~1e-5 relative (tests: 1e-4).
//
// One training step (what agl::Trainer does per mini-batch on the CPU):
//   lossAndGradient(structures, count, numActive, mse);   // grad ← ∂MSE/∂params of the active slots
//   maskGradient(numActive);                              // masked / a = ∞ groups: gradient 0
//   adamwStep(numActive, step, lr, settings);             // params, m, v
//   proximalStep(numActive, lr, &penalty);                // group soft-threshold (+ penalty after it)
// Only slots [0, numActive) are read or written; entries of the other slots stay as they are.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "agl/device.hpp"
#include "agl/train/optimizer.hpp"
#include "agl/train/param_layout.hpp"
#include "agl/train/resident_models.hpp"
#include "agl/train/training_data.hpp"

namespace agl::gpu {

// The layout facts the kernels need, as plain numbers (filled from a ParamLayout by describeLayout below,
// inline, so that agl_cuda does not link against agl_train). Checked again on the device side.
struct GpuLayerDesc {
    int in = 0, out = 0;
    Activation activation = Activation::Linear;
    std::vector<std::size_t> slotWeight;  // (K) offset of slot k's weight matrix (ParamLayout::slotWeight)
    std::vector<std::size_t> slotBias;    // (K) offset of slot k's biases (from ParamLayout::slotSpans)
    int weightLd = 0;                     // ParamLayout::weightLd
};
struct GpuLayoutDesc {
    int numSlots = 0;
    std::size_t size = 0;
    std::vector<std::vector<GpuLayerDesc>> elements;  // [element][layer]
    std::vector<std::uint16_t> slotOf;                // ParamLayout::slotOf
    std::vector<std::uint8_t> decayed;                // ParamLayout::decayed
};

inline GpuLayoutDesc describeLayout(const ParamLayout& layout) {
    GpuLayoutDesc d;
    d.numSlots = layout.numSlots();
    d.size = layout.size();
    d.slotOf = layout.slotOf();
    d.decayed = layout.decayed();
    d.elements.resize(layout.archs().size());
    for (std::size_t e = 0; e < layout.archs().size(); ++e)
        for (std::size_t l = 0; l < layout.archs()[e].layers.size(); ++l) {
            const LayerShape& L = layout.archs()[e].layers[l];
            GpuLayerDesc g;
            g.in = L.in;
            g.out = L.out;
            g.activation = L.activation;
            g.weightLd = layout.weightLd(int(e), int(l));
            d.elements[e].push_back(g);
        }
    for (int k = 0; k < layout.numSlots(); ++k) {
        const std::vector<Span> spans = layout.slotSpans(k);  // per element, per layer: weights, then biases
        std::size_t n = 0;
        for (std::size_t e = 0; e < d.elements.size(); ++e)
            for (std::size_t l = 0; l < d.elements[e].size(); ++l, n += 2) {
                d.elements[e][l].slotWeight.push_back(layout.slotWeight(int(e), int(l), k));
                d.elements[e][l].slotBias.push_back(spans.at(n + 1).offset);
            }
    }
    return d;
}

// Flops of the GEMMs of one lossAndGradient (forward + weight gradients + input gradients; bias sums and
// elementwise kernels not counted) for rowsPerElement[e] atom rows of element e and numActive models.
inline double trainGemmFlops(const GpuLayoutDesc& layout, const std::vector<long>& rowsPerElement, int numActive) {
    double flops = 0.0;
    for (std::size_t e = 0; e < layout.elements.size() && e < rowsPerElement.size(); ++e)
        for (std::size_t l = 0; l < layout.elements[e].size(); ++l) {
            const GpuLayerDesc& L = layout.elements[e][l];
            const double gemm = 2.0 * double(rowsPerElement[e]) * L.in * L.out * numActive;
            flops += (l == 0 ? 2.0 : 3.0) * gemm;  // forward, weight gradient (and input gradient for l ≥ 1)
        }
    return flops;
}

class GpuModelBatch final : public ResidentModels {
public:
    // Parameters, gradient and moments zero; groups: λ = 0, a = 1, all unmasked (like agl::ModelBatch).
    GpuModelBatch(const ParamLayout& layout, Precision precision = Precision::Fp32)
        : GpuModelBatch(describeLayout(layout), precision) {}
    GpuModelBatch(const GpuLayoutDesc& layout, Precision precision);
    ~GpuModelBatch() override;
    GpuModelBatch(GpuModelBatch&&) noexcept;
    GpuModelBatch& operator=(GpuModelBatch&&) noexcept;
    GpuModelBatch(const GpuModelBatch&) = delete;
    GpuModelBatch& operator=(const GpuModelBatch&) = delete;

    Precision precision() const;
    int numSlots() const;

    // Host ↔ device copies of the flat buffers (layout.size() doubles each; synchronous).
    void setParams(const std::vector<double>& flat) override;
    std::vector<double> params() const override;
    void setGradient(const std::vector<double>& flat);
    std::vector<double> gradient() const;
    void setMoments(const std::vector<double>& m, const std::vector<double>& v) override;
    void moments(std::vector<double>& m, std::vector<double>& v) const override;
    void setGroups(const GroupSettings& groups) override;

    // The training data (every element's standardised rows, energies, atom counts), uploaded once and kept.
    void setData(const StandardisedData& data) override;

    // Forward only: energies (count × numActive) row-major, predicted total energy of each listed structure.
    void predict(const std::uint32_t* structures, int count, int numActive, std::vector<double>& energies) override;
    // mse (numActive): per-atom-energy MSE of each active slot on the listed structures; the device gradient
    // buffer receives ∂MSE_k/∂params of the active slots (same math as ModelBatch::lossAndGradient).
    // energies (optional): the forward energies (count × numActive).
    void lossAndGradient(const std::uint32_t* structures, int count, int numActive, std::vector<double>& mse,
                         std::vector<double>* energies = nullptr) override;

    // Optimiser kernels on the device buffers (same semantics as optimizer.hpp's host loops).
    void maskGradient(int numActive) override;
    void adamwStep(int numActive, long step, double lr, const AdamWSettings& settings) override;
    // Fused proximal group step; with `penalty`, also each active slot's penalty Σ_e (λ_k/N_e) Σ_j a_kj ‖w_kj‖
    // of the weights AFTER the step (numActive values).
    void proximalStep(int numActive, double lr, std::vector<double>* penalty = nullptr) override;
    // Penalties of the current weights (no step), numActive values (like agl::groupPenalty per slot).
    std::vector<double> penalties(int numActive);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace agl::gpu
