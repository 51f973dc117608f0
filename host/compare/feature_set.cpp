// Feature sets of a comparison: all columns, the functions of a settings file, or a filter run here.
#include "agl/compare/feature_set.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/log.hpp"

namespace agl {

int FeatureSet::numFeatures() const {
    int n = 0;
    for (const auto& c : columns) n += int(c.size());
    return n;
}

namespace {

template <class Pred>
int countColumns(const FeatureTable& table, const FeatureSet& set, Pred pred) {
    AGL_CHECK(set.columns.size() == table.elements.size(), "feature set '" + set.name + "': one list per element");
    int n = 0;
    for (std::size_t e = 0; e < table.elements.size(); ++e)
        for (int j : set.columns[e]) n += pred(table.elements[e].functions.at(std::size_t(j))) ? 1 : 0;
    return n;
}

}  // namespace

int countAngular(const FeatureTable& table, const FeatureSet& set) {
    return countColumns(table, set, [](const SymmetryFunction& f) { return f.isAngular(); });
}

int countNoise(const FeatureTable& table, const FeatureSet& set) {
    return countColumns(table, set, [](const SymmetryFunction& f) { return f.isNoise(); });
}

std::vector<int> countsPerElement(const FeatureSet& set) {
    std::vector<int> counts;
    for (const auto& c : set.columns) counts.push_back(int(c.size()));
    return counts;
}

bool sameFunction(const SymmetryFunction& a, const SymmetryFunction& b) {
    return a.type == b.type && a.centre == b.centre && a.e1 == b.e1 && a.e2 == b.e2 && a.eta == b.eta &&
           a.rs == b.rs && a.rc == b.rc && a.lambda == b.lambda && a.zeta == b.zeta &&
           a.cutoffType == b.cutoffType && a.cutoffAlpha == b.cutoffAlpha;
}

FeatureSet allFeaturesSet(const FeatureTable& table) {
    FeatureSet set;
    set.name = "all";
    set.source = "every candidate column";
    for (const ElementFeatures& el : table.elements) {
        std::vector<int> cols(el.numFunctions());
        for (std::size_t j = 0; j < cols.size(); ++j) cols[j] = int(j);
        set.columns.push_back(cols);
    }
    return set;
}

FeatureSet settingsFeatureSet(const FeatureTable& table, const NnSettings& settings, const std::string& name,
                              const std::string& path) {
    FeatureSet set;
    set.name = name;
    set.source = path;
    set.fromSettings = true;
    set.columns.resize(table.elements.size());
    for (const SymmetryFunction& sf : settings.functions) {
        const std::size_t e = table.elementIndex(sf.centre);
        if (e == table.elements.size())
            throw InputError(path, sf.sourceLine, "element " + elementSymbol(sf.centre) + " of '" + sf.settingsLine() +
                                          "' is not in the candidate table");
        const auto& fs = table.elements[e].functions;
        const auto it = std::find_if(fs.begin(), fs.end(), [&](const SymmetryFunction& c) { return sameFunction(c, sf); });
        if (it == fs.end())
            throw InputError(path, sf.sourceLine, "'" + sf.settingsLine() +
                                          "' is not one of the candidate functions (--nn); compare needs subsets of "
                                          "the candidates");
        set.columns[e].push_back(int(it - fs.begin()));
    }
    for (std::size_t e = 0; e < set.columns.size(); ++e) {
        auto& c = set.columns[e];
        std::sort(c.begin(), c.end());
        c.erase(std::unique(c.begin(), c.end()), c.end());
        if (c.empty() && table.elements[e].numAtoms() > 0)
            throw InputError(path, 0, "no function for element " + elementSymbol(table.elements[e].element));
    }
    return set;
}

std::vector<FilterPicks> filterElementColumns(const FeatureTable& table, std::size_t e, filters::Method method,
                                              const std::vector<int>& counts,
                                              const std::vector<std::uint32_t>& rowStructures, std::uint64_t seed) {
    std::vector<char> use(table.numStructures(), 0);
    for (std::uint32_t s : rowStructures) use.at(s) = 1;
    const ElementFeatures& el = table.elements.at(e);
    const std::size_t d = el.numFunctions();
    // Rows of the chosen structures only (the test set stays unseen by every method), once for all counts.
    std::vector<double> X;
    for (std::size_t r = 0; r < el.numAtoms(); ++r)
        if (use[el.structure[r]]) X.insert(X.end(), el.values.begin() + r * d, el.values.begin() + (r + 1) * d);
    const std::size_t rows = d ? X.size() / d : 0;
    std::vector<FilterPicks> out;
    for (const int count : counts) {
        if (rows == 0 || count <= 0)
            throw Error(filters::toString(method) + ": no rows or no picks for element " + elementSymbol(el.element));
        filters::FilterOptions o;
        o.method = method;
        o.n = std::min(count, int(d));
        o.preprocess = filters::Preprocess::ZScore;
        o.seed = seed;
        const filters::FilterRun run = filters::runFilter(X.data(), rows, d, o);
        FilterPicks picks{run.selection.picks, run.selection.stopReason};
        std::sort(picks.columns.begin(), picks.columns.end());
        out.push_back(std::move(picks));
    }
    return out;
}

std::string filterSetName(filters::Method method) {
    return method == filters::Method::Pc ? "PC" : method == filters::Method::Cur ? "CUR" : "FPS";
}

FeatureSet filterFeatureSet(const FeatureTable& table, filters::Method method, const std::vector<int>& counts,
                            const std::vector<std::uint32_t>& rowStructures, std::uint64_t seed) {
    AGL_CHECK(counts.size() == table.elements.size(), "one count per element expected");
    FeatureSet set;
    set.name = filterSetName(method);
    set.source = filters::toString(method) + " on " + std::to_string(rowStructures.size()) + " non-test structures";
    for (std::size_t e = 0; e < table.elements.size(); ++e) {
        FilterPicks picks = std::move(filterElementColumns(table, e, method, {counts[e]}, rowStructures, seed)[0]);
        if (!picks.stopReason.empty())
            logWarn(set.name + " on " + elementSymbol(table.elements[e].element) + ": " + picks.stopReason);
        set.columns.push_back(std::move(picks.columns));
    }
    return set;
}

int noiseFromPathJson(const std::string& pathJson) {
    if (!std::filesystem::exists(pathJson)) return -1;
    std::ifstream in(pathJson);
    nlohmann::json j;
    try {
        in >> j;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(pathJson, 0, std::string("not valid JSON: ") + e.what());
    }
    if (!j.contains("suggested") || !j["suggested"].is_number_integer() || !j.contains("path")) return -1;
    const auto k = j["suggested"].get<std::size_t>();
    if (k >= j["path"].size() || !j["path"][k].contains("numNoise")) return -1;
    return j["path"][k]["numNoise"].get<int>();
}

}  // namespace agl
