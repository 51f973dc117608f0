// Confounding noise features (the AGL paper's test: does a selection method keep random columns out?).
//
// addNoiseFeatures(table, K, seed) appends K columns to EVERY element of a FeatureTable. Noise column q
// (q = 0..K−1) of element e imitates real column j(q) = the q-th non-constant column of e, round-robin
// (j(q) = nonConstant[q mod numNonConstant]). Its values are |Y| with Y ~ N(μ, σ²), drawn independently for
// every atom (row), where (μ, σ) are chosen so that |Y| has the SAME mean and variance as column j(q)
// (sample mean and sample std over the element's rows; folded-normal moments, foldedNormalFor()):
//   E|Y|² = μ² + σ² = m² + s²,  E|Y| = σ√(2/π)·exp(−θ²/2) + μ·erf(θ/√2) = m,  θ = μ/σ.
// Exact matching needs m ≥ √(2/π)·√(m² + s²) (coefficient of variation s/m ≤ 0.7555; always true for
// m ≫ s); otherwise the half-normal (μ = 0) with the matching MEAN is used (its variance is then smaller than
// s²), and `exact` is false.
// Random numbers: std::mt19937_64 seeded with std::seed_seq{seed_lo, seed_hi, element} (portable), standard
// normals by Box–Muller from 53-bit uniforms, rows in table order, columns q = 0..K−1 within a row. So the
// same seed gives the same columns on every platform, and elements are independent of each other.
// The appended SymmetryFunction entries have type kNoiseFunctionType (0), centre = e1 = the element and all
// parameters 0; SymmetryFunction::isNoise() tells them apart (they have no n2p2 settings line).
#pragma once
#include <cstdint>
#include <vector>

#include "agl/feature_table.hpp"

namespace agl {

struct FoldedNormal {
    double mu = 0.0, sigma = 0.0;
    bool exact = true;  // mean and variance both matched
};

// The N(μ, σ²) whose absolute value has mean m (> 0) and standard deviation s (>= 0).
FoldedNormal foldedNormalFor(double mean, double stddev);

// Per element: which real column each noise column imitates (0-based, into the original columns).
struct NoiseColumns {
    int element = 0;
    std::vector<int> imitates;      // (K)
    std::vector<FoldedNormal> law;  // (K)
};

// Appends K noise columns per element (see above). Throws agl::Error when K < 0, or when an element with
// atoms has no non-constant column to imitate. Elements without atoms get noise functions but no values.
std::vector<NoiseColumns> addNoiseFeatures(FeatureTable& table, int K, std::uint64_t seed);

}  // namespace agl
