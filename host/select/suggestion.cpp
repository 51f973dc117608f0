#include "agl/select/suggestion.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "agl/error.hpp"

namespace agl {

int suggestPoint(const std::vector<PathPoint>& points, double tolerance, const std::vector<double>& size) {
    AGL_CHECK(tolerance >= 0.0, "the suggestion tolerance must be >= 0");
    AGL_CHECK(size.empty() || size.size() == points.size(), "the suggestion needs one size per point");
    std::vector<double> score, measure;
    for (std::size_t i = 0; i < points.size(); ++i) {
        score.push_back(points[i].suggestionRmse());
        measure.push_back(size.empty() ? double(points[i].numSelected) : size[i]);
    }
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < points.size(); ++i)
        if (points[i].numSelected > 0 && std::isfinite(score[i])) best = std::min(best, score[i]);
    if (!std::isfinite(best)) return -1;
    int pick = -1;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const PathPoint& p = points[i];
        if (p.numSelected == 0 || !std::isfinite(measure[i]) || !(score[i] <= best * (1.0 + tolerance))) continue;
        if (pick < 0) {
            pick = int(i);
            continue;
        }
        const std::size_t q = std::size_t(pick);
        const bool better = measure[i] < measure[q] ||
                            (measure[i] == measure[q] &&
                             (score[i] < score[q] || (score[i] == score[q] && p.lambda > points[q].lambda)));
        if (better) pick = int(i);
    }
    return pick;
}

RefitSpread equalSetRefitSpread(const std::vector<PathPoint>& points) {
    std::map<std::vector<std::vector<int>>, std::vector<double>> bySet;
    for (const PathPoint& p : points) {
        const double score = p.suggestionRmse();
        if (p.numSelected > 0 && std::isfinite(score) && score > 0.0) bySet[p.selected].push_back(score);
    }
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
