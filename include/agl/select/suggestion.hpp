// Which feature set of the path to suggest (the paper picks the knee of the refit-RMSE-vs-N curve by eye).
// Rule: best = the lowest refit validation RMSE on the path; among the points whose refit RMSE is
// ≤ best · (1 + tolerance), take the one with the FEWEST selected features (ties: lower refit RMSE, then the
// larger λ). Points with a non-finite refit RMSE or no selected feature are never suggested.
#pragma once
#include <vector>

#include "agl/select/selection_path.hpp"

namespace agl {

// Index into path.points, or −1 when no point qualifies.
int suggestPoint(const std::vector<PathPoint>& points, double tolerance);

}  // namespace agl
