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
        std::vector<int> counts(table.elements[e].numFunctions());
        for (std::size_t n = 0; n < counts.size(); ++n) counts[n] = int(n + 1);
        std::vector<FilterPicks> picks = filterElementColumns(table, e, method, counts, rowStructures, seed);
        std::size_t best = 0;  // one pick at least, whatever it costs
        double bestShare = elementCountedCost(table, candidates, e, picks[0].columns, structures);
        for (std::size_t n = 1; n < picks.size(); ++n)
            if (const double share = elementCountedCost(table, candidates, e, picks[n].columns, structures);
                share <= target) {
                best = n;
                bestShare = share;
            }
        const std::string where = set.name + " on " + elementSymbol(table.elements[e].element);
        if (!picks[best].stopReason.empty()) logWarn(where + ": " + picks[best].stopReason);
        logInfo(where + ": " + std::to_string(picks[best].columns.size()) + " functions at the counted cost of " +
                reference.name + "'s " + std::to_string(reference.columns[e].size()) + " (share " +
                significant(bestShare, 3) + " <= " + significant(target, 3) + " per atom)");
        set.columns.push_back(std::move(picks[best].columns));
    }
    return set;
}

}  // namespace agl
