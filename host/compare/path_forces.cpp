// The force error of every refit model on an AGL path (agl/compare/path_forces.hpp).
#include "agl/compare/path_forces.hpp"

#include <string>

#include "agl/hdnnp/force_error.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/timings.hpp"

namespace agl {

void measurePathForces(const NnSettings& candidates, const FeatureTable& table, const SelectionPath& sp,
                       const std::vector<const Structure*>& structures, PathReportInfo& info) {
    if (structures.empty()) return;
    ScopedPhase phase("path forces");
    std::vector<double> rmse(sp.points.size(), -1.0);
    double reference = -1.0;
    for (std::size_t k = 0; k < sp.points.size(); ++k) {
        const PathPoint& p = sp.points[k];
        const NnSettings chosen = selectedSettings(candidates, table, p.selected);
        if (p.numNoise > 0 || p.refit.weights.empty() || !chosen.everyElementHasFunctions()) continue;
        const ForceError error =
            forceError(chosen, subsetPotential(sp.archs, sp.scaling, p.refit.weights, p.selected), structures);
        if (error.rmse() < 0.0) {
            logInfo("the validation structures have no reference forces: no force error on the path");
            return;
        }
        rmse[k] = error.rmse();
        reference = error.referenceRms();
    }
    if (reference < 0.0) return;  // no point could be evaluated (noise columns everywhere)
    info.pointForceRmse = std::move(rmse);
    info.referenceForceRms = reference;
    info.forceStructures = int(structures.size());
    logInfo("force error of every refit measured on " + std::to_string(structures.size()) +
            " validation structures (reference force components: RMS " + significant(reference, 3) + ")");
}

}  // namespace agl
