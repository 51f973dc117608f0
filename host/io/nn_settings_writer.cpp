// n2p2 input.nn writer, canonical order: elements, cutoff, seed, scaling, network, overrides, atom energies,
// the keywords agl does not interpret (verbatim, in their original order), then the symmetry functions
// grouped by centre element as SymmetryFunction::settingsLine(). Reading the output gives the same settings.
#include <ostream>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/io.hpp"
#include "text_scan.hpp"

namespace agl {

void writeNnSettings(std::ostream& out, const NnSettings& settings) {
    using io::shortest;
    out << "number_of_elements " << settings.elements.size() << "\nelements";
    for (int z : settings.elements) out << ' ' << elementSymbol(z);
    out << "\ncutoff_type " << static_cast<int>(settings.cutoffType) << ' ' << shortest(settings.cutoffAlpha) << '\n';
    if (settings.hasRandomSeed) out << "random_seed " << settings.randomSeed << '\n';
    const InputScaling& sc = settings.scaling;
    if (sc.center) out << "center_symmetry_functions\n";
    if (sc.scale) out << "scale_symmetry_functions\n";
    if (sc.scaleSigma) out << "scale_symmetry_functions_sigma\n";
    if (sc.scale || sc.scaleMin != InputScaling{}.scaleMin) out << "scale_min_short " << shortest(sc.scaleMin) << '\n';
    if (sc.scale || sc.scaleMax != InputScaling{}.scaleMax) out << "scale_max_short " << shortest(sc.scaleMax) << '\n';

    const NetworkShape& net = settings.network;
    if (!net.activations.empty()) {
        AGL_CHECK(net.activations.size() == net.hiddenNodes.size() + 1,
                  "network needs one activation per hidden layer plus the output");
        out << "global_hidden_layers_short " << net.hiddenNodes.size() << "\nglobal_nodes_short";
        for (int n : net.hiddenNodes) out << ' ' << n;
        out << "\nglobal_activation_short";
        for (char a : net.activations) out << ' ' << a;
        out << '\n';
    }
    for (const auto& [z, shape] : settings.elementNetworks) {
        // input.nn can only override node counts per layer (element_nodes_short); the reader never makes more.
        AGL_CHECK(shape.activations == net.activations && shape.hiddenNodes.size() == net.hiddenNodes.size(),
                  "element network of " + elementSymbol(z) + " differs from the global one beyond node counts");
        for (std::size_t l = 0; l < shape.hiddenNodes.size(); ++l)
            if (shape.hiddenNodes[l] != net.hiddenNodes[l])
                out << "element_nodes_short " << elementSymbol(z) << ' ' << l + 1 << ' ' << shape.hiddenNodes[l]
                    << '\n';
    }
    for (const auto& [z, e] : settings.atomEnergy) out << "atom_energy " << elementSymbol(z) << ' ' << shortest(e) << '\n';
    for (const RawKeyword& raw : settings.unknown) out << raw.text << '\n';
    for (int z : settings.elements)
        for (const SymmetryFunction& sf : settings.functionsOf(z)) out << sf.settingsLine() << '\n';
}

void writeNnSettings(const std::string& path, const NnSettings& settings, bool force) {
    AtomicFile file(path, force);
    writeNnSettings(file.stream(), settings);
    file.commit();
}

}  // namespace agl
