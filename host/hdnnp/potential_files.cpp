// Reading a potential folder for evaluation (hdnnp.hpp: PotentialFiles).
#include <fstream>

#include "agl/error.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "agl/io.hpp"

namespace agl {

namespace {

// Raises InputError when the settings ask for something agl's evaluation would silently get wrong.
void checkEvaluable(const NnSettings& settings, const std::string& nnPath) {
    for (const RawKeyword& k : settings.unknown)
        for (const char* normalisation : {"mean_energy", "conv_energy", "conv_length"})
            if (k.text.rfind(normalisation, 0) == 0)
                throw InputError(nnPath, k.line, std::string(normalisation) +
                                                     ": n2p2's unit normalisation is not supported; use a "
                                                     "potential trained on unnormalised data");
    const InputScaling& s = settings.scaling;
    if (!s.scaleSigma || s.scale || s.scaleMin != 0.0 || s.scaleMax != 1.0)
        throw InputError(nnPath, 0, "only scale_symmetry_functions_sigma inputs ((G - mean)/sigma, scale_min_short 0, "
                                    "scale_max_short 1) are supported: this is what agl trains and exports");
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
    return files;
}

}  // namespace agl
