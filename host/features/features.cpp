// Public entry points of include/agl/features.hpp: device dispatch and chunking over a data set.
#include "agl/features.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "agl/bin_grid.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/gpu_features.hpp"
#include "agl/timings.hpp"

namespace agl {
namespace {

// GPU results (one StructureFeatures per structure) appended to the per-element matrices.
void appendComputed(const FeatureEngine& engine, const std::vector<const Structure*>& chunk,
                    const std::vector<StructureFeatures>& computed, FeatureTable& table) {
    AGL_CHECK(computed.size() == chunk.size(), "GPU returned a different number of structures");
    for (std::size_t c = 0; c < chunk.size(); ++c) {
        const Structure& s = *chunk[c];
        const StructureFeatures& f = computed[c];
        AGL_CHECK(f.numAtoms() == s.numAtoms(), "GPU returned a different number of atoms");
        const auto structureIndex = static_cast<std::uint32_t>(table.numStructures());
        for (std::size_t i = 0; i < s.numAtoms(); ++i) {
            const ElementGroups* g = engine.groupsOf(s.elements[i]);
            AGL_CHECK(g != nullptr, "element without symmetry functions");
            auto it = std::find_if(table.elements.begin(), table.elements.end(),
                                   [&](const ElementFeatures& e) { return e.element == g->element; });
            AGL_CHECK(static_cast<std::size_t>(f.numFunctions[i]) == it->numFunctions(),
                      "GPU returned a different number of functions");
            it->values.insert(it->values.end(), f.g(i), f.g(i) + f.numFunctions[i]);
            it->structure.push_back(structureIndex);
            it->atom.push_back(static_cast<std::uint32_t>(i));
        }
        table.energies.push_back(s.energy);
        table.numAtoms.push_back(static_cast<std::uint32_t>(s.numAtoms()));
        table.tags.push_back(s.tag);
    }
}

// The symmetry function whose rc is the neighbour cutoff (the first of the largest), as its input.nn line with
// the line's place when the settings were read from a file: a cutoff typed in the wrong unit is found by it.
std::string largestCutoffFunction(const NnSettings& settings) {
    const auto it = std::max_element(settings.functions.begin(), settings.functions.end(),
                                     [](const SymmetryFunction& a, const SymmetryFunction& b) { return a.rc < b.rc; });
    if (it == settings.functions.end()) return std::string();
    const std::string line = "`" + it->settingsLine() + "`";
    if (settings.source.empty() || it->sourceLine <= 0) return line;
    return settings.source + ":" + std::to_string(it->sourceLine) + " " + line;
}

// A problem of data.structures[k] found after reading: an InputError at the line where the structure begins
// when the data were read from a file, else an Error naming its place.
[[noreturn]] void refuseStructure(const Dataset& data, std::size_t k, const std::string& problem) {
    const std::string place = "structure " + std::to_string(k + 1);
    const long line = data.structures[k].sourceLine;
    if (!data.source.empty() && line > 0) throw InputError(data.source, line, place + ": " + problem);
    throw Error(place + " (of the data, counting from 1): " + problem);
}

// Before any work: the first atom whose element has no symmetry functions (a data set of more elements than
// input.nn lists, or a typo in an element symbol) is named with its structure.
void checkEveryElementHasFunctions(const Dataset& data, const FeatureEngine& engine, const NnSettings& settings) {
    const std::string nn = settings.source.empty() ? "the settings" : settings.source;
    for (std::size_t k = 0; k < data.structures.size(); ++k) {
        const Structure& s = data.structures[k];
        for (std::size_t i = 0; i < s.numAtoms(); ++i)
            if (!engine.groupsOf(s.elements[i]))
                refuseStructure(data, k, "atom " + std::to_string(i + 1) + " is " + elementSymbol(s.elements[i]) +
                                             ", an element " + nn + " has no symmetry functions for");
    }
}

// Called in the handler of a chunk's error: throws the first of its structures whose bins cannot be made (the
// search both devices share refuses it) named with refuseStructure and the function that sets the cutoff, or
// else the error as it was.
[[noreturn]] void rethrowNamingTheStructure(const Dataset& data, const std::vector<const Structure*>& chunk,
                                            std::size_t first, double cutoff, const NnSettings& settings) {
    const std::exception_ptr original = std::current_exception();
    if (cutoff > 0.0)
        for (std::size_t c = 0; c < chunk.size(); ++c) try {
                (void)makeBinGrid(*chunk[c], cutoff);
            } catch (const Error& e) {
                const std::string function = largestCutoffFunction(settings);
                refuseStructure(data, first + c, std::string(e.what()) + " (the cutoff is that of " + function + ")");
            }
    std::rethrow_exception(original);
}

}  // namespace

FeatureTable computeFeatures(const Dataset& data, const NnSettings& settings, const FeatureOptions& options,
                             const std::function<void(std::size_t)>& afterChunk) {
    return computeFeatures(data, FeatureEngine(settings), settings, options, afterChunk);
}

FeatureTable computeFeatures(const Dataset& data, const FeatureEngine& engine, const NnSettings& settings,
                             const FeatureOptions& options, const std::function<void(std::size_t)>& afterChunk) {
    checkEveryElementHasFunctions(data, engine, settings);
    FeatureTable table = engine.emptyTable();
    const std::size_t chunkSize = std::max<std::size_t>(1, options.chunkStructures);
    for (std::size_t first = 0; first < data.structures.size(); first += chunkSize) {
        std::vector<const Structure*> chunk;
        for (std::size_t s = first; s < std::min(first + chunkSize, data.structures.size()); ++s)
            chunk.push_back(&data.structures[s]);
        try {
            if (options.device == Device::Gpu) {
                ScopedPhase phase("feature kernels");  // the GPU path has no phases of its own
                appendComputed(engine, chunk, gpu::computeFeatures(chunk, engine.groups(), options.precision, false),
                               table);
            } else {
                engine.appendTo(chunk, table, options.threads);  // phases "neighbour lists", "feature kernels"
            }
        } catch (const Error&) {
            rethrowNamingTheStructure(data, chunk, first, engine.maxCutoff(), settings);
        }
        if (afterChunk) afterChunk(chunk.size());
    }
    return table;
}

StructureFeatures computeStructureFeatures(const Structure& s, const NnSettings& settings,
                                           const FeatureOptions& options) {
    const FeatureEngine engine(settings);
    if (options.device == Device::Gpu) {
        auto result = gpu::computeFeatures({&s}, engine.groups(), options.precision, options.derivatives);
        AGL_CHECK(result.size() == 1, "GPU returned a different number of structures");
        return std::move(result[0]);
    }
    return engine.compute(s, options.derivatives, options.threads);
}

}  // namespace agl
