// Shared pieces of the GPU-training tests (train_*_test.cpp): K = 3 models of two elements with different
// widths and activations, random parameters and random group settings that reach every branch of the
// proximal step (shrunk, zeroed by the threshold, masked, a = ∞, a = 0, λ = 0).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "agl/train/optimizer.hpp"
#include "agl/train/param_layout.hpp"

namespace gputest {

constexpr int kSlots = 3;

// Element 1: 5 features → 6 → 4 → 1 (tanh, logistic, linear); element 8: 7 features → 5 → 1 (softplus, tanh).
inline std::vector<agl::ElementArch> trainArchs() {
    return {agl::makeElementArch(1, 5, {6, 4}, "tsl"), agl::makeElementArch(8, 7, {5}, "pt")};
}

inline std::vector<double> randomVector(std::size_t n, std::mt19937_64& rng, double lo, double hi) {
    std::uniform_real_distribution<double> u(lo, hi);
    std::vector<double> v(n);
    for (double& x : v) x = u(rng);
    return v;
}

// λ = (0, 3, 8) for the three slots; a ∈ [0.2, 3] with every 7th group a = ∞, every 11th a = 0; every 5th
// group masked. With weights in [−1, 1] and lr = 1 the thresholds lr·(λ/N)·a span 0.1 … 5: some groups
// shrink, some vanish.
inline agl::GroupSettings randomGroups(const agl::ParamLayout& layout, std::mt19937_64& rng) {
    agl::GroupSettings g;
    g.groupOffset.push_back(0);
    for (const auto& a : layout.archs()) g.groupOffset.push_back(g.groupOffset.back() + a.numInputs());
    const std::size_t K = std::size_t(layout.numSlots()), G = g.numGroups();
    g.lambda = {0.0, 3.0, 8.0};
    g.lambda.resize(K, 5.0);
    g.adaptive = randomVector(K * G, rng, 0.2, 3.0);
    g.mask.assign(K * G, 1);
    for (std::size_t i = 0; i < K * G; ++i) {
        if (i % 7 == 3) g.adaptive[i] = std::numeric_limits<double>::infinity();
        if (i % 11 == 5) g.adaptive[i] = 0.0;
        if (i % 5 == 1) g.mask[i] = 0;
    }
    return g;
}

// |got − want| ≤ tol · max(|want|, scale); counts the comparisons.
struct Comparison {
    std::size_t compared = 0;
    void near(double got, double want, double tol, double scale, const char* what, std::size_t index) {
        ++compared;
        EXPECT_NEAR(got, want, tol * std::max(std::abs(want), scale)) << what << " [" << index << "]";
    }
};

}  // namespace gputest
