// Private state of agl::gpu::GpuModelBatch (include/agl/gpu_train.hpp), shared by
//   cuda/train_optimizer.cu    the flat-buffer kernels: AdamW, gradient mask, proximal group step + penalty
//   cuda/train_model_batch.cu  the network engine: gather, forward, loss, backward (precision-templated)
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "agl/gpu/cuda_check.hpp"
#include "agl/gpu/device_buffer.hpp"
#include "agl/gpu/stream.hpp"
#include "agl/gpu_train.hpp"

namespace agl::gpu {

// One element's first layer as the group kernels see it: group (k, j) is the run of `width` values at
// weight + j·ld + k·width (checked against the layout's slot offsets when the batch is built).
struct GroupElementDev {
    unsigned long long weight = 0;
    int numInputs = 0, width = 0, ld = 0, groupOffset = 0;
};

// The precision-dependent half: features, float/double copies of the parameters, activations, GEMMs.
class TrainEngine {
public:
    virtual ~TrainEngine() = default;
    virtual void setData(const StandardisedData& data) = 0;
    // energies (count × numActive); with mse, also the loss and the gradient into Impl::grad.
    virtual void run(const std::uint32_t* structures, int count, int numActive, std::vector<double>& energies,
                     std::vector<double>* mse) = 0;
    // The double parameters changed: the engine's own copy (fp32) is stale.
    virtual void paramsChanged() = 0;
};

struct GpuModelBatch::Impl {
    Impl(const GpuLayoutDesc& layout, Precision precision);

    GpuLayoutDesc layout;
    Precision precision;
    Stream stream;       // declared before the handle: the handle is destroyed first
    CublasHandle blas;

    // Flat buffers (layout.size), double in both precisions.
    DeviceBuffer<double> params, grad, m, v;
    DeviceBuffer<std::uint16_t> slotOf;
    DeviceBuffer<std::uint8_t> decayed;

    // Group settings (GroupSettings, slot-major: index k·numGroups + groupOffset[e] + j).
    std::size_t numGroups = 0;
    DeviceBuffer<GroupElementDev> groupElements;
    DeviceBuffer<double> lambda, adaptive;
    DeviceBuffer<std::uint8_t> mask;
    DeviceBuffer<double> groupPenalty;      // (K·numGroups) per-group penalty terms
    DeviceBuffer<int> slotGroupOffsets;     // (K + 1) k·numGroups: segments of the per-slot sums
    DeviceBuffer<double> slotPenalty;       // (K)
    DeviceBuffer<unsigned char> cubScratch;

    std::unique_ptr<TrainEngine> engine;

    void checkActive(int numActive) const;
};

std::unique_ptr<TrainEngine> makeTrainEngine(GpuModelBatch::Impl& impl);

}  // namespace agl::gpu
