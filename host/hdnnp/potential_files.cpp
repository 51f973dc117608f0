// Reading a potential folder for evaluation (hdnnp.hpp: PotentialFiles).
#include <cmath>
#include <fstream>
#include <sstream>

#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/train/activation.hpp"
#include "agl/train/input_scaling.hpp"

namespace agl {

namespace {

// n2p2's unit normalisation keywords (kept as raw keywords by the reader): all three or none.
struct Normalisation {
    bool present = false;
    double meanEnergy = 0.0, convEnergy = 1.0, convLength = 1.0;
};

Normalisation normalisationOf(const NnSettings& settings, const std::string& nnPath) {
    Normalisation n;
    int found = 0;
    for (const RawKeyword& k : settings.unknown) {
        std::istringstream line(k.text);
        std::string keyword, extra;
        double value = 0.0;
        line >> keyword;
        double* target = keyword == "mean_energy"   ? &n.meanEnergy
                         : keyword == "conv_energy" ? &n.convEnergy
                         : keyword == "conv_length" ? &n.convLength
                                                    : nullptr;
        if (!target) continue;
        if (!(line >> value) || (line >> extra) || !std::isfinite(value))
            throw InputError(nnPath, k.line, keyword + " needs one finite number");
        *target = value;
        ++found;
    }
    if (found != 0 && found != 3)
        throw InputError(nnPath, 0, "n2p2's unit normalisation needs mean_energy, conv_energy and conv_length together");
    n.present = found == 3;
    if (n.present && !(n.convEnergy > 0.0 && n.convLength > 0.0))
        throw InputError(nnPath, 0, "conv_energy and conv_length must be positive");
    // atom_energy stays in physical units with a normalisation: n2p2's Prediction::predict converts the
    // structure back (toPhysicalUnits) and only then adds the offsets (addEnergyOffset), and nnp-norm computes
    // mean_energy from the energies with the offsets already removed. agl adds them after the fold: the same.
    return n;
}

// n2p2 keywords that change the network evaluation in ways agl does not implement.
void refuseUnsupportedEvaluation(const NnSettings& settings, const std::string& nnPath) {
    for (const RawKeyword& k : settings.unknown) {
        if (n2p2KeywordKind(k) != N2p2KeywordKind::Evaluation) continue;
        if (keywordOf(k) == "normalize_nodes")
            throw InputError(nnPath, k.line, "normalize_nodes (n2p2 divides each neuron's input sum by the number "
                                             "of its inputs) is not supported by agl's networks");
        throw InputError(nnPath, k.line, "'" + k.text + "': agl evaluates 2G-HDNNPs (short-range atomic "
                                         "networks) only, not charges or electrostatics");
    }
}

// Raises InputError when the settings ask for something agl's evaluation would silently get wrong (n2p2's
// input scalings and its unit normalisation are supported: foldInputScaling, foldEnergyNormalisation);
// returns the normalisation.
Normalisation checkEvaluable(const NnSettings& settings, const std::string& nnPath) {
    refuseUnsupportedEvaluation(settings, nnPath);
    const Normalisation normalisation = normalisationOf(settings, nnPath);
    const InputScaling& s = settings.scaling;
    if (s.center && s.scaleSigma && !s.scale)
        throw InputError(nnPath, 0, "center_symmetry_functions with scale_symmetry_functions_sigma: n2p2 reads this "
                                    "as centring only (G - mean, no division by sigma), but agl before 2026-12-01 "
                                    "exported (G - mean)/sigma potentials with these two keywords. Keep "
                                    "scale_symmetry_functions_sigma alone for (G - mean)/sigma, or "
                                    "center_symmetry_functions alone for G - mean");
    const ScalingType type = scalingType(s);
    if ((type == ScalingType::Scale || type == ScalingType::ScaleCenter || type == ScalingType::ScaleSigma) &&
        !(s.scaleMax > s.scaleMin))
        throw InputError(nnPath, 0, "scale_max_short must be larger than scale_min_short");
    if (settings.elements.empty()) throw InputError(nnPath, 0, "no elements");
    checkActivationLetters(settings.network.activations, nnPath);
    for (int z : settings.elements)
        if (settings.functionsOf(z).empty())
            throw InputError(nnPath, 0, "element " + elementSymbol(z) + " (of 'elements') has no symmetry functions: "
                                        "its network would have no inputs");
    return normalisation;
}

}  // namespace

PotentialFiles readPotentialFiles(const std::string& dir) {
    const std::string nnPath = dir + "/input.nn";
    if (!std::ifstream(nnPath)) throw InputError(nnPath, 0, "cannot open (is " + dir + " a potential folder?)");
    PotentialFiles files;
    files.settings = readNnSettings(nnPath);
    const Normalisation n = checkEvaluable(files.settings, nnPath);
    files.potential = readPotential(dir, archsFromSettings(files.settings));
    if (!readsStandardisedInputs(files.settings.scaling)) {
        // agl's networks read (G − mean)/σ: the potential's own input map goes into its first layer (exact).
        logInfo(nnPath + ": input scaling " + scalingName(scalingType(files.settings.scaling)) +
                " folded into the first layer");
        files.potential = foldInputScaling(std::move(files.potential), files.settings.scaling);
    }
    if (n.present) {
        logInfo(nnPath + ": n2p2 unit normalisation (mean_energy " + significant(n.meanEnergy) + ", conv_energy " +
                significant(n.convEnergy) + ") folded into the output layer; energies in the data's units");
        files.potential = foldEnergyNormalisation(std::move(files.potential), n.meanEnergy, n.convEnergy);
    }
    return files;
}

}  // namespace agl
