// Reading a potential folder for evaluation (hdnnp.hpp: PotentialFiles).
#include <fstream>

#include "agl/error.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/train/input_scaling.hpp"

namespace agl {

namespace {

// Raises InputError when the settings ask for something agl's evaluation would silently get wrong (n2p2's
// input scalings are all supported: foldInputScaling).
void checkEvaluable(const NnSettings& settings, const std::string& nnPath) {
    for (const RawKeyword& k : settings.unknown)
        for (const char* normalisation : {"mean_energy", "conv_energy", "conv_length"})
            if (k.text.rfind(normalisation, 0) == 0)
                throw InputError(nnPath, k.line, std::string(normalisation) +
                                                     ": n2p2's unit normalisation is not supported; use a "
                                                     "potential trained on unnormalised data");
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
    for (int z : settings.elements)
        if (settings.functionsOf(z).empty())
            throw InputError(nnPath, 0, "element " + std::to_string(z) + " has no symmetry functions");
}

}  // namespace

PotentialFiles readPotentialFiles(const std::string& dir) {
    const std::string nnPath = dir + "/input.nn";
    if (!std::ifstream(nnPath)) throw InputError(nnPath, 0, "cannot open (is " + dir + " a potential folder?)");
    PotentialFiles files;
    files.settings = readNnSettings(nnPath);
    checkEvaluable(files.settings, nnPath);
    files.potential = readPotential(dir, archsFromSettings(files.settings));
    if (!readsStandardisedInputs(files.settings.scaling)) {
        // agl's networks read (G − mean)/σ: the potential's own input map goes into its first layer (exact).
        logInfo(nnPath + ": input scaling " + scalingName(scalingType(files.settings.scaling)) +
                " folded into the first layer");
        files.potential = foldInputScaling(std::move(files.potential), files.settings.scaling);
    }
    return files;
}

}  // namespace agl
