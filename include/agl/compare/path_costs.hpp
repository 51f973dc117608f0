// The measured cost of every feature set on an AGL path, for `agl select`'s report (path.csv cost columns,
// path.json, rmse_vs_cost.png) and the demo: the potential's energy and forces per atom with all candidate
// functions and with each point's selected ones (agl/compare/evaluation_cost.hpp: one thread, fastest of
// repeated passes), on a few held-out structures (heldOutStructuresForCost).
#pragma once
#include <optional>
#include <vector>

#include "agl/compare/evaluation_cost.hpp"
#include "agl/feature_table.hpp"
#include "agl/nn_settings.hpp"
#include "agl/select/path_report.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/structure.hpp"

namespace agl {

// The cost of the set of `table` columns `selected` (noise columns have no function and cost nothing): `all`
// itself when the set holds every candidate function, nothing when it leaves an element without functions
// (no potential to time), otherwise measured (measureEvaluationCost).
std::optional<EvaluationCost> costOfSelection(const NnSettings& candidates, const FeatureTable& table,
                                              const std::vector<std::vector<int>>& selected,
                                              const std::vector<const Structure*>& structures,
                                              const EvaluationCost& all, double minSeconds, int minRepeats = 3);

// Fills info.costStructures, info.allCost and info.pointCosts (one per point of sp). A set that several λ
// selected is timed once; a set leaving an element without functions is not timed (no potential to
// evaluate). With no structure nothing is timed (info unchanged) and the log says so.
void measurePathCosts(const NnSettings& candidates, const FeatureTable& table, const SelectionPath& sp,
                      const std::vector<const Structure*>& structures, double minSeconds, PathReportInfo& info);

}  // namespace agl
