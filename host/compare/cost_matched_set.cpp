// Filter sets of the counted cost of a reference set (agl/compare/cost_matched_set.hpp).
#include "agl/compare/cost_matched_set.hpp"

#include "agl/compare/evaluation_work.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/select/path_report.hpp"

namespace agl {

double elementCountedCost(const FeatureTable& table, const NnSettings& candidates, std::size_t e,
                          const std::vector<int>& columns, const std::vector<const Structure*>& structures) {
    std::vector<std::vector<int>> only(table.elements.size());
    only.at(e) = columns;
    return countedCost(countEvaluationWork(selectedSettings(candidates, table, only), structures)) - kAtomFloor;
}

FeatureSet costMatchedFilterSet(const FeatureTable& table, const NnSettings& candidates, filters::Method method,
                                const FeatureSet& reference, const std::vector<std::uint32_t>& rowStructures,
                                const std::vector<const Structure*>& structures, std::uint64_t seed) {
    AGL_CHECK(reference.columns.size() == table.elements.size(), "one column list per element expected");
    AGL_CHECK(!structures.empty(), "matching the counted cost needs structures to count on");
    FeatureSet set;
    set.name = filterSetName(method);
    set.source = filters::toString(method) + " on " + std::to_string(rowStructures.size()) +
                 " non-test structures, at the counted cost of " + reference.name;
    for (std::size_t e = 0; e < table.elements.size(); ++e) {
        const double target = elementCountedCost(table, candidates, e, reference.columns[e], structures);
        std::string stop;
        std::vector<int> best = filterElementColumns(table, e, method, 1, rowStructures, seed, &stop);
        const int columns = int(table.elements[e].numFunctions());
        for (int n = 2; n <= columns; ++n) {
            std::string stopped;
            std::vector<int> picks = filterElementColumns(table, e, method, n, rowStructures, seed, &stopped);
            if (elementCountedCost(table, candidates, e, picks, structures) > target) continue;
            best = std::move(picks);
            stop = std::move(stopped);
        }
        if (!stop.empty()) logWarn(set.name + " on " + elementSymbol(table.elements[e].element) + ": " + stop);
        logInfo(set.name + " on " + elementSymbol(table.elements[e].element) + ": " + std::to_string(best.size()) +
                " functions at the counted cost of " + reference.name + "'s " +
                std::to_string(reference.columns[e].size()) + " (share " +
                significant(elementCountedCost(table, candidates, e, best, structures), 3) + " <= " +
                significant(target, 3) + " per atom)");
        set.columns.push_back(std::move(best));
    }
    return set;
}

}  // namespace agl
