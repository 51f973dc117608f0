// Noise columns with the moments of real features; the contract is in include/agl/noise_features.hpp.
#include "agl/noise_features.hpp"

#include <cmath>
#include <random>

#include "agl/error.hpp"
#include "agl/filters.hpp"

namespace agl {
namespace {

constexpr double kPi = 3.14159265358979323846;

// E|Y| / sqrt(E|Y|²) for Y ~ N(θσ, σ²); increases monotonically from √(2/π) (θ = 0) towards 1.
double meanRatio(double theta) {
    return (std::sqrt(2.0 / kPi) * std::exp(-0.5 * theta * theta) + theta * std::erf(theta / std::sqrt(2.0))) /
           std::sqrt(1.0 + theta * theta);
}

// Standard normals by Box–Muller: deterministic given the engine (std::normal_distribution is not).
class NormalSource {
public:
    explicit NormalSource(std::mt19937_64& rng) : rng_(rng) {}
    double next() {
        if (hasSpare_) {
            hasSpare_ = false;
            return spare_;
        }
        const double u1 = uniformOpen(), u2 = uniformOpen();
        const double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = r * std::sin(2.0 * kPi * u2);
        hasSpare_ = true;
        return r * std::cos(2.0 * kPi * u2);
    }

private:
    double uniformOpen() {  // (0, 1): 53 random bits, offset by half a step
        return (static_cast<double>(rng_() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
    }
    std::mt19937_64& rng_;
    double spare_ = 0.0;
    bool hasSpare_ = false;
};

}  // namespace

FoldedNormal foldedNormalFor(double mean, double stddev) {
    AGL_CHECK(mean > 0.0 && stddev >= 0.0, "folded normal needs mean > 0 and std >= 0");
    if (stddev == 0.0 || mean > 10.0 * stddev) return {mean, stddev, true};  // folding probability < 1e-23
    const double m2 = mean * mean + stddev * stddev;
    const double target = mean / std::sqrt(m2);
    if (target <= meanRatio(0.0)) return {0.0, mean * std::sqrt(kPi / 2.0), false};  // half-normal, mean matched
    double lo = 0.0, hi = 10.5;  // meanRatio(hi) > target since mean/stddev ≤ 10
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; ++it) {
        const double mid = 0.5 * (lo + hi);
        (meanRatio(mid) < target ? lo : hi) = mid;
    }
    const double theta = 0.5 * (lo + hi);
    const double sigma = std::sqrt(m2 / (1.0 + theta * theta));
    return {theta * sigma, sigma, true};
}

std::vector<NoiseColumns> addNoiseFeatures(FeatureTable& table, int K, std::uint64_t seed) {
    if (K < 0) throw Error("the number of noise features must be >= 0");
    std::vector<NoiseColumns> out;
    if (K == 0) return out;
    for (ElementFeatures& ef : table.elements) {
        const std::size_t rows = ef.numAtoms(), d = ef.numFunctions();
        NoiseColumns nc;
        nc.element = ef.element;
        if (rows > 0) {
            const filters::ColumnStats stats = filters::columnStats(ef.values.data(), rows, d);
            std::vector<int> nonConstant;
            for (std::size_t j = 0; j < d; ++j)
                if (!stats.constant[j]) nonConstant.push_back(static_cast<int>(j));
            if (nonConstant.empty())
                throw Error("noise features: element Z=" + std::to_string(ef.element) +
                            " has no non-constant feature whose statistics noise could imitate");
            for (int q = 0; q < K; ++q) {
                const int j = nonConstant[static_cast<std::size_t>(q) % nonConstant.size()];
                const double m = stats.mean[static_cast<std::size_t>(j)];
                const double s = stats.stddev[static_cast<std::size_t>(j)];
                nc.imitates.push_back(j);
                // a column of negative mean (not a symmetry function) is imitated in absolute value
                nc.law.push_back(m != 0.0 ? foldedNormalFor(std::fabs(m), s)
                                          : FoldedNormal{0.0, s / std::sqrt(1.0 - 2.0 / kPi), false});
            }
            std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                              static_cast<std::uint32_t>(ef.element)};
            std::mt19937_64 rng(seq);
            NormalSource normal(rng);
            std::vector<double> values(rows * (d + static_cast<std::size_t>(K)));
            for (std::size_t r = 0; r < rows; ++r) {
                double* row = values.data() + r * (d + static_cast<std::size_t>(K));
                std::copy(ef.values.begin() + static_cast<std::ptrdiff_t>(r * d),
                          ef.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * d), row);
                for (int q = 0; q < K; ++q) {
                    const FoldedNormal& law = nc.law[static_cast<std::size_t>(q)];
                    row[d + static_cast<std::size_t>(q)] = std::fabs(law.mu + law.sigma * normal.next());
                }
            }
            ef.values = std::move(values);
        }
        for (int q = 0; q < K; ++q) {
            SymmetryFunction sf;
            sf.type = kNoiseFunctionType;
            sf.centre = sf.e1 = ef.element;
            sf.eta = sf.rs = sf.rc = sf.lambda = sf.zeta = 0.0;
            sf.cutoffAlpha = 0.0;
            ef.functions.push_back(sf);
        }
        out.push_back(std::move(nc));
    }
    return out;
}

}  // namespace agl
