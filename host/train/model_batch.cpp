#include "agl/train/model_batch.hpp"

#include <cblas.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

#include "agl/error.hpp"
#include "agl/train/layer_math.hpp"
#include "agl/train/thread_limit.hpp"

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

void ModelBatch::setChunkAtoms(int atoms) {
    AGL_CHECK(atoms >= 1, "chunk size must be at least one atom");
    chunkAtoms_ = atoms;
}

std::vector<int> ModelBatch::chunkStarts(const MiniBatch& batch) const {
    std::vector<int> first{0};
    double atoms = 0.0;
    for (int s = 0; s < batch.numStructures; ++s) {
        if (atoms > 0.0 && atoms + batch.numAtoms[s] > double(chunkAtoms_)) {
            first.push_back(s);
            atoms = 0.0;
        }
        atoms += batch.numAtoms[s];
    }
    if (batch.numStructures > 0) first.push_back(batch.numStructures);
    return first;
}

ModelBatch::Workspace& ModelBatch::workspace(int thread) {
    if (int(work_.size()) <= thread) work_.resize(std::size_t(thread) + 1);
    Workspace& w = work_[thread];
    w.acts.resize(layout_.archs().size());
    w.start.resize(layout_.archs().size());
    return w;
}

void ModelBatch::forwardChunk(Workspace& w, const MiniBatch& batch, int s0, int s1, int na, double* energies) {
    for (std::size_t e = 0; e < layout_.archs().size(); ++e) {
        const ElementArch& arch = layout_.archs()[e];
        const MiniBatch::Element& el = batch.elements[e];
        const int r0 = el.start[s0], rows = el.start[s1] - r0;
        std::vector<int>& start = w.start[e];
        start.resize(std::size_t(s1 - s0) + 1);
        for (int s = s0; s <= s1; ++s) start[s - s0] = el.start[s] - r0;
        if (rows == 0) continue;
        auto& acts = w.acts[e];
        acts.resize(arch.layers.size());
        for (std::size_t l = 0; l < arch.layers.size(); ++l) {
            const LayerShape& L = arch.layers[l];
            ensureSize(acts[l], std::size_t(rows) * na * L.out);
            const std::size_t b = layout_.biasOffset(int(e), int(l));
            if (l == 0) {  // all active models in one wide GEMM
                denseForward(rows, L.in, na * L.out, el.X.data() + std::size_t(r0) * L.in, L.in,
                             params_.data() + layout_.weightOffset(int(e), 0), layout_.weightLd(int(e), 0),
                             params_.data() + b, L.activation, acts[0].data(), na * L.out);
                continue;
            }
            // One GEMM per model into its columns of the wide block, then one activation pass over the block.
            fillRows(rows, na * L.out, params_.data() + b, acts[l].data(), na * L.out);  // biases of all models
            for (int k = 0; k < na; ++k)
                denseAffine(rows, L.in, L.out, acts[l - 1].data() + std::size_t(k) * L.in, na * L.in,
                            params_.data() + layout_.slotWeight(int(e), int(l), k), L.out, nullptr,
                            acts[l].data() + std::size_t(k) * L.out, na * L.out);
            activateInPlace(L.activation, acts[l].data(), std::size_t(rows) * na * L.out);
        }
        segmentSumAdd(s1 - s0, start.data(), na, acts.back().data(), na, energies + std::size_t(s0) * na, na);
    }
}

void ModelBatch::backwardChunk(Workspace& w, const MiniBatch& batch, int s0, int s1, int na, const double* energies,
                               double* grad) {
    // dMSE_k/dE_sk = 2 (E_sk − E_ref,s) / (N_s² B)
    const int B = batch.numStructures;
    w.structureGrad.resize(std::size_t(s1 - s0) * na);
    for (int s = s0; s < s1; ++s) {
        const double n = batch.numAtoms[s];
        for (int k = 0; k < na; ++k)
            w.structureGrad[std::size_t(s - s0) * na + k] =
                2.0 * (energies[std::size_t(s) * na + k] - batch.energy[s]) / (n * n * B);
    }
    for (std::size_t e = 0; e < layout_.archs().size(); ++e) {
        const ElementArch& arch = layout_.archs()[e];
        const MiniBatch::Element& el = batch.elements[e];
        const int r0 = el.start[s0], rows = el.start[s1] - r0;
        if (rows == 0) continue;
        const auto& acts = w.acts[e];
        const int L = int(arch.layers.size());
        std::size_t widest = 1;  // delta buffers hold rows × na × (a layer width; not the input features)
        for (std::size_t l = 0; l < arch.layers.size(); ++l)
            widest = std::max({widest, std::size_t(arch.layers[l].out), l ? std::size_t(arch.layers[l].in) : 1});
        ensureSize(w.delta, std::size_t(rows) * na * widest);
        ensureSize(w.deltaPrev, std::size_t(rows) * na * widest);
        segmentBroadcast(s1 - s0, w.start[e].data(), na, w.structureGrad.data(), na, w.delta.data(), na);
        for (int l = L - 1; l >= 0; --l) {
            const LayerShape& S = arch.layers[l];
            const int ldd = na * S.out;
            applyActivationSlope(rows, ldd, S.activation, acts[l].data(), ldd, w.delta.data(), ldd);
            const std::size_t b = layout_.biasOffset(int(e), l);
            if (l == 0) {  // one wide GEMM: Xᵀ · Δ⁰ for all active models
                denseWeightGradientAdd(rows, S.in, ldd, el.X.data() + std::size_t(r0) * S.in, S.in, w.delta.data(),
                                       ldd, grad + layout_.weightOffset(int(e), 0), layout_.weightLd(int(e), 0),
                                       grad + b);
                break;
            }
            for (int k = 0; k < na; ++k) {
                const std::size_t wo = layout_.slotWeight(int(e), l, k);
                denseWeightGradientAdd(rows, S.in, S.out, acts[l - 1].data() + std::size_t(k) * S.in, na * S.in,
                                       w.delta.data() + std::size_t(k) * S.out, ldd, grad + wo, S.out,
                                       grad + b + std::size_t(k) * S.out);
                denseInputGradient(rows, S.in, S.out, w.delta.data() + std::size_t(k) * S.out, ldd,
                                   params_.data() + wo, S.out, w.deltaPrev.data() + std::size_t(k) * S.in, na * S.in);
            }
            std::swap(w.delta, w.deltaPrev);
        }
    }
}

namespace {

// Zeroes / adds the entries of the first numActive slots of a flat buffer.
void zeroActive(const ParamLayout& layout, int numActive, double* g) {
    for (int k = 0; k < numActive; ++k)
        for (const Span& s : layout.slotSpans(k))
            for (std::size_t i = 0; i < s.count; ++i) std::fill_n(g + s.offset + i * s.stride, s.run, 0.0);
}
void addActive(const ParamLayout& layout, int numActive, const double* from, double* to) {
    for (int k = 0; k < numActive; ++k)
        for (const Span& s : layout.slotSpans(k))
            for (std::size_t i = 0; i < s.count; ++i) {
                const std::size_t o = s.offset + i * s.stride;
                for (std::size_t j = 0; j < s.run; ++j) to[o + j] += from[o + j];
            }
}

}  // namespace

void ModelBatch::predict(const MiniBatch& batch, int na, std::vector<double>& energies) {
    AGL_CHECK(na >= 1 && na <= numSlots(), "number of active models out of range");
    AGL_CHECK(batch.elements.size() == layout_.archs().size(), "batch and models have different elements");
    for (std::size_t e = 0; e < layout_.archs().size(); ++e)
        AGL_CHECK(batch.elements[e].X.size() == std::size_t(batch.elements[e].rows) * layout_.archs()[e].numInputs(),
                  "batch features do not match the network inputs");
    energies.assign(std::size_t(batch.numStructures) * na, 0.0);
    const std::vector<int> first = chunkStarts(batch);
    const int numChunks = int(first.size()) - 1;
    if (numChunks <= 0) return;
    const bool parallel = numChunks > 1 && omp_get_max_threads() > 1;
    for (int t = 0; t < (parallel ? omp_get_max_threads() : 1); ++t) workspace(t);
    const ThreadLimit serialBlas(0, parallel ? 1 : 0);  // the chunk loop is parallel: BLAS calls stay serial
    // Each structure belongs to one chunk: chunks write disjoint rows of energies.
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
    for (int c = 0; c < numChunks; ++c)
        forwardChunk(work_[omp_get_thread_num()], batch, first[c], first[c + 1], na, energies.data());
}

void ModelBatch::lossAndGradient(const MiniBatch& batch, int na, std::vector<double>& mse, std::vector<double>& grad) {
    AGL_CHECK(grad.size() == layout_.size(), "gradient buffer has the wrong size");
    AGL_CHECK(na >= 1 && na <= numSlots(), "number of active models out of range");
    AGL_CHECK(batch.elements.size() == layout_.archs().size(), "batch and models have different elements");
    for (std::size_t e = 0; e < layout_.archs().size(); ++e)
        AGL_CHECK(batch.elements[e].X.size() == std::size_t(batch.elements[e].rows) * layout_.archs()[e].numInputs(),
                  "batch features do not match the network inputs");
    const int B = batch.numStructures;
    energies_.assign(std::size_t(B) * na, 0.0);
    mse.assign(na, 0.0);
    zeroActive(layout_, na, grad.data());
    const std::vector<int> first = chunkStarts(batch);
    const int numChunks = int(first.size()) - 1;
    if (numChunks <= 0) return;
    // Group g takes chunks [g·C/G, (g+1)·C/G); G depends on the data only.
    const int G = std::min(numChunks, kMaxGradientGroups);
    const bool parallel = G > 1 && omp_get_max_threads() > 1;
    for (int t = 0; t < (parallel ? omp_get_max_threads() : 1); ++t) workspace(t);
    const std::size_t size = layout_.size();
    if (G > 1) groupGrad_.assign(std::size_t(G) * size, 0.0);
    const ThreadLimit serialBlas(0, parallel ? 1 : 0);  // the chunk loop is parallel: BLAS calls stay serial
#pragma omp parallel for schedule(dynamic, 1) if (parallel)
    for (int g = 0; g < G; ++g) {
        Workspace& w = work_[omp_get_thread_num()];
        double* target = G > 1 ? groupGrad_.data() + std::size_t(g) * size : grad.data();
        for (int c = int(std::int64_t(g) * numChunks / G); c < int(std::int64_t(g + 1) * numChunks / G); ++c) {
            forwardChunk(w, batch, first[c], first[c + 1], na, energies_.data());
            backwardChunk(w, batch, first[c], first[c + 1], na, energies_.data(), target);
        }
    }
    if (G > 1)
        for (int g = 0; g < G; ++g) addActive(layout_, na, groupGrad_.data() + std::size_t(g) * size, grad.data());
    for (int s = 0; s < B; ++s) {
        const double n = batch.numAtoms[s];
        for (int k = 0; k < na; ++k) {
            const double diff = energies_[std::size_t(s) * na + k] - batch.energy[s];
            mse[k] += (diff / n) * (diff / n) / B;
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
