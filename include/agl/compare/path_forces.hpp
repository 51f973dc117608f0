// The force error of every refit model on an AGL path, for `agl select`'s report (path.csv
// validation_force_rmse, path.json): each point's refit weights over its selected functions as a potential
// (subsetPotential, selectedSettings), its forces on the validation structures (the structures its energy
// RMSE is ranked on) against their reference forces (agl/hdnnp/force_error.hpp). The models are fitted to
// energies only: this says which sets give an MD run better forces, it was not fitted.
#pragma once
#include <vector>

#include "agl/feature_table.hpp"
#include "agl/nn_settings.hpp"
#include "agl/select/path_report.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/structure.hpp"

namespace agl {

// Fills info.pointForceRmse (one per point; −1 for a point with noise columns or an element left without
// functions) and info.referenceForceRms. Nothing when `structures` is empty or carries no reference forces
// (the log says so).
void measurePathForces(const NnSettings& candidates, const FeatureTable& table, const SelectionPath& sp,
                       const std::vector<const Structure*>& structures, PathReportInfo& info);

}  // namespace agl
