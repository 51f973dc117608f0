// n2p2's input scalings and their folding into the first layer (include/agl/train/input_scaling.hpp).
#include "agl/train/input_scaling.hpp"

#include <cmath>

#include "agl/error.hpp"
#include "agl/log.hpp"

namespace agl {

ScalingType scalingType(const InputScaling& s) {
    if (s.scale && !s.center) return ScalingType::Scale;
    if (!s.scale && s.center) return ScalingType::Center;
    if (s.scale && s.center) return ScalingType::ScaleCenter;
    if (s.scaleSigma) return ScalingType::ScaleSigma;
    return ScalingType::None;
}

const char* scalingName(ScalingType t) {
    switch (t) {
        case ScalingType::Scale: return "scale (Smin + (Smax - Smin)(G - Gmin)/(Gmax - Gmin))";
        case ScalingType::Center: return "center (G - Gmean)";
        case ScalingType::ScaleCenter: return "scale and center (Smin + (Smax - Smin)(G - Gmean)/(Gmax - Gmin))";
        case ScalingType::ScaleSigma: return "sigma (Smin + (Smax - Smin)(G - Gmean)/sigma)";
        case ScalingType::None: default: return "none (G)";
    }
}

InputMap inputMap(const InputScaling& s, const FeatureStatistics& stats, std::size_t j) {
    AGL_CHECK(j < stats.mean.size() && j < stats.min.size() && j < stats.max.size() && j < stats.sigma.size(),
              "scaling statistics do not cover every function");
    const double range = stats.max[j] - stats.min[j], span = s.scaleMax - s.scaleMin;
    switch (scalingType(s)) {
        case ScalingType::Scale: return {s.scaleMin, stats.min[j], range > 0.0 ? span / range : 0.0};
        case ScalingType::Center: return {0.0, stats.mean[j], 1.0};
        case ScalingType::ScaleCenter: return {s.scaleMin, stats.mean[j], range > 0.0 ? span / range : 0.0};
        case ScalingType::ScaleSigma:
            return {s.scaleMin, stats.mean[j], stats.sigma[j] > 0.0 ? span / stats.sigma[j] : 0.0};
        case ScalingType::None: default: return {0.0, 0.0, 1.0};
    }
}

NnSettings potentialSettings(NnSettings settings) {
    const InputScaling& s = settings.scaling;
    if (!readsStandardisedInputs(s) || s.center)
        logWarn("agl trains with (G - mean)/sigma inputs: the exported input.nn says scale_symmetry_functions_sigma "
                "instead of the scaling keywords of the given input.nn");
    settings.scaling = InputScaling{};
    settings.scaling.scaleSigma = true;
    // The trained networks are plain 2G networks in the data's units: keywords that would make n2p2 (or agl's
    // own reader) evaluate them otherwise must not reach the exported input.nn.
    std::vector<RawKeyword> kept;
    std::string dropped;
    for (RawKeyword& k : settings.unknown) {
        const N2p2KeywordKind kind = n2p2KeywordKind(k);
        if (kind != N2p2KeywordKind::Normalisation && kind != N2p2KeywordKind::Evaluation) kept.push_back(std::move(k));
        else dropped += (dropped.empty() ? "'" : ", '") + k.text + "'";
    }
    if (!dropped.empty())
        logWarn("left out of the exported input.nn (agl trained plain networks in the data's units, without n2p2's "
                "unit normalisation or node normalisation): " + dropped);
    settings.unknown = std::move(kept);
    return settings;
}

bool readsStandardisedInputs(const InputScaling& s) {
    return scalingType(s) == ScalingType::ScaleSigma && s.scaleMin == 0.0 && s.scaleMax == 1.0;
}

Potential foldInputScaling(Potential potential, const InputScaling& s) {
    if (readsStandardisedInputs(s)) return potential;
    for (ElementPotential& e : potential.elements) {
        const LayerShape& first = e.arch.layers.at(0);
        const std::size_t in = std::size_t(first.in), out = std::size_t(first.out);
        AGL_CHECK(e.weights.size() >= in * out + out, "weights do not cover the first layer");
        double* W = e.weights.data();   // (in × out) row-major: source j outer
        double* b = W + in * out;       // (out)
        for (std::size_t j = 0; j < in; ++j) {
            const InputMap m = inputMap(s, e.scaling, j);
            const double sigma = e.scaling.sigma[j];
            const double constant = m.base + m.factor * (e.scaling.mean[j] - m.shift);  // x' at (G − mean)/σ = 0
            const double slope = sigma > 0.0 ? m.factor * sigma : 0.0;                 // ∂x'/∂((G − mean)/σ)
            for (std::size_t k = 0; k < out; ++k) {
                b[k] += constant * W[j * out + k];
                W[j * out + k] *= slope;
            }
        }
    }
    return potential;
}

Potential foldEnergyNormalisation(Potential potential, double meanEnergy, double convEnergy) {
    AGL_CHECK(convEnergy != 0.0 && std::isfinite(convEnergy) && std::isfinite(meanEnergy),
              "energy normalisation needs a finite, non-zero conv_energy and a finite mean_energy");
    for (ElementPotential& e : potential.elements) {
        const LayerShape& last = e.arch.layers.back();
        AGL_CHECK(last.activation == Activation::Linear && last.out == 1,
                  "energy normalisation needs a linear output layer with one neuron");
        const std::size_t n = std::size_t(last.in);
        double* W = e.weights.data() + (e.weights.size() - n - 1);  // the last layer: W (in × 1), then b
        for (std::size_t j = 0; j < n; ++j) W[j] /= convEnergy;
        W[n] = W[n] / convEnergy + meanEnergy;
    }
    return potential;
}

}  // namespace agl
