// Which feature set of the path to suggest (the paper picks the knee of the refit-RMSE-vs-N curve by eye).
// A point's refit RMSE here is PathPoint::suggestionRmse: the mean over its refits (one refit per λ unless
// SelectConfig::refitSeeds says more), or over the cross-validation folds when SelectConfig::refitFolds ≥ 2.
// Rule: best = the lowest refit RMSE on the path; among the points whose refit RMSE is ≤ best · (1 +
// tolerance), take the one of the smallest SIZE (ties: lower refit RMSE, then the larger λ). The size is the
// number of selected features (the paper's measure), or any other per-point measure of the set, such as its
// counted cost (agl/compare/evaluation_work.hpp: `agl select --suggest-by work`).
// Points with a non-finite refit RMSE or size, or no selected feature, are never suggested.
#pragma once
#include <vector>

#include "agl/select/selection_path.hpp"

namespace agl {

// Index into path.points, or −1 when no point qualifies. size: one per point, or empty for the number of
// selected features.
int suggestPoint(const std::vector<PathPoint>& points, double tolerance, const std::vector<double>& size = {});

// How much the ranked RMSE (suggestionRmse) of the SAME feature set varies along the path: the largest
// max/min − 1 among points that selected exactly the same columns (typically all of them at the small-λ end; each λ has
// its own seeds). It measures the seed noise left in what the suggestion ranks; when it exceeds the
// tolerance, the suggestion is within the noise (docs/si-mlearn.md: 26 % with one refit per λ on 193 silicon
// structures) and more refit seeds help. 0 when no two points share a set.
struct RefitSpread {
    double relative = 0.0;
    int numFeatures = 0;       // of the set with that spread
    int numPoints = 0;         // points that selected it
};
RefitSpread equalSetRefitSpread(const std::vector<PathPoint>& points);

}  // namespace agl
