// ModelBatch: K atomic-network models of the same shape (one network per element each) trained on the same
// inputs, parameters in one flat buffer (ParamLayout), each with its own seed, first-layer feature mask and
// group-penalty settings (λ_k, a_kj). Slots [0, numActive) are the models still training; finished models
// are swapped to the end so that their GEMM columns are skipped.
//
// Forward, per element e with rows = that element's atoms of the batch (X: rows × N_e, shared by all models):
//   layer 0:   A⁰ (rows × K·h₀) = f(X · [W⁰_1 … W⁰_K] + b⁰)         ONE wide GEMM for all models
//   layer l≥1: Aˡ_k (rows × h_l) = f(Aˡ⁻¹_k · Wˡ_k + bˡ_k)         one GEMM per model (cblas loop; a
//              block-diagonal GEMM would do K× the flops on zeros), written into a wide (rows × K·h_l) block
//   E_sk = Σ_e Σ_{atoms of s} A^{L−1}[r][k]                       segmented reduction over contiguous rows
// Loss of model k on a batch of B structures: MSE_k = (1/B) Σ_s ((E_sk − E_ref,s)/N_s)²  (per-atom energy).
//
// CPU memory traffic: the wide activations of K models for a whole mini-batch (e.g. 65 k rows × 16·10 per
// layer = 84 MB) do not fit in any cache, so the batch is processed in CHUNKS of whole consecutive
// structures with at most chunkAtoms() atoms (all elements; a larger structure is a chunk of its own).
// A chunk holds every atom of its structures, so its structure energies — and hence the loss gradient
// dMSE/dE_s — are complete after its forward pass: forward, loss gradient and backward run chunk by chunk
// with one forward per atom and a cache-sized working set. Gradients are accumulated per GROUP of
// consecutive chunks (at most kMaxGradientGroups groups, fixed by the data, not by the thread count) and
// the groups are summed in order, so results do not depend on the number of OpenMP threads; groups run in
// parallel with single-threaded BLAS calls.
#pragma once
#include <cstdint>
#include <vector>

#include "agl/train/optimizer.hpp"
#include "agl/train/param_layout.hpp"
#include "agl/train/training_data.hpp"

namespace agl {

class ModelBatch {
public:
    ModelBatch() = default;
    // All groups unmasked, a = 1, λ = 0, parameters zero until initialise().
    ModelBatch(std::vector<ElementArch> archs, int numModels);

    const ParamLayout& layout() const { return layout_; }
    int numSlots() const { return layout_.numSlots(); }
    std::vector<double>& params() { return params_; }
    const std::vector<double>& params() const { return params_; }
    GroupSettings& groups() { return groups_; }
    const GroupSettings& groups() const { return groups_; }
    // modelOfSlot()[k] = the caller's model index held by slot k (identity until slots are swapped).
    const std::vector<int>& modelOfSlot() const { return modelOfSlot_; }
    void setModelOfSlot(std::vector<int> m);  // checkpoint restore; must be a permutation of 0..K−1

    // Seeded initialisation of slot k (std::mt19937_64(seed)): weights Xavier/Glorot uniform
    // U(−√(6/(in+out)), +√(6/(in+out))) drawn in canonical order (element, layer, source, target); biases 0
    // except the output bias = outputBias (mean reference energy per atom). Masked / a = ∞ groups are zeroed.
    void initialise(int slot, std::uint64_t seed, double outputBias);
    // Zeroes the first-layer weights of slot k's masked (or a = ∞) features.
    void applyMask(int slot);

    // Canonical parameter vector of one slot (n2p2 order per element) and back.
    std::vector<double> slotParams(int slot) const;
    void setSlotParams(int slot, const std::vector<double>& canonical);

    // energies (B × numActive) row-major: predicted total energy of each batch structure for the first
    // numActive slots.
    void predict(const MiniBatch& batch, int numActive, std::vector<double>& energies);
    // mse (numActive): per-atom-energy MSE of each active slot; grad (layout().size()): gradient of the
    // mse w.r.t. the parameters of the active slots (entries of inactive slots are left as they are).
    void lossAndGradient(const MiniBatch& batch, int numActive, std::vector<double>& mse, std::vector<double>& grad);

    // Exchanges everything of two slots (parameters, group settings, model index). Extra flat buffers of the
    // same layout (optimiser moments) are swapped too when given.
    void swapSlots(int a, int b, std::vector<std::vector<double>*> alsoSwap = {});

    // Target atoms per chunk (see above). Changing it changes the summation order of the gradient (results
    // agree to rounding), never the math. Default kDefaultChunkAtoms.
    static constexpr int kDefaultChunkAtoms = 256;  // measured best of 128…2048 (bench_train)
    static constexpr int kMaxGradientGroups = 16;
    void setChunkAtoms(int atoms);
    int chunkAtoms() const { return chunkAtoms_; }

private:
    // Scratch of one thread for one chunk.
    struct Workspace {
        std::vector<std::vector<std::vector<double>>> acts;  // [element][layer] (rows × numActive·out_l)
        std::vector<std::vector<int>> start;                 // [element] chunk-relative structure row starts
        std::vector<double> delta, deltaPrev;                // (rows × numActive·widest layer)
        std::vector<double> structureGrad;                   // (chunk structures × numActive)
    };
    // first[c] .. first[c+1]: the batch structures of chunk c.
    std::vector<int> chunkStarts(const MiniBatch& batch) const;
    Workspace& workspace(int thread);
    // Adds the chunk's structure energies into energies (B × numActive) rows [s0, s1).
    void forwardChunk(Workspace& w, const MiniBatch& batch, int s0, int s1, int numActive, double* energies);
    // Adds the chunk's gradient contribution to grad (layout size); energies must hold the chunk's rows.
    void backwardChunk(Workspace& w, const MiniBatch& batch, int s0, int s1, int numActive, const double* energies,
                       double* grad);

    ParamLayout layout_;
    std::vector<double> params_;
    GroupSettings groups_;
    std::vector<int> modelOfSlot_;
    int chunkAtoms_ = kDefaultChunkAtoms;
    std::vector<Workspace> work_;          // one per thread
    std::vector<double> energies_, groupGrad_;
};

}  // namespace agl
