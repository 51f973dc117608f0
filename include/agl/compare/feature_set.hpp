// Feature sets to compare (`agl compare`, paper Tables SV–SVII): each is a list of columns per element of ONE
// candidate FeatureTable (the --nn functions, plus noise columns when added), so every set is trained on the
// same rows, the same split and the same standardisation statistics.
//
// Where a set comes from:
//   all           every column of the table (noise columns included when they were added: "all" is the whole
//                 input the methods choose from)
//   settings file the functions of an input.nn (e.g. a selected.nn of `agl select` or `agl filter`), matched to
//                 the candidate columns by their parameters; a function that is not a candidate is an
//                 InputError naming the file. Noise columns have no input.nn line: a settings file never
//                 contains them (see noiseFromPathJson for the AGL suggestion's noise count)
//   filter        PC, CUR or FPS (include/agl/filters.hpp, z-scored columns, PC on the raw columns) run here
//                 per element on the rows of the NON-test structures, with a given count per element
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/filters.hpp"
#include "agl/nn_settings.hpp"

namespace agl {

struct FeatureSet {
    std::string name;                       // table label: "all", "AGL", "PC", "CUR", "FPS", file stem
    std::string source;                     // where it came from, in words (file path, "pc on 300 structures")
    std::vector<std::vector<int>> columns;  // (elements of the table) 0-based columns, ascending
    bool fromSettings = false;              // read from an input.nn: noise columns cannot appear in `columns`
    int reportedNoise = -1;                 // noise columns the selection kept (a settings file of a run with
                                            // noise: from its path.json), −1 = not known

    int numFeatures() const;                // Σ columns over elements
};

// Counts over the table's column definitions: angular (types 3 and 9) and noise columns of the set.
int countAngular(const FeatureTable& table, const FeatureSet& set);
int countNoise(const FeatureTable& table, const FeatureSet& set);
// Columns per element of the set (the "same N" a filter is asked for).
std::vector<int> countsPerElement(const FeatureSet& set);

FeatureSet allFeaturesSet(const FeatureTable& table);

// The columns of the table whose function equals one of `settings` (all parameters compared exactly; values
// read from text round-trip, so equal text gives equal doubles). `path` names the file in errors.
FeatureSet settingsFeatureSet(const FeatureTable& table, const NnSettings& settings, const std::string& name,
                              const std::string& path);

// Runs one filter per element on the rows of `rowStructures` (structure indices, e.g. the non-test split),
// asking for counts[e] picks of element e (capped at its columns). seed: CUR row subset, if any.
FeatureSet filterFeatureSet(const FeatureTable& table, filters::Method method, const std::vector<int>& counts,
                            const std::vector<std::uint32_t>& rowStructures, std::uint64_t seed = 1);

// One element's picks of a filter asked for each of `counts`, among the rows of `rowStructures` (gathered once
// for all counts): 0-based columns, ascending, and what made the filter stop early, if anything.
// filterFeatureSet runs it per element with one count; costMatchedFilterSet with every count.
struct FilterPicks {
    std::vector<int> columns;
    std::string stopReason;
};
std::vector<FilterPicks> filterElementColumns(const FeatureTable& table, std::size_t element, filters::Method method,
                                              const std::vector<int>& counts,
                                              const std::vector<std::uint32_t>& rowStructures, std::uint64_t seed);
// "PC", "CUR" or "FPS": the set name of a filter.
std::string filterSetName(filters::Method method);

// The number of noise columns kept at the suggested point of an `agl select` path.json, or −1 when the file
// is absent, has no suggestion or no noise count.
int noiseFromPathJson(const std::string& pathJson);

// Two functions are the same column (type, elements, η, rs, rc, λ, ζ, cutoff type and α all equal).
bool sameFunction(const SymmetryFunction& a, const SymmetryFunction& b);

}  // namespace agl
