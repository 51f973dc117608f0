// ResidentModels: K models whose parameters, gradient and Adam moments live away from the host while an
// epoch runs — on the GPU (gpu::GpuModelBatch, include/agl/gpu_train.hpp) — as agl::Trainer drives them on a
// device: one call per step of a mini-batch, and state copies only at epoch boundaries, where the Trainer's
// host copy decides early stopping, compacts finished models and writes checkpoints. Flat buffers in the
// ParamLayout of the Trainer's ModelBatch; only slots [0, numActive) are read or written by a step.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "agl/train/optimizer.hpp"
#include "agl/train/param_layout.hpp"
#include "agl/train/training_data.hpp"

namespace agl {

class ResidentModels {
public:
    virtual ~ResidentModels() = default;

    // State copies (layout.size() doubles each).
    virtual void setParams(const std::vector<double>& flat) = 0;
    virtual std::vector<double> params() const = 0;
    virtual void setMoments(const std::vector<double>& m, const std::vector<double>& v) = 0;
    virtual void moments(std::vector<double>& m, std::vector<double>& v) const = 0;
    virtual void setGroups(const GroupSettings& groups) = 0;
    // Every structure's standardised features, energies and atom counts, kept for all later calls.
    virtual void setData(const StandardisedData& data) = 0;

    // energies (count × numActive): predicted total energies of the listed structures.
    virtual void predict(const std::uint32_t* structures, int count, int numActive, std::vector<double>& energies) = 0;
    // One training step of the active slots (ModelBatch::lossAndGradient, maskFirstLayerGradient, adamwStep,
    // proximalGroupStep): mse (numActive) of the mini-batch; energies, when given, its forward energies.
    virtual void lossAndGradient(const std::uint32_t* structures, int count, int numActive, std::vector<double>& mse,
                                 std::vector<double>* energies = nullptr) = 0;
    virtual void maskGradient(int numActive) = 0;
    virtual void adamwStep(int numActive, long step, double lr, const AdamWSettings& settings) = 0;
    virtual void proximalStep(int numActive, double lr, std::vector<double>* penalty = nullptr) = 0;
};

// The host stand-in for a device: the same calls on private host copies with the CPU math (ModelBatch with
// `chunkAtoms` (0: the default), the optimizer.hpp loops). It runs the Trainer's device code path — state
// away from the Trainer's own buffers, copied at epoch boundaries — without a GPU, and must give exactly the
// CPU Trainer's results (tests/train/trainer_test.cpp).
std::unique_ptr<ResidentModels> makeHostResidentModels(const ParamLayout& layout, int chunkAtoms);

}  // namespace agl
