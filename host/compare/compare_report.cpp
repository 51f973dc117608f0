// compare.md, compare.csv, compare_box.png and selection_matrix.png (include/agl/compare/compare_report.hpp).
#include "agl/compare/compare_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <sstream>

#include "agl/atomic_file.hpp"
#include "agl/compare/evaluation_work.hpp"
#include "agl/element.hpp"
#include "agl/plot.hpp"
#include "agl/statistics.hpp"

namespace agl {

namespace {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", std::max(0, decimals), v);
    return buf;
}

// Three significant digits without exponent notation (costs, single means).
std::string threeDigits(double v) {
    if (!std::isfinite(v)) return "n/a";
    if (v == 0.0) return "0";
    return fixed(v, 2 - int(std::floor(std::log10(std::fabs(v)))));
}

std::string exponentText(int exponent) { return exponent == 0 ? "" : "10^" + std::to_string(exponent) + " "; }

bool showNoise(const CompareResult& r) {
    if (r.noiseColumns > 0) return true;
    for (const CompareRow& row : r.rows)
        if (row.numNoise > 0) return true;
    return false;
}

std::string noiseText(int n) { return n < 0 ? "?" : std::to_string(n); }

}  // namespace

int rmseExponent(const CompareResult& result) {
    double smallest = std::numeric_limits<double>::infinity();
    for (const CompareRow& row : result.rows)
        if (std::isfinite(row.result.mean) && row.result.mean > 0.0) smallest = std::min(smallest, row.result.mean);
    if (!std::isfinite(smallest)) return 0;
    // Guard against log10 landing just below an integer for exact powers of ten.
    return 3 * int(std::floor(std::log10(smallest) / 3.0 + 1e-12));
}

std::string formatMeanStd(double mean, double std, int models, int exponent) {
    if (!std::isfinite(mean)) return "n/a";
    const double scale = std::pow(10.0, -exponent);
    const double m = mean * scale, s = std * scale;
    if (models < 2 || !(s > 0.0) || !std::isfinite(s)) return threeDigits(m);
    const int e = int(std::floor(std::log10(s)));
    const double lead = s / std::pow(10.0, e);
    const int significant = lead < 3.0 ? 2 : 1;
    const int decimals = std::max(0, significant - 1 - e);
    return fixed(m, decimals) + " ± " + fixed(s, decimals);
}

std::string columnSummary(const FeatureTable& table, const FeatureSet& set) {
    std::string out;
    for (std::size_t e = 0; e < table.elements.size(); ++e) {
        const ElementFeatures& el = table.elements[e];
        std::string real, noise;
        for (int j : set.columns.at(e)) {
            std::string& target = el.functions.at(std::size_t(j)).isNoise() ? noise : real;
            target += (target.empty() ? "" : " ") + std::to_string(j + 1);
        }
        out += (out.empty() ? "" : "; ") + elementSymbol(el.element) + ": " + (real.empty() ? "-" : real);
        if (!noise.empty()) out += " | noise " + noise;
    }
    return out;
}

namespace {

// "mean ± std" of a row's test force RMSE, "n/a" when not measured.
std::string forceText(const CompareRow& row) {
    const std::vector<double>& f = row.result.testForceRmse;
    if (f.empty()) return "n/a";
    const MeanStd m = meanAndSampleStd(f);
    return formatMeanStd(m.mean, m.std, int(f.size()), 0);
}

// The RMS of the test structures' reference force components (the same for every set), −1 when no set has a
// force error.
double referenceForceRms(const CompareResult& r) {
    for (const CompareRow& row : r.rows)
        if (!row.result.testForceRmse.empty()) return row.result.referenceForceRms;
    return -1.0;
}

}  // namespace

std::string compareMarkdown(const FeatureTable& table, const CompareResult& r, const CompareInfo& info) {
    const int exponent = rmseExponent(r);
    const bool noise = showNoise(r);
    const double referenceForces = referenceForceRms(r);
    const bool forces = referenceForces >= 0.0;
    std::ostringstream md;
    md << "# Feature-set comparison\n\n";
    md << "- data: " << info.data << "\n- candidate functions: " << info.candidates << "\n";
    md << "- " << info.models << " models per set (seeds differ), " << info.epochs
       << " epochs of cosine annealing with warm restarts, best validation weights\n";
    md << "- split: " << r.trainStructures << " train / " << r.validationStructures << " validation / "
       << r.testStructures << " test structures; test RMSE = per-atom energy RMSE on the test structures, mean ± "
          "sample std over the models\n";
    for (const std::string& w : info.warnings) md << "- **warning:** " << w << "\n";
    if (forces)
        md << "- test force RMSE: per component, " << info.energyUnit
           << " per length unit, on the test structures, whose reference components have an RMS of "
           << threeDigits(referenceForces) << ". The models are fitted to energies only, so this is the "
              "force error an MD run with them has, not a fitted quantity. Not measured for sets with noise "
              "columns: a noise column has no function to compute\n";
    if (r.hasCost)
        md << "- cost: CPU time of one thread per atom for energy and forces (symmetry functions with "
              "derivatives, networks, chain rule: an MD step's force call), fastest of repeated passes over "
           << r.costAtoms << " test atoms; ratio to all candidate functions ("
           << threeDigits(r.allCost.forceMicroseconds) << " µs/atom); counted: the same ratio of the counted cost "
              "(terms per atom on the same atoms, weighted: the same on every run and machine)\n";
    md << "\n| set | N | N_G5 |" << (noise ? " noise kept |" : "") << " test RMSE (" << exponentText(exponent)
       << info.energyUnit << "/atom) |" << (forces ? " test force RMSE |" : "")
       << (r.hasCost ? " cost (µs/atom) | cost / all | counted / all |" : "") << "\n";
    md << "|---|---:|---:|" << (noise ? "---:|" : "") << "---:|" << (forces ? "---:|" : "")
       << (r.hasCost ? "---:|---:|---:|" : "") << "\n";
    for (const CompareRow& row : r.rows) {
        md << "| " << row.set.name << " | " << row.numFeatures << " | " << row.numAngular << " |";
        if (noise) md << " " << noiseText(row.numNoise) << " |";
        md << " " << formatMeanStd(row.result.mean, row.result.std, int(row.result.testRmse.size()), exponent)
           << " |";
        if (forces) md << " " << forceText(row) << " |";
        if (r.hasCost)
            md << " " << (row.hasCost ? threeDigits(row.cost.forceMicroseconds) : "n/a") << " | "
               << (row.hasCost ? fixed(row.costRatio, 2) : "n/a") << " | "
               << (row.hasCost ? fixed(countedCost(row.cost.work) / countedCost(r.allCost.work), 2) : "n/a")
               << " |";
        md << "\n";
    }
    md << "\n## Functions of each set (1-based n2p2 indices among the candidates)\n\n";
    for (const CompareRow& row : r.rows)
        md << "- **" << row.set.name << "** (" << row.set.source << "): " << columnSummary(table, row.set) << "\n";
    return md.str();
}

void writeCompareMarkdown(const std::string& path, const FeatureTable& table, const CompareResult& result,
                          const CompareInfo& info, bool force) {
    AtomicFile file(path, force);
    file.stream() << compareMarkdown(table, result, info);
    file.commit();
}

void writeCompareCsv(const std::string& path, const FeatureTable& table, const CompareResult& r, bool force) {
    AtomicFile file(path, force);
    std::ostream& out = file.stream();
    out << "set,source,num_features,num_angular,num_noise,models,test_rmse_mean,test_rmse_std,test_rmse_models,"
           "validation_rmse_models,epochs,cost_features_us_per_atom,cost_us_per_atom,"
           "cost_ratio,radial_terms,angular_terms,counted_cost,force_rmse_mean,force_rmse_std,force_rmse_models,"
           "reference_force_rms,columns\n";
    out << std::setprecision(10);
    auto quoted = [](const std::string& s) {
        std::string q = "\"";
        for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    auto list = [](const std::vector<double>& v) {
        std::ostringstream s;
        s << std::setprecision(10);
        for (std::size_t i = 0; i < v.size(); ++i) s << (i ? ";" : "") << v[i];
        return s.str();
    };
    for (const CompareRow& row : r.rows) {
        out << quoted(row.set.name) << ',' << quoted(row.set.source) << ',' << row.numFeatures << ','
            << row.numAngular << ',' << row.numNoise << ',' << row.result.testRmse.size() << ',' << row.result.mean
            << ',' << row.result.std << ',' << list(row.result.testRmse) << ',' << list(row.result.validationRmse)
            << ',' << row.result.totalEpochs << ',';
        if (row.hasCost)
            out << row.cost.featureMicroseconds << ',' << row.cost.forceMicroseconds << ',' << row.costRatio << ','
                << row.cost.work.radialTerms << ',' << row.cost.work.angularTerms << ','
                << countedCost(row.cost.work);
        else
            out << ",,,,,";
        const std::vector<double>& f = row.result.testForceRmse;
        if (!f.empty()) {
            const MeanStd m = meanAndSampleStd(f);
            out << ',' << m.mean << ',' << m.std << ',' << list(f) << ',' << row.result.referenceForceRms;
        } else {
            out << ",,,,";
        }
        out << ',' << quoted(columnSummary(table, row.set)) << "\n";
    }
    file.commit();
}

void writeComparePlots(const std::string& dir, const FeatureTable& table, const CompareResult& r, bool force) {
    const int exponent = rmseExponent(r);
    const double scale = std::pow(10.0, -exponent);
    BoxPlot box;
    box.title = "test RMSE of the models of each feature set";
    box.yLabel = "test RMSE (" + exponentText(exponent) + "energy/atom)";
    for (const CompareRow& row : r.rows) {
        box.labels.push_back(row.set.name + " (" + std::to_string(row.numFeatures) + ")");
        std::vector<double> v;
        for (double x : row.result.testRmse) v.push_back(x * scale);
        box.samples.push_back(v);
    }
    writePlot(dir + "/compare_box.png", box, force);

    MatrixPlot mp;
    mp.title = "features used by each set";
    mp.xLabel = "feature (element:n2p2 index, n = noise)";
    mp.yLabel = "set";
    mp.columnLabels = featureColumnLabels(table);
    for (const CompareRow& row : r.rows) {
        mp.rowLabels.push_back(row.set.name + " (" + std::to_string(row.numFeatures) + ")");
        std::vector<double> cells;
        for (std::size_t e = 0; e < table.elements.size(); ++e) {
            std::vector<double> c(table.elements[e].numFunctions(), 0.0);
            for (int j : row.set.columns[e]) c.at(std::size_t(j)) = 1.0;
            cells.insert(cells.end(), c.begin(), c.end());
        }
        mp.cells.push_back(cells);
    }
    writePlot(dir + "/selection_matrix.png", mp, force);
}

}  // namespace agl
