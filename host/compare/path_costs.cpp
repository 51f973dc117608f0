// The measured cost of every set on an AGL path (agl/compare/path_costs.hpp).
#include "agl/compare/path_costs.hpp"

#include <map>
#include <string>

#include "agl/compare/evaluation_cost.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/timings.hpp"

namespace agl {

std::optional<EvaluationCost> costOfSelection(const NnSettings& candidates, const FeatureTable& table,
                                              const std::vector<std::vector<int>>& selected,
                                              const std::vector<const Structure*>& structures,
                                              const EvaluationCost& all, double minSeconds, int minRepeats) {
    const NnSettings chosen = selectedSettings(candidates, table, selected);
    if (!chosen.everyElementHasFunctions()) return std::nullopt;
    if (chosen.functions.size() == candidates.functions.size()) return all;
    return measureEvaluationCost(chosen, structures, minSeconds, minRepeats);
}

void measurePathCosts(const NnSettings& candidates, const FeatureTable& table, const SelectionPath& sp,
                      const std::vector<const Structure*>& structures, double minSeconds, PathReportInfo& info) {
    if (structures.empty()) {
        logInfo("no held-out structure to time the cost of the sets on: not measured");
        return;
    }
    ScopedPhase phase("path cost");
    info.costStructures = int(structures.size());
    info.allCost = measureEvaluationCost(candidates, structures, minSeconds);
    info.pointCosts.assign(sp.points.size(), EvaluationCost{});
    std::map<std::vector<std::vector<int>>, std::optional<EvaluationCost>> timed;  // by the selected columns
    for (std::size_t k = 0; k < sp.points.size(); ++k) {
        const auto& selected = sp.points[k].selected;
        auto it = timed.find(selected);
        if (it == timed.end())
            it = timed.emplace(selected, costOfSelection(candidates, table, selected, structures, info.allCost,
                                                         minSeconds)).first;
        if (it->second) info.pointCosts[k] = *it->second;
    }
    logInfo("cost of energy and forces with all " + std::to_string(candidates.functions.size()) + " functions: " +
            significant(info.allCost.forceMicroseconds, 3) + " us/atom (one thread, " +
            std::to_string(structures.size()) + " held-out structures, " + std::to_string(info.allCost.atoms) +
            " atoms); " + std::to_string(timed.size()) + " sets of the path timed");
}

}  // namespace agl
