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

// One structure's computed features (a GPU result, or a CPU one with derivatives) appended as its rows.
void appendComputed(const FeatureEngine& engine, const Structure& s, const StructureFeatures& f, FeatureTable& table) {
    AGL_CHECK(f.numAtoms() == s.numAtoms(), "features of a different number of atoms");
    std::vector<std::size_t> row;
    for (const ElementFeatures& ef : table.elements) row.push_back(ef.numAtoms());
    engine.appendLayout({&s}, table);
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        const std::size_t e = table.elementIndex(s.elements[i]);  // appendLayout found the element
        ElementFeatures& ef = table.elements[e];
        AGL_CHECK(static_cast<std::size_t>(f.numFunctions[i]) == ef.numFunctions(),
                  "features of a different number of functions");
        std::copy(f.g(i), f.g(i) + ef.numFunctions(), ef.values.begin() + long(row[e]++ * ef.numFunctions()));
    }
}

// With derivatives: structure by structure (one structure's derivatives in memory), G from the same pass.
void appendWithDerivatives(const FeatureEngine& engine, const std::vector<const Structure*>& chunk,
                           std::size_t first, const FeatureOptions& options, FeatureTable& table,
                           const StructureSink& onStructure) {
    StructureFeatures f;
    for (std::size_t c = 0; c < chunk.size(); ++c) {
        {
            ScopedPhase phase("feature kernels");
            if (options.device == Device::Gpu)
                f = std::move(gpu::computeFeatures({chunk[c]}, engine.groups(), options.precision, true).at(0));
            else
                engine.compute(*chunk[c], true, options.threads, f);
        }
        appendComputed(engine, *chunk[c], f, table);
        if (onStructure) onStructure(first + c, f);
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
    FeatureTable table = engine.emptyTable();
    FeatureOptions energiesOnly = options;
    energiesOnly.derivatives = false;
    continueFeatures(data, engine, settings, energiesOnly, table, {}, [&](std::size_t n) {
        if (afterChunk) afterChunk(n);
        return true;
    });
    return table;
}

void continueFeatures(const Dataset& data, const FeatureEngine& engine, const NnSettings& settings,
                      const FeatureOptions& options, FeatureTable& table, const StructureSink& onStructure,
                      const std::function<bool(std::size_t)>& afterChunk) {
    checkEveryElementHasFunctions(data, engine, settings);
    AGL_CHECK(table.numStructures() <= data.structures.size(), "the table holds more structures than the data");
    const std::size_t chunkSize = std::max<std::size_t>(1, options.chunkStructures);
    for (std::size_t first = table.numStructures(); first < data.structures.size(); first += chunkSize) {
        std::vector<const Structure*> chunk;
        for (std::size_t s = first; s < std::min(first + chunkSize, data.structures.size()); ++s)
            chunk.push_back(&data.structures[s]);
        try {
            if (options.derivatives) {
                appendWithDerivatives(engine, chunk, first, options, table, onStructure);
            } else if (options.device == Device::Gpu) {
                ScopedPhase phase("feature kernels");  // the GPU path has no phases of its own
                const auto computed = gpu::computeFeatures(chunk, engine.groups(), options.precision, false);
                AGL_CHECK(computed.size() == chunk.size(), "GPU returned a different number of structures");
                for (std::size_t c = 0; c < chunk.size(); ++c) appendComputed(engine, *chunk[c], computed[c], table);
            } else {
                engine.appendTo(chunk, table, options.threads);  // phases "neighbour lists", "feature kernels"
            }
        } catch (const Error&) {
            rethrowNamingTheStructure(data, chunk, first, engine.maxCutoff(), settings);
        }
        if (afterChunk && !afterChunk(chunk.size())) return;
    }
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
