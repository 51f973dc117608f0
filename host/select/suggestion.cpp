#include "agl/select/suggestion.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "agl/error.hpp"

namespace agl {

int suggestPoint(const std::vector<PathPoint>& points, double tolerance) {
    AGL_CHECK(tolerance >= 0.0, "the suggestion tolerance must be >= 0");
    double best = std::numeric_limits<double>::infinity();
    for (const PathPoint& p : points)
        if (p.numSelected > 0 && std::isfinite(p.refit.validationRmse)) best = std::min(best, p.refit.validationRmse);
    if (!std::isfinite(best)) return -1;
    int pick = -1;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const PathPoint& p = points[i];
        if (p.numSelected == 0 || !(p.refit.validationRmse <= best * (1.0 + tolerance))) continue;
        if (pick < 0) {
            pick = int(i);
            continue;
        }
        const PathPoint& q = points[std::size_t(pick)];
        const bool better = p.numSelected < q.numSelected ||
                            (p.numSelected == q.numSelected &&
                             (p.refit.validationRmse < q.refit.validationRmse ||
                              (p.refit.validationRmse == q.refit.validationRmse && p.lambda > q.lambda)));
        if (better) pick = int(i);
    }
    return pick;
}

RefitSpread equalSetRefitSpread(const std::vector<PathPoint>& points) {
    std::map<std::vector<std::vector<int>>, std::vector<double>> bySet;
    for (const PathPoint& p : points)
        if (p.numSelected > 0 && std::isfinite(p.refit.validationRmse) && p.refit.validationRmse > 0.0)
            bySet[p.selected].push_back(p.refit.validationRmse);
    RefitSpread worst;
    for (const auto& [set, rmse] : bySet) {
        if (rmse.size() < 2) continue;
        const auto [lo, hi] = std::minmax_element(rmse.begin(), rmse.end());
        const double spread = *hi / *lo - 1.0;
        if (spread <= worst.relative) continue;
        worst.relative = spread;
        worst.numPoints = int(rmse.size());
        worst.numFeatures = 0;
        for (const auto& columns : set) worst.numFeatures += int(columns.size());
    }
    return worst;
}

}  // namespace agl
