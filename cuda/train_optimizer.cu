// GpuModelBatch (include/agl/gpu_train.hpp): construction, host ↔ device copies, and the optimiser kernels
// over the flat fp64 buffers — AdamW, the gradient mask and the fused proximal group step with its penalty.
// The per-value math is the CPU's own AGL_HD code (adamwUpdate, groupShrinkFactor in optimizer.hpp); the
// group indexing follows host/train/optimizer.cpp (group g = k·numGroups + groupOffset[e] + j, the run of
// first-layer weights of feature j of slot k, contiguous in the flat buffer).
#include <cub/device/device_segmented_reduce.cuh>

#include <algorithm>
#include <cmath>
#include <string>

#include "train_state.cuh"
#include "warp.cuh"

namespace agl::gpu {
namespace {

constexpr int kThreads = 256;

unsigned blocksFor(std::size_t threads) { return unsigned((threads + kThreads - 1) / kThreads); }

// Element e, slot k and feature j of group g (g < numActive·numGroups); numElements is small (a few).
__device__ inline const GroupElementDev& locateGroup(const GroupElementDev* els, int numElements,
                                                      unsigned long long numGroups, unsigned long long g, int& k,
                                                      int& j) {
    k = int(g / numGroups);
    const int jg = int(g % numGroups);
    int e = 0;
    while (e + 1 < numElements && jg >= els[e + 1].groupOffset) ++e;
    j = jg - els[e].groupOffset;
    return els[e];
}

// One warp per group: ‖w‖ (warp reduction), then — with `shrink` — the CPU rule of proximalGroupStep
// (masked or a = ∞: zero; λ = 0 or a = 0: untouched; else the soft-threshold factor), and — with `penalty` —
// the group's penalty term (λ_k/N_e)·a·‖w‖ of the weights after the step (0 for λ = 0 or ‖w‖ = 0, as
// agl::groupPenalty).
__global__ void proximalGroupKernel(double* params, const GroupElementDev* els, int numElements,
                                    unsigned long long numGroups, unsigned long long total, const double* lambda,
                                    const double* adaptive, const std::uint8_t* mask, double lr, bool shrink,
                                    double* penalty) {
    const unsigned long long g = (blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x) / kWarp;
    const int lane = threadIdx.x % kWarp;
    if (g >= total) return;  // uniform across the warp
    int k, j;
    const GroupElementDev& el = locateGroup(els, numElements, numGroups, g, k, j);
    double* w = params + el.weight + (unsigned long long)j * el.ld + (unsigned long long)k * el.width;
    double s = 0.0;
    for (int i = lane; i < el.width; i += kWarp) s += w[i] * w[i];
    double norm = sqrt(warpSum(s));
    const double lam = lambda[k], a = adaptive[g];
    if (shrink) {
        bool scale = true;
        double factor = 0.0;
        if (mask[g] && !isinf(a)) {
            if (lam == 0.0 || a == 0.0) scale = false;  // no penalty on this group
            else factor = groupShrinkFactor(norm, lr * (lam / double(el.numInputs)) * a);
        }
        if (scale) {
            for (int i = lane; i < el.width; i += kWarp) w[i] *= factor;
            norm *= factor;
        }
    }
    if (penalty && lane == 0)
        penalty[g] = (lam == 0.0 || norm == 0.0) ? 0.0 : (lam / double(el.numInputs)) * a * norm;
}

// maskFirstLayerGradient: masked or a = ∞ groups get a zero gradient (their Adam moments stay zero).
__global__ void maskGradientKernel(double* grad, const GroupElementDev* els, int numElements,
                                   unsigned long long numGroups, unsigned long long total, const double* adaptive,
                                   const std::uint8_t* mask) {
    const unsigned long long g = (blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x) / kWarp;
    const int lane = threadIdx.x % kWarp;
    if (g >= total) return;
    if (mask[g] && !isinf(adaptive[g])) return;
    int k, j;
    const GroupElementDev& el = locateGroup(els, numElements, numGroups, g, k, j);
    double* w = grad + el.weight + (unsigned long long)j * el.ld + (unsigned long long)k * el.width;
    for (int i = lane; i < el.width; i += kWarp) w[i] = 0.0;
}

// adamwStep: every flat entry of an active slot; decay only where the layout says (internal weights).
__global__ void adamwKernel(std::size_t n, const std::uint16_t* slotOf, const std::uint8_t* decayed, int numActive,
                            double lr, double correction1, double correction2, AdamWSettings settings,
                            const double* grad, double* params, double* m, double* v) {
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < n;
         i += std::size_t(gridDim.x) * blockDim.x)
        if (slotOf[i] < numActive)
            adamwUpdate(params[i], m[i], v[i], grad[i], decayed[i] != 0, lr, correction1, correction2, settings);
}

void checkLayout(const GpuLayoutDesc& d) {
    const std::size_t K = std::size_t(d.numSlots);
    AGL_CHECK(d.numSlots >= 1 && d.size > 0, "GPU model batch needs at least one slot and one parameter");
    AGL_CHECK(d.slotOf.size() == d.size && d.decayed.size() == d.size, "layout tags do not match its size");
    AGL_CHECK(!d.elements.empty(), "GPU model batch needs at least one element");
    for (const auto& layers : d.elements) {
        AGL_CHECK(!layers.empty() && layers.back().out == 1, "an atomic network ends in one output");
        for (std::size_t l = 0; l < layers.size(); ++l) {
            const GpuLayerDesc& L = layers[l];
            AGL_CHECK(L.in > 0 && L.out > 0, "empty layer");
            AGL_CHECK(l == 0 || L.in == layers[l - 1].out, "layer widths do not chain");
            AGL_CHECK(L.slotWeight.size() == K && L.slotBias.size() == K, "slot offsets missing");
            // The GEMMs assume the wide first layer (slots side by side in each row) and, deeper, one
            // contiguous (in × out) block per slot; biases of all slots contiguous.
            const std::size_t slotStride = l == 0 ? std::size_t(L.out) : std::size_t(L.in) * L.out;
            AGL_CHECK(L.weightLd == (l == 0 ? d.numSlots * L.out : L.out), "unexpected weight leading dimension");
            for (std::size_t k = 0; k < K; ++k) {
                AGL_CHECK(L.slotWeight[k] == L.slotWeight[0] + k * slotStride, "slot weights are not equally strided");
                AGL_CHECK(L.slotBias[k] == L.slotBias[0] + k * std::size_t(L.out), "slot biases are not contiguous");
            }
            const std::size_t rows = l == 0 ? std::size_t(L.in) : 1;
            AGL_CHECK(L.slotWeight[0] + (rows - 1) * L.weightLd + K * slotStride <= d.size &&
                          L.slotBias[0] + K * L.out <= d.size,
                      "layer outside the flat buffer");
        }
    }
}

GroupSettings defaultGroups(const GpuLayoutDesc& d) {
    GroupSettings g;
    g.groupOffset.push_back(0);
    for (const auto& layers : d.elements) g.groupOffset.push_back(g.groupOffset.back() + layers.front().in);
    g.lambda.assign(d.numSlots, 0.0);
    g.adaptive.assign(std::size_t(d.numSlots) * g.numGroups(), 1.0);
    g.mask.assign(std::size_t(d.numSlots) * g.numGroups(), 1);
    return g;
}

}  // namespace

GpuModelBatch::Impl::Impl(const GpuLayoutDesc& d, Precision p) : layout(d), precision(p), blas(stream.get()) {
    checkLayout(layout);
    for (DeviceBuffer<double>* b : {&params, &grad, &m, &v}) {
        b->resize(layout.size);
        b->zero(stream.get());
    }
    slotOf = DeviceBuffer<std::uint16_t>(layout.slotOf);
    decayed = DeviceBuffer<std::uint8_t>(layout.decayed);
    AGL_CUDA_CHECK(cudaStreamSynchronize(stream.get()));
}

void GpuModelBatch::Impl::checkActive(int numActive) const {
    AGL_CHECK(numActive >= 1 && numActive <= layout.numSlots, "number of active models out of range");
}

GpuModelBatch::GpuModelBatch(const GpuLayoutDesc& layout, Precision precision)
    : impl_(std::make_unique<Impl>(layout, precision)) {
    setGroups(defaultGroups(impl_->layout));
    impl_->engine = makeTrainEngine(*impl_);
}

GpuModelBatch::~GpuModelBatch() = default;
GpuModelBatch::GpuModelBatch(GpuModelBatch&&) noexcept = default;
GpuModelBatch& GpuModelBatch::operator=(GpuModelBatch&&) noexcept = default;

Precision GpuModelBatch::precision() const { return impl_->precision; }
int GpuModelBatch::numSlots() const { return impl_->layout.numSlots; }

void GpuModelBatch::setParams(const std::vector<double>& flat) {
    AGL_CHECK(flat.size() == impl_->layout.size, "parameter buffer has the wrong size");
    impl_->params.upload(flat, impl_->stream.get());
    impl_->engine->paramsChanged();
}
std::vector<double> GpuModelBatch::params() const { return impl_->params.download(impl_->stream.get()); }

void GpuModelBatch::setGradient(const std::vector<double>& flat) {
    AGL_CHECK(flat.size() == impl_->layout.size, "gradient buffer has the wrong size");
    impl_->grad.upload(flat, impl_->stream.get());
}
std::vector<double> GpuModelBatch::gradient() const { return impl_->grad.download(impl_->stream.get()); }

void GpuModelBatch::setMoments(const std::vector<double>& m, const std::vector<double>& v) {
    AGL_CHECK(m.size() == impl_->layout.size && v.size() == impl_->layout.size, "moment buffers have the wrong size");
    impl_->m.upload(m, impl_->stream.get());
    impl_->v.upload(v, impl_->stream.get());
}
void GpuModelBatch::moments(std::vector<double>& m, std::vector<double>& v) const {
    m = impl_->m.download(impl_->stream.get());
    v = impl_->v.download(impl_->stream.get());
}

void GpuModelBatch::setGroups(const GroupSettings& groups) {
    Impl& s = *impl_;
    const std::size_t E = s.layout.elements.size(), K = std::size_t(s.layout.numSlots);
    AGL_CHECK(groups.groupOffset.size() == E + 1 && groups.groupOffset[0] == 0, "group offsets do not match the elements");
    std::vector<GroupElementDev> els(E);
    for (std::size_t e = 0; e < E; ++e) {
        const GpuLayerDesc& first = s.layout.elements[e].front();
        AGL_CHECK(groups.groupOffset[e + 1] - groups.groupOffset[e] == std::size_t(first.in),
                  "group count of an element differs from its number of features");
        els[e].weight = first.slotWeight[0];
        els[e].numInputs = first.in;
        els[e].width = first.out;
        els[e].ld = first.weightLd;
        els[e].groupOffset = int(groups.groupOffset[e]);
    }
    const std::size_t G = groups.numGroups();
    AGL_CHECK(groups.lambda.size() == K && groups.adaptive.size() == K * G && groups.mask.size() == K * G,
              "group settings do not match the number of models");
    s.stream.synchronize();  // no kernel of an earlier call may still read the buffers replaced here
    s.numGroups = G;
    s.groupElements = DeviceBuffer<GroupElementDev>(els);
    s.lambda = DeviceBuffer<double>(groups.lambda);
    s.adaptive = DeviceBuffer<double>(groups.adaptive);
    s.mask = DeviceBuffer<std::uint8_t>(groups.mask);
    s.groupPenalty.resize(K * G);
    std::vector<int> offsets(K + 1);
    for (std::size_t k = 0; k <= K; ++k) offsets[k] = int(k * G);
    s.slotGroupOffsets = DeviceBuffer<int>(offsets);
    s.slotPenalty.resize(K);
}

void GpuModelBatch::setData(const StandardisedData& data) { impl_->engine->setData(data); }

void GpuModelBatch::predict(const std::uint32_t* structures, int count, int numActive, std::vector<double>& energies) {
    impl_->checkActive(numActive);
    impl_->engine->run(structures, count, numActive, energies, nullptr);
}

void GpuModelBatch::lossAndGradient(const std::uint32_t* structures, int count, int numActive,
                                    std::vector<double>& mse, std::vector<double>* energies) {
    impl_->checkActive(numActive);
    std::vector<double> e;
    impl_->engine->run(structures, count, numActive, energies ? *energies : e, &mse);
}

void GpuModelBatch::maskGradient(int numActive) {
    Impl& s = *impl_;
    s.checkActive(numActive);
    const std::size_t total = std::size_t(numActive) * s.numGroups;
    if (total == 0) return;
    maskGradientKernel<<<blocksFor(total * kWarp), kThreads, 0, s.stream.get()>>>(
        s.grad.data(), s.groupElements.data(), int(s.layout.elements.size()), s.numGroups, total, s.adaptive.data(),
        s.mask.data());
    AGL_CUDA_CHECK_LAUNCH();
}

void GpuModelBatch::adamwStep(int numActive, long step, double lr, const AdamWSettings& settings) {
    Impl& s = *impl_;
    s.checkActive(numActive);
    AGL_CHECK(step >= 1, "AdamW steps count from 1");
    const double c1 = 1.0 - std::pow(settings.beta1, double(step));  // as host/train/optimizer.cpp
    const double c2 = 1.0 - std::pow(settings.beta2, double(step));
    const unsigned blocks = std::min(blocksFor(s.layout.size), 4096u);
    adamwKernel<<<blocks, kThreads, 0, s.stream.get()>>>(s.layout.size, s.slotOf.data(), s.decayed.data(), numActive,
                                                         lr, c1, c2, settings, s.grad.data(), s.params.data(),
                                                         s.m.data(), s.v.data());
    AGL_CUDA_CHECK_LAUNCH();
    s.engine->paramsChanged();
}

namespace {

// Runs the group kernel over the active slots; returns the per-slot penalties when asked for.
void runProximal(GpuModelBatch::Impl& s, int numActive, double lr, bool shrink, std::vector<double>* penalty) {
    s.checkActive(numActive);
    const std::size_t total = std::size_t(numActive) * s.numGroups;
    if (total > 0) {
        proximalGroupKernel<<<blocksFor(total * kWarp), kThreads, 0, s.stream.get()>>>(
            s.params.data(), s.groupElements.data(), int(s.layout.elements.size()), s.numGroups, total,
            s.lambda.data(), s.adaptive.data(), s.mask.data(), lr, shrink, penalty ? s.groupPenalty.data() : nullptr);
        AGL_CUDA_CHECK_LAUNCH();
    }
    if (shrink) s.engine->paramsChanged();
    if (!penalty) return;
    if (total == 0) {
        penalty->assign(numActive, 0.0);
        return;
    }
    // Per-slot sums: slot k's groups are the contiguous segment [k·numGroups, (k+1)·numGroups).
    std::size_t bytes = 0;
    AGL_CUDA_CHECK(cub::DeviceSegmentedReduce::Sum(nullptr, bytes, s.groupPenalty.data(), s.slotPenalty.data(),
                                                   numActive, s.slotGroupOffsets.data(),
                                                   s.slotGroupOffsets.data() + 1, s.stream.get()));
    ensureSize(s.cubScratch, std::max<std::size_t>(bytes, 1));
    AGL_CUDA_CHECK(cub::DeviceSegmentedReduce::Sum(s.cubScratch.data(), bytes, s.groupPenalty.data(),
                                                   s.slotPenalty.data(), numActive, s.slotGroupOffsets.data(),
                                                   s.slotGroupOffsets.data() + 1, s.stream.get()));
    *penalty = s.slotPenalty.download(std::size_t(numActive), s.stream.get());
}

}  // namespace

void GpuModelBatch::proximalStep(int numActive, double lr, std::vector<double>* penalty) {
    runProximal(*impl_, numActive, lr, true, penalty);
}

std::vector<double> GpuModelBatch::penalties(int numActive) {
    std::vector<double> p;
    runProximal(*impl_, numActive, 0.0, false, &p);
    return p;
}

}  // namespace agl::gpu
