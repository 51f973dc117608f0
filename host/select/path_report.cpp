#include "agl/select/path_report.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/compare/evaluation_work.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/number_text.hpp"
#include "agl/plot.hpp"

namespace agl {

namespace {

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

// "1 4 7" (0-based columns).
std::string columnList(const std::vector<int>& cols) {
    std::string s;
    for (int j : cols) s += (s.empty() ? "" : " ") + std::to_string(j);
    return s;
}

// The trade-off the selection is for: the ranked refit RMSE of each timed set against its cost relative to
// all candidates (energy and forces per atom: measured, or counted when the suggestion ranked by the counted
// cost), the suggestion marked.
void writeCostPlot(const std::string& path, const SelectionPath& sp, const PathReportInfo& info, bool force) {
    LinePlot lp;
    lp.title = "AGL path: validation RMSE against cost";
    lp.xLabel = info.suggestByWork ? "counted cost of energy and forces / counted cost with all candidates"
                                   : "cost of energy and forces / cost with all candidates";
    lp.yLabel = "validation RMSE per atom (ranked refit)";
    lp.logY = true;
    PlotSeries sets{"selected sets", {}, {}, false}, suggested{"suggested", {}, {}, false};
    for (std::size_t k = 0; k < sp.points.size(); ++k) {
        const EvaluationCost* c = pointCost(info, k);
        if (!c) continue;
        PlotSeries& series = int(k) == info.suggested ? suggested : sets;
        series.x.push_back(info.suggestByWork ? countedCost(c->work) / countedCost(info.allCost.work)
                                              : costRatio(info, *c));
        series.y.push_back(sp.points[k].suggestionRmse());
    }
    lp.series = {sets, suggested};
    writePlot(path, lp, force);
}

}  // namespace

const EvaluationCost* pointCost(const PathReportInfo& info, std::size_t k) {
    return k < info.pointCosts.size() && info.pointCosts[k].atoms > 0 ? &info.pointCosts[k] : nullptr;
}

double costRatio(const PathReportInfo& info, const EvaluationCost& cost) {
    return cost.forceMicroseconds / info.allCost.forceMicroseconds;
}

std::vector<double> countedCosts(const PathReportInfo& info) {
    std::vector<double> sizes;
    for (std::size_t k = 0; k < info.pointCosts.size(); ++k) {
        const EvaluationCost* c = pointCost(info, k);
        sizes.push_back(c ? countedCost(c->work) : std::numeric_limits<double>::quiet_NaN());
    }
    return sizes;
}

void writePathCsv(const std::string& path, const FeatureTable& table, const SelectionPath& sp,
                  const PathReportInfo& info, bool force) {
    AtomicFile file(path, force);
    std::ostream& out = file.stream();
    // rmse_refit: mean over the refit seeds (what the suggestion ranks); rmse_refit_kept: the refit kept.
    out << "lambda,seed,num_features,num_angular,num_noise,rmse_gl,rmse_agl,rmse_refit,rmse_refit_std,"
           "rmse_refit_kept,epochs_gl,epochs_agl,epochs_refit,rmse_cv,rmse_cv_std,cost_us_per_atom,cost_ratio,"
           "radial_terms,angular_terms,counted_cost,validation_force_rmse";
    for (const ElementFeatures& el : table.elements) out << ",selected_" << elementSymbol(el.element);
    out << "\n" << std::setprecision(10);
    for (std::size_t k = 0; k < sp.points.size(); ++k) {
        const PathPoint& p = sp.points[k];
        out << p.lambda << ',' << p.seed << ',' << p.numSelected << ',' << p.numAngular << ',' << p.numNoise << ','
            << p.gl.validationRmse << ',' << p.agl.validationRmse << ',' << p.refitRmseMean() << ','
            << p.refitRmseStd() << ',' << p.refit.validationRmse << ',' << p.gl.epochs << ',' << p.agl.epochs << ',' << p.refit.epochs << ',';
        // rmse_cv: mean over the cross-validation folds (what the suggestion ranks then); empty without them.
        if (!p.cvRmses.empty()) out << p.suggestionRmse() << ',' << p.suggestionRmseStd();
        else out << ',';
        // cost: energy and forces per atom (µs, one thread), its ratio to all candidates, the counted terms per
        // atom and the counted cost (evaluation_work.hpp); empty if not timed.
        if (const EvaluationCost* c = pointCost(info, k))
            out << ',' << c->forceMicroseconds << ',' << costRatio(info, *c) << ',' << c->work.radialTerms << ','
                << c->work.angularTerms << ',' << countedCost(c->work);
        else out << ",,,,,";
        // force RMSE of the refit on the validation structures (path_forces.hpp); empty if not measured.
        out << ',';
        if (k < info.pointForceRmse.size() && info.pointForceRmse[k] >= 0.0) out << info.pointForceRmse[k];
        for (std::size_t e = 0; e < table.elements.size(); ++e)
            out << ',' << (e < p.selected.size() ? columnList(p.selected[e]) : "");
        out << "\n";
    }
    file.commit();
}

void writePathJson(const std::string& path, const FeatureTable& table, const SelectionPath& sp,
                   const PathReportInfo& info, bool force) {
    nlohmann::json j;
    j["rmseUnit"] = "energy unit of the data per atom (validation set)";
    j["learningRate"] = info.learningRate;
    j["lambdaRule"] = info.lambdaRule;
    j["completedStage"] = sp.completedStage;
    const std::string ranked =
        info.refitFolds >= 2
            ? "cross-validated refit RMSE (mean over " + std::to_string(info.refitFolds) + " folds, cold starts)"
            : "refit validation RMSE (mean over " + std::to_string(info.refitSeeds) + " refit seeds)";
    const std::string smallest =
        info.suggestByWork ? "set of the smallest counted cost (energy and forces: terms per atom)" : "smallest set";
    j["suggestionRule"] = smallest + " whose " + ranked + " is within " + significant(100 * info.tolerance, 3) +
                          " % of the best on the path (ties: lower RMSE, larger lambda)";
    j["refitSeeds"] = info.refitSeeds;
    j["refitFolds"] = info.refitFolds;
    j["suggested"] = info.suggested >= 0 ? nlohmann::json(info.suggested) : nlohmann::json(nullptr);
    j["refitSpreadOfEqualSets"] = {{"relative", info.refitSpread.relative},
                                   {"numFeatures", info.refitSpread.numFeatures},
                                   {"points", info.refitSpread.numPoints}};
    const auto cost = [](const EvaluationCost& c) {
        return nlohmann::json{{"forces", c.forceMicroseconds},
                              {"features", c.featureMicroseconds},
                              {"radialTerms", c.work.radialTerms},
                              {"angularTerms", c.work.angularTerms},
                              {"angularTriplets", c.work.angularTriplets},
                              {"angularNeighbours", c.work.angularNeighbours},
                              {"countedCost", countedCost(c.work)},
                              {"networkWeights", c.work.networkWeights}};
    };
    j["cost"] = nullptr;
    if (info.costStructures > 0)
        j["cost"] = {{"unit", "CPU microseconds per atom, one thread (fastest of repeated passes)"},
                     {"forces", "energy and forces: symmetry functions with derivatives, networks, chain rule"},
                     {"features", "symmetry functions with derivatives alone"},
                     {"terms", "counted per atom, deterministic: radialTerms (one radial function on one "
                               "neighbour within its rc), angularTerms (one angular function on one neighbour pair "
                               "within its rc), angularTriplets (the triplets once per group of angular functions "
                               "sharing type, elements and rc), angularNeighbours (one angular function and one "
                               "neighbour within its rc), networkWeights (of the atom's network); countedCost: "
                               "their weighted sum, in the time of one radial term (agl/compare/evaluation_work.hpp)"},
                     {"structures", info.costStructures},
                     {"atoms", info.allCost.atoms},
                     {"all", cost(info.allCost)}};
    j["suggestedCost"] = nullptr;  // the suggested point's cost and its speed-up against all candidates
    if (const EvaluationCost* c = info.suggested >= 0 ? pointCost(info, std::size_t(info.suggested)) : nullptr)
        j["suggestedCost"] = {{"suggested", cost(*c)},
                              {"speedup", number(1.0 / costRatio(info, *c))},
                              {"countedSpeedup", number(countedCost(info.allCost.work) / countedCost(c->work))}};
    j["forces"] = nullptr;  // the refits' force error on the validation structures (path_forces.hpp)
    if (!info.pointForceRmse.empty())
        j["forces"] = {{"unit", "RMSE per force component, the data's energy per length unit"},
                       {"structures", info.forceStructures},
                       {"referenceRms", info.referenceForceRms},
                       {"note", "models fitted to energies only: the force error an MD run with them has"}};
    if (info.split.numStructures > 0) j["split"] = pathSplitJson(info.split);
    j["features"] = nlohmann::json::array();
    for (const ElementFeatures& el : table.elements) {
        nlohmann::json f = nlohmann::json::array();
        for (const SymmetryFunction& sf : el.functions) f.push_back(sf.settingsLine());
        j["features"].push_back({{"element", elementSymbol(el.element)}, {"functions", f}});
    }
    j["path"] = nlohmann::json::array();
    for (std::size_t k = 0; k < sp.points.size(); ++k) {
        const PathPoint& p = sp.points[k];
        nlohmann::json q;
        q["lambda"] = p.lambda;
        q["seed"] = p.seed;
        q["numFeatures"] = p.numSelected;
        q["numAngular"] = p.numAngular;
        q["numNoise"] = p.numNoise;
        for (std::size_t e = 0; e < p.selected.size(); ++e)
            q["selected"][elementSymbol(table.elements[e].element)] = p.selected[e];
        q["rmseGl"] = number(p.gl.validationRmse);
        q["rmseAgl"] = number(p.agl.validationRmse);
        q["rmseRefit"] = number(p.refitRmseMean());
        q["rmseRefitStd"] = number(p.refitRmseStd());
        q["rmseRefitSeeds"] = nlohmann::json::array();
        for (double r : p.refitRmses) q["rmseRefitSeeds"].push_back(number(r));
        q["rmseRefitKept"] = number(p.refit.validationRmse);
        if (!p.cvRmses.empty()) {
            q["rmseCv"] = number(p.suggestionRmse());
            q["rmseCvStd"] = number(p.suggestionRmseStd());
            q["rmseCvFolds"] = nlohmann::json::array();
            for (double r : p.cvRmses) q["rmseCvFolds"].push_back(number(r));
        }
        q["cost"] = nullptr;
        if (const EvaluationCost* c = pointCost(info, k)) {
            q["cost"] = cost(*c);
            q["cost"]["ratio"] = costRatio(info, *c);
        }
        q["validationForceRmse"] = nullptr;
        if (k < info.pointForceRmse.size() && info.pointForceRmse[k] >= 0.0)
            q["validationForceRmse"] = info.pointForceRmse[k];
        q["epochs"] = {{"gl", p.gl.epochs}, {"agl", p.agl.epochs}, {"refit", p.refit.epochs}};
        q["bestEpoch"] = {{"gl", p.gl.bestEpoch}, {"agl", p.agl.bestEpoch}, {"refit", p.refit.bestEpoch}};
        q["groupNormsAgl"] = p.agl.groupNorms;
        j["path"].push_back(q);
    }
    AtomicFile file(path, force);
    file.stream() << j.dump(2) << "\n";
    file.commit();
}

void writePathPlots(const std::string& dir, const FeatureTable& table, const SelectionPath& sp,
                    const PathReportInfo& info, bool force) {
    LinePlot lp;
    lp.title = "AGL path: validation RMSE against number of features";
    lp.xLabel = "number of selected features";
    lp.yLabel = "validation RMSE per atom";
    lp.logY = true;
    PlotSeries agl{"end of AGL", {}, {}, false},
        refit{info.refitSeeds > 1 ? "after refit (mean of " + std::to_string(info.refitSeeds) + " seeds)" : "after refit",
              {}, {}, false};
    PlotSeries cv{"refit, " + std::to_string(info.refitFolds) + "-fold CV mean", {}, {}, false};
    for (const PathPoint& p : sp.points) {
        agl.x.push_back(p.numSelected);
        agl.y.push_back(p.agl.validationRmse);
        refit.x.push_back(p.numSelected);
        refit.y.push_back(p.refitRmseMean());
        if (p.cvRmses.empty()) continue;
        cv.x.push_back(p.numSelected);
        cv.y.push_back(p.suggestionRmse());
    }
    lp.series = {agl, refit};
    if (!cv.x.empty()) lp.series.push_back(cv);
    if (info.suggested >= 0) {  // on the curve the suggestion ranked
        const PathPoint& s = sp.points[std::size_t(info.suggested)];
        lp.series.push_back({"suggested", {double(s.numSelected)}, {s.suggestionRmse()}, false});
    }
    writePlot(dir + "/rmse_vs_features.png", lp, force);
    if (info.costStructures > 0) writeCostPlot(dir + "/rmse_vs_cost.png", sp, info, force);

    MatrixPlot mp;
    mp.title = "features selected by AGL along the path";
    mp.xLabel = "feature (element:n2p2 index)";
    mp.yLabel = "lambda";
    mp.columnLabels = featureColumnLabels(table);
    for (std::size_t k = 0; k < sp.points.size(); ++k) {
        const PathPoint& p = sp.points[k];
        mp.rowLabels.push_back(significant(p.lambda, 3) + " (" + std::to_string(p.numSelected) + ")" +
                               (int(k) == info.suggested ? " *" : ""));
        std::vector<double> row;
        for (std::size_t e = 0; e < table.elements.size(); ++e) {
            std::vector<double> cells(table.elements[e].numFunctions(), 0.0);
            if (e < p.selected.size())
                for (int j : p.selected[e]) cells[std::size_t(j)] = 1.0;
            row.insert(row.end(), cells.begin(), cells.end());
        }
        mp.cells.push_back(row);
    }
    writePlot(dir + "/selection_matrix.png", mp, force);
}

NnSettings selectedSettings(const NnSettings& settings, const FeatureTable& table,
                            const std::vector<std::vector<int>>& selected) {
    NnSettings out = settings;
    out.functions.clear();
    for (int z : settings.elements) {
        const std::size_t e = table.elementIndex(z);
        if (e == table.elements.size()) {
            for (const SymmetryFunction& sf : settings.functionsOf(z)) out.functions.push_back(sf);
            continue;
        }
        std::vector<int> cols = selected.at(e);
        std::sort(cols.begin(), cols.end());  // table columns are in n2p2 order
        for (int j : cols) {
            const SymmetryFunction& sf = table.elements[e].functions.at(std::size_t(j));
            if (!sf.isNoise()) out.functions.push_back(sf);
        }
    }
    return out;
}

Potential subsetPotential(const std::vector<ElementArch>& archs, const std::vector<FeatureScaling>& scaling,
                          const std::vector<double>& canonical, const std::vector<std::vector<int>>& selected) {
    AGL_CHECK(archs.size() == scaling.size() && archs.size() == selected.size(), "one entry per element expected");
    Potential p;
    std::size_t offset = 0;
    for (std::size_t e = 0; e < archs.size(); ++e) {
        const ElementArch& full = archs[e];
        const int width = full.firstWidth();
        ElementPotential ep;
        ep.arch = full;
        ep.arch.layers[0].in = int(selected[e].size());
        const double* w = canonical.data() + offset;
        // Layer 0 weights: source (feature) outer, target inner → keep the rows of the selected features.
        for (int j : selected[e]) ep.weights.insert(ep.weights.end(), w + std::size_t(j) * width, w + std::size_t(j + 1) * width);
        const std::size_t rest = std::size_t(full.numInputs()) * width;
        ep.weights.insert(ep.weights.end(), w + rest, w + full.numParams());
        for (int j : selected[e]) {
            ep.scaling.min.push_back(scaling[e].min.at(std::size_t(j)));
            ep.scaling.max.push_back(scaling[e].max.at(std::size_t(j)));
            ep.scaling.mean.push_back(scaling[e].mean.at(std::size_t(j)));
            ep.scaling.sigma.push_back(scaling[e].sigma.at(std::size_t(j)));
        }
        AGL_CHECK(ep.weights.size() == ep.arch.numParams(), "subset weights do not match the subset network");
        offset += full.numParams();
        p.elements.push_back(std::move(ep));
    }
    AGL_CHECK(offset == canonical.size(), "weights do not match the networks");
    return p;
}

FeatureTable subsetTable(const FeatureTable& table, const std::vector<std::vector<int>>& selected) {
    AGL_CHECK(selected.size() == table.elements.size(), "one column list per element expected");
    FeatureTable t = table;
    for (std::size_t e = 0; e < t.elements.size(); ++e) {
        const ElementFeatures& src = table.elements[e];
        ElementFeatures& dst = t.elements[e];
        dst.functions.clear();
        dst.values.clear();
        for (int j : selected[e]) dst.functions.push_back(src.functions.at(std::size_t(j)));
        dst.values.reserve(src.numAtoms() * selected[e].size());
        for (std::size_t r = 0; r < src.numAtoms(); ++r)
            for (int j : selected[e]) dst.values.push_back(src.at(r, std::size_t(j)));
    }
    return t;
}

}  // namespace agl
