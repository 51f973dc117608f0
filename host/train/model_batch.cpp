#include "agl/train/model_batch.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

#include "agl/error.hpp"
#include "agl/train/layer_math.hpp"

namespace agl {

ModelBatch::ModelBatch(std::vector<ElementArch> archs, int numModels) : layout_(std::move(archs), numModels) {
    params_.assign(layout_.size(), 0.0);
    const std::size_t K = std::size_t(numModels);
    groups_.groupOffset.push_back(0);
    for (const auto& a : layout_.archs()) groups_.groupOffset.push_back(groups_.groupOffset.back() + a.numInputs());
    groups_.lambda.assign(K, 0.0);
    groups_.adaptive.assign(K * groups_.numGroups(), 1.0);
    groups_.mask.assign(K * groups_.numGroups(), 1);
    for (int k = 0; k < numModels; ++k) modelOfSlot_.push_back(k);
    acts_.resize(layout_.archs().size());
}

namespace {
// Grows a workspace without re-initialising it on every call (resize would memset the grown part).
void ensureSize(std::vector<double>& v, std::size_t n) {
    if (v.size() < n) v.resize(n);
}
// Uniform [0, 1) from 53 random bits (platform independent, unlike std::uniform_real_distribution).
double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * (1.0 / 9007199254740992.0); }
}  // namespace

void ModelBatch::initialise(int slot, std::uint64_t seed, double outputBias) {
    AGL_CHECK(slot >= 0 && slot < numSlots(), "slot out of range");
    std::mt19937_64 rng(seed);
    std::vector<double> canonical;
    canonical.reserve(layout_.modelSize());
    for (const ElementArch& arch : layout_.archs())
        for (std::size_t l = 0; l < arch.layers.size(); ++l) {
            const LayerShape& L = arch.layers[l];
            const double limit = std::sqrt(6.0 / double(L.in + L.out));
            for (int i = 0; i < L.in * L.out; ++i) canonical.push_back(limit * (2.0 * uniform01(rng) - 1.0));
            for (int i = 0; i < L.out; ++i)
                canonical.push_back(l + 1 == arch.layers.size() ? outputBias : 0.0);
        }
    scatterSlot(layout_, canonical.data(), slot, params_.data());
    applyMask(slot);
}

void ModelBatch::applyMask(int slot) {
    for (std::size_t e = 0; e < layout_.archs().size(); ++e) {
        const int in = layout_.archs()[e].numInputs(), width = layout_.archs()[e].firstWidth();
        double* w = params_.data() + layout_.slotWeight(int(e), 0, slot);
        for (int j = 0; j < in; ++j) {
            const std::size_t g = std::size_t(slot) * groups_.numGroups() + groups_.groupOffset[e] + j;
            if (!groups_.mask[g] || std::isinf(groups_.adaptive[g]))
                std::fill_n(w + std::size_t(j) * layout_.weightLd(int(e), 0), width, 0.0);
        }
    }
}

std::vector<double> ModelBatch::slotParams(int slot) const {
    std::vector<double> c(layout_.modelSize());
    gatherSlot(layout_, params_.data(), slot, c.data());
    return c;
}

void ModelBatch::setSlotParams(int slot, const std::vector<double>& canonical) {
    AGL_CHECK(canonical.size() == layout_.modelSize(), "parameter vector has the wrong length for this model");
    scatterSlot(layout_, canonical.data(), slot, params_.data());
}

void ModelBatch::forwardElement(int e, const MiniBatch::Element& el, int na) {
    const ElementArch& arch = layout_.archs()[e];
    auto& acts = acts_[e];
    acts.resize(arch.layers.size());
    const int rows = el.rows;
    for (std::size_t l = 0; l < arch.layers.size(); ++l) {
        const LayerShape& L = arch.layers[l];
        ensureSize(acts[l], std::size_t(rows) * na * L.out);
        const std::size_t b = layout_.biasOffset(e, int(l));
        if (l == 0) {  // all active models in one wide GEMM
            denseForward(rows, L.in, na * L.out, el.X.data(), L.in, params_.data() + layout_.weightOffset(e, 0),
                         layout_.weightLd(e, 0), params_.data() + b, L.activation, acts[0].data(), na * L.out);
            continue;
        }
        for (int k = 0; k < na; ++k)
            denseForward(rows, L.in, L.out, acts[l - 1].data() + std::size_t(k) * L.in, na * L.in,
                         params_.data() + layout_.slotWeight(e, int(l), k), L.out,
                         params_.data() + b + std::size_t(k) * L.out, L.activation,
                         acts[l].data() + std::size_t(k) * L.out, na * L.out);
    }
}

void ModelBatch::predict(const MiniBatch& batch, int na, std::vector<double>& energies) {
    AGL_CHECK(na >= 1 && na <= numSlots(), "number of active models out of range");
    AGL_CHECK(batch.elements.size() == layout_.archs().size(), "batch and models have different elements");
    const int B = batch.numStructures;
    energies.assign(std::size_t(B) * na, 0.0);
    for (std::size_t e = 0; e < layout_.archs().size(); ++e) {
        const MiniBatch::Element& el = batch.elements[e];
        AGL_CHECK(el.X.size() == std::size_t(el.rows) * layout_.archs()[e].numInputs(),
                  "batch features do not match the network inputs");
        forwardElement(int(e), el, na);
        segmentSumAdd(B, el.start.data(), na, acts_[e].back().data(), na, energies.data(), na);
    }
}

void ModelBatch::lossAndGradient(const MiniBatch& batch, int na, std::vector<double>& mse, std::vector<double>& grad) {
    AGL_CHECK(grad.size() == layout_.size(), "gradient buffer has the wrong size");
    predict(batch, na, energies_);
    const int B = batch.numStructures;
    // dMSE_k/dE_sk = 2 (E_sk − E_ref,s) / (N_s² B)
    mse.assign(na, 0.0);
    structureGrad_.resize(std::size_t(B) * na);
    for (int s = 0; s < B; ++s) {
        const double n = batch.numAtoms[s];
        for (int k = 0; k < na; ++k) {
            const double diff = energies_[std::size_t(s) * na + k] - batch.energy[s];
            mse[k] += (diff / n) * (diff / n) / B;
            structureGrad_[std::size_t(s) * na + k] = 2.0 * diff / (n * n * B);
        }
    }
    for (std::size_t e = 0; e < layout_.archs().size(); ++e) {
        const ElementArch& arch = layout_.archs()[e];
        const MiniBatch::Element& el = batch.elements[e];
        const auto& acts = acts_[e];
        const int rows = el.rows;
        const int L = int(arch.layers.size());
        std::size_t widest = 1;  // delta buffers hold rows × na × (a layer width; not the input features)
        for (std::size_t l = 0; l < arch.layers.size(); ++l)
            widest = std::max({widest, std::size_t(arch.layers[l].out), l ? std::size_t(arch.layers[l].in) : 1});
        ensureSize(delta_, std::size_t(rows) * na * widest);
        ensureSize(deltaPrev_, std::size_t(rows) * na * widest);
        segmentBroadcast(B, el.start.data(), na, structureGrad_.data(), na, delta_.data(), na);
        for (int l = L - 1; l >= 0; --l) {
            const LayerShape& S = arch.layers[l];
            const int ldd = na * S.out;
            applyActivationSlope(rows, ldd, S.activation, acts[l].data(), ldd, delta_.data(), ldd);
            const std::size_t b = layout_.biasOffset(int(e), l);
            if (l == 0) {  // one wide GEMM: Xᵀ · Δ⁰ for all active models
                denseWeightGradient(rows, S.in, ldd, el.X.data(), S.in, delta_.data(), ldd,
                                    grad.data() + layout_.weightOffset(int(e), 0), layout_.weightLd(int(e), 0),
                                    grad.data() + b);
                break;
            }
            for (int k = 0; k < na; ++k) {
                const std::size_t w = layout_.slotWeight(int(e), l, k);
                denseWeightGradient(rows, S.in, S.out, acts[l - 1].data() + std::size_t(k) * S.in, na * S.in,
                                    delta_.data() + std::size_t(k) * S.out, ldd, grad.data() + w, S.out,
                                    grad.data() + b + std::size_t(k) * S.out);
                denseInputGradient(rows, S.in, S.out, delta_.data() + std::size_t(k) * S.out, ldd,
                                   params_.data() + w, S.out, deltaPrev_.data() + std::size_t(k) * S.in, na * S.in);
            }
            std::swap(delta_, deltaPrev_);
        }
    }
}

void ModelBatch::setModelOfSlot(std::vector<int> m) {
    AGL_CHECK(int(m.size()) == numSlots(), "one model index per slot expected");
    std::vector<int> sorted = m;
    std::sort(sorted.begin(), sorted.end());
    for (int k = 0; k < numSlots(); ++k) AGL_CHECK(sorted[k] == k, "slot assignment is not a permutation");
    modelOfSlot_ = std::move(m);
}

void ModelBatch::swapSlots(int a, int b, std::vector<std::vector<double>*> alsoSwap) {
    if (a == b) return;
    agl::swapSlots(layout_, params_.data(), a, b);
    for (auto* buf : alsoSwap) agl::swapSlots(layout_, buf->data(), a, b);
    swapGroupSlots(groups_, a, b);
    std::swap(modelOfSlot_[a], modelOfSlot_[b]);
}

}  // namespace agl
