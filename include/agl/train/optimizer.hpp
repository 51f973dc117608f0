// Optimiser pieces of training: AdamW with decoupled weight decay, proximal group soft-thresholding of the
// first-layer columns (group lasso), the group penalty, and learning-rate schedules.
// The per-value formulas are AGL_HD (shared with the CUDA kernels); the host loops run over the flat
// parameter buffer of a ParamLayout (one kernel each on the GPU).
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "agl/train/param_layout.hpp"

namespace agl {

struct AdamWSettings {
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    double weightDecay = 1e-6;  // γ, decoupled; applied to internal weights only (ParamLayout::decayed)
};

// One AdamW update of one parameter at step t (1-based), learning rate lr (PyTorch's AdamW convention):
//   m ← β1 m + (1−β1) g ;  v ← β2 v + (1−β2) g²
//   w ← w − lr·γ·w  (only when `decay`) ;  w ← w − lr · (m / (1−β1^t)) / (√(v / (1−β2^t)) + ε)
AGL_HD void adamwUpdate(double& w, double& m, double& v, double g, bool decay, double lr, double correction1,
                        double correction2, const AdamWSettings& s) {
    m = s.beta1 * m + (1.0 - s.beta1) * g;
    v = s.beta2 * v + (1.0 - s.beta2) * g * g;
    if (decay) w -= lr * s.weightDecay * w;
    w -= lr * (m / correction1) / (std::sqrt(v / correction2) + s.epsilon);
}

// Group soft-thresholding factor for a group of Euclidean norm `norm` and threshold τ = lr·(λ/N)·a:
// max(0, 1 − τ/‖w‖); a group at or below the threshold (and any group with a = ∞) becomes exactly 0.
AGL_HD double groupShrinkFactor(double norm, double threshold) {
    if (!(threshold < INFINITY)) return 0.0;
    return norm > threshold ? 1.0 - threshold / norm : 0.0;
}

// Group settings of the K slots: per slot, per element, per feature j (the group w_j = row j of that slot's
// first-layer weights). Laid out slot-major: index = slot·numGroups + groupOffset[e] + j.
struct GroupSettings {
    std::vector<std::size_t> groupOffset;   // (numElements + 1) prefix sums of the feature counts
    std::vector<double> lambda;             // (K) penalty strength λ_k (0 = no penalty)
    std::vector<double> adaptive;           // (K · numGroups) a_kj ≥ 0; +∞ forces the group to zero
    std::vector<std::uint8_t> mask;         // (K · numGroups) 1 = feature used, 0 = weights forced to zero
    std::size_t numGroups() const { return groupOffset.empty() ? 0 : groupOffset.back(); }
};

// Host loops over the flat buffer. Only the first `numActive` slots are touched (finished models are
// compacted to the end and cost nothing).
void adamwStep(const ParamLayout& layout, int numActive, long step, double lr, const AdamWSettings& settings,
               const double* grad, double* params, double* m, double* v);
// w_kj ← groupShrinkFactor(‖w_kj‖, lr·(λ_k/N_e)·a_kj) · w_kj, and masked groups ← 0.
void proximalGroupStep(const ParamLayout& layout, int numActive, double lr, const GroupSettings& groups,
                       double* params);
// Zeroes the first-layer gradient of masked features (so their Adam moments stay zero too).
void maskFirstLayerGradient(const ParamLayout& layout, int numActive, const GroupSettings& groups, double* grad);
// Penalty of slot k: Σ_e (λ_k/N_e) Σ_j a_kj ‖w_kj‖ (groups with a = ∞ or mask 0 contribute nothing: their
// weights are zero).
double groupPenalty(const ParamLayout& layout, int slot, const GroupSettings& groups, const double* params);
// ‖w_kj‖ of every group of slot k, (numGroups).
std::vector<double> groupNorms(const ParamLayout& layout, int slot, const GroupSettings& groups,
                               const double* params);
// Swaps the group settings of two slots.
void swapGroupSlots(GroupSettings& groups, int a, int b);

enum class LrScheduleKind { Constant, CosineRestarts };

// Learning rate as a function of training time in (fractional) epochs.
// CosineRestarts (SGDR, Loshchilov & Hutter 2017): period i lasts firstPeriod·multiplier^i epochs; within a
// period rate = minRate + ½ (baseRate − minRate)(1 + cos(π t_cur / T_i)), restarting at baseRate.
struct LrSchedule {
    LrScheduleKind kind = LrScheduleKind::Constant;
    double baseRate = 1e-3;
    double minRate = 1e-8;
    double firstPeriod = 1.0;  // epochs
    double multiplier = 2.0;
    double rate(double epochs) const;
};

}  // namespace agl
