#include "agl/train/optimizer.hpp"

#include <algorithm>
#include <cmath>

#include "agl/error.hpp"

namespace agl {

void adamwStep(const ParamLayout& layout, int numActive, long step, double lr, const AdamWSettings& settings,
               const double* grad, double* params, double* m, double* v) {
    const double c1 = 1.0 - std::pow(settings.beta1, double(step));
    const double c2 = 1.0 - std::pow(settings.beta2, double(step));
    const auto& slotOf = layout.slotOf();
    const auto& decayed = layout.decayed();
    const std::size_t n = layout.size();
    for (std::size_t i = 0; i < n; ++i)
        if (slotOf[i] < numActive)
            adamwUpdate(params[i], m[i], v[i], grad[i], decayed[i] != 0, lr, c1, c2, settings);
}

namespace {

// Visits every group (slot k < numActive, element e, feature j): fn(k, groupIndex, pointer to the run, width).
template <class Fn>
void forEachGroup(const ParamLayout& layout, int firstSlot, int endSlot, const GroupSettings& groups, double* params,
                  Fn fn) {
    for (std::size_t e = 0; e < layout.archs().size(); ++e) {
        const int in = layout.archs()[e].numInputs(), width = layout.archs()[e].firstWidth();
        const int ld = layout.weightLd(int(e), 0);
        for (int k = firstSlot; k < endSlot; ++k) {
            double* w = params + layout.slotWeight(int(e), 0, k);
            for (int j = 0; j < in; ++j)
                fn(k, int(e), std::size_t(k) * groups.numGroups() + groups.groupOffset[e] + j,
                   w + std::size_t(j) * ld, width);
        }
    }
}

double runNorm(const double* w, int width) {
    double s = 0.0;
    for (int i = 0; i < width; ++i) s += w[i] * w[i];
    return std::sqrt(s);
}

void checkGroups(const ParamLayout& layout, const GroupSettings& groups) {
    AGL_CHECK(groups.groupOffset.size() == layout.archs().size() + 1, "group offsets do not match the elements");
    const std::size_t K = std::size_t(layout.numSlots());
    AGL_CHECK(groups.lambda.size() == K && groups.adaptive.size() == K * groups.numGroups() &&
                  groups.mask.size() == K * groups.numGroups(),
              "group settings do not match the number of models");
}

}  // namespace

void proximalGroupStep(const ParamLayout& layout, int numActive, double lr, const GroupSettings& groups,
                       double* params) {
    checkGroups(layout, groups);
    forEachGroup(layout, 0, numActive, groups, params, [&](int k, int e, std::size_t g, double* w, int width) {
        double factor = 0.0;
        if (groups.mask[g]) {
            const double a = groups.adaptive[g];
            const double lambda = groups.lambda[k];
            if (std::isinf(a)) factor = 0.0;
            else if (lambda == 0.0 || a == 0.0) return;  // no penalty on this group
            else {
                const double n = double(layout.archs()[e].numInputs());
                factor = groupShrinkFactor(runNorm(w, width), lr * (lambda / n) * a);
            }
        }
        for (int i = 0; i < width; ++i) w[i] *= factor;
    });
}

void maskFirstLayerGradient(const ParamLayout& layout, int numActive, const GroupSettings& groups, double* grad) {
    checkGroups(layout, groups);
    forEachGroup(layout, 0, numActive, groups, grad, [&](int, int, std::size_t g, double* w, int width) {
        if (!groups.mask[g] || std::isinf(groups.adaptive[g])) std::fill_n(w, width, 0.0);
    });
}

double groupPenalty(const ParamLayout& layout, int slot, const GroupSettings& groups, const double* params) {
    checkGroups(layout, groups);
    const double lambda = groups.lambda[slot];
    if (lambda == 0.0) return 0.0;
    double penalty = 0.0;
    forEachGroup(layout, slot, slot + 1, groups, const_cast<double*>(params),
                 [&](int, int e, std::size_t g, double* w, int width) {
                     const double norm = runNorm(w, width);
                     if (norm == 0.0) return;  // includes a = ∞ groups, which are kept at zero
                     penalty += (lambda / layout.archs()[e].numInputs()) * groups.adaptive[g] * norm;
                 });
    return penalty;
}

std::vector<double> groupNorms(const ParamLayout& layout, int slot, const GroupSettings& groups,
                               const double* params) {
    checkGroups(layout, groups);
    std::vector<double> norms(groups.numGroups());
    const std::size_t base = std::size_t(slot) * groups.numGroups();
    forEachGroup(layout, slot, slot + 1, groups, const_cast<double*>(params),
                 [&](int, int, std::size_t g, double* w, int width) { norms[g - base] = runNorm(w, width); });
    return norms;
}

void swapGroupSlots(GroupSettings& groups, int a, int b) {
    if (a == b) return;
    std::swap(groups.lambda[a], groups.lambda[b]);
    const std::size_t n = groups.numGroups();
    std::swap_ranges(groups.adaptive.begin() + a * n, groups.adaptive.begin() + (a + 1) * n,
                     groups.adaptive.begin() + b * n);
    std::swap_ranges(groups.mask.begin() + a * n, groups.mask.begin() + (a + 1) * n, groups.mask.begin() + b * n);
}

double LrSchedule::rate(double epochs) const {
    if (kind == LrScheduleKind::Constant) return baseRate;
    AGL_CHECK(firstPeriod > 0.0 && multiplier >= 1.0, "cosine schedule needs firstPeriod > 0 and multiplier >= 1");
    double period = firstPeriod, t = std::max(0.0, epochs);
    if (multiplier == 1.0) t = std::fmod(t, period);
    else
        while (t >= period) {  // a few dozen periods at most
            t -= period;
            period *= multiplier;
        }
    const double pi = 3.14159265358979323846;
    return minRate + 0.5 * (baseRate - minRate) * (1.0 + std::cos(pi * t / period));
}

}  // namespace agl
