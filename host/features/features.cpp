// Public entry points of include/agl/features.hpp: device dispatch and chunking over a data set.
#include "agl/features.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "agl/bin_grid.hpp"
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

// The symmetry function whose rc is the neighbour cutoff (the first of the largest), as its input.nn line: a
// cutoff typed in the wrong unit is found by this line.
std::string largestCutoffFunction(const NnSettings& settings) {
    const auto it = std::max_element(settings.functions.begin(), settings.functions.end(),
                                     [](const SymmetryFunction& a, const SymmetryFunction& b) { return a.rc < b.rc; });
    return it == settings.functions.end() ? std::string() : it->settingsLine();
}

// Called in the handler of a chunk's error: throws the first of its structures whose bins cannot be made (the
// search both devices share refuses it) named with its place in the data set and the function that sets the
// cutoff, or else the error as it was.
[[noreturn]] void rethrowNamingTheStructure(const std::vector<const Structure*>& chunk, std::size_t first,
                                            double cutoff, const NnSettings& settings) {
    const std::exception_ptr original = std::current_exception();
    if (cutoff > 0.0)
        for (std::size_t c = 0; c < chunk.size(); ++c) try {
                (void)makeBinGrid(*chunk[c], cutoff);
            } catch (const Error& e) {
                throw Error("structure " + std::to_string(first + c + 1) + " (of the data, counting from 1): " +
                            e.what() + " (the cutoff is that of `" + largestCutoffFunction(settings) + "`)");
            }
    std::rethrow_exception(original);
}

}  // namespace

FeatureTable computeFeatures(const Dataset& data, const NnSettings& settings, const FeatureOptions& options,
                             const std::function<void(std::size_t)>& afterChunk) {
    const FeatureEngine engine(settings);
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
            rethrowNamingTheStructure(chunk, first, engine.maxCutoff(), settings);
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
