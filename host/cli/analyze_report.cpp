// CSV tables and PNG plots of `agl analyze` (summary.md is in analyze_summary.cpp).
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/plot.hpp"
#include "analyze_report.hpp"

namespace agl::cli {
namespace {

struct Column {
    std::string name;
    std::vector<double> values;  // shorter columns leave empty cells at the bottom
};

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void writeColumns(const std::string& path, const std::vector<Column>& columns, bool force) {
    AtomicFile file(path, force);
    std::ostream& out = file.stream();
    std::size_t rows = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        out << (c ? "," : "") << csvField(columns[c].name);
        rows = std::max(rows, columns[c].values.size());
    }
    out << "\n" << std::setprecision(10);
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c) out << ',';
            if (r < columns[c].values.size()) out << columns[c].values[r];
        }
        out << "\n";
    }
    file.commit();
}

std::string pairName(const md::RdfCurve& c) {
    return c.elementA == 0 ? std::string("all") : elementSymbol(c.elementA) + "-" + elementSymbol(c.elementB);
}

std::string atomsName(int element) { return element == 0 ? std::string("all") : elementSymbol(element); }

// The MSD curves worth showing: all atoms, plus each element when there are several.
std::vector<std::size_t> shownMsdCurves(const TrajectoryResult& t) {
    std::vector<std::size_t> shown;
    for (std::size_t c = 0; c < t.msd.curves.size(); ++c)
        if (t.msd.curves[c].element == 0 || t.elements.size() > 1) shown.push_back(c);
    return shown;
}

// The longest of the files' grids: bins all start at 0 with the same width, so one r column serves all.
std::vector<double> longestRGrid(const std::vector<TrajectoryResult>& results) {
    std::vector<double> r;
    for (const auto& t : results)
        if (t.rdf.r.size() > r.size()) r = t.rdf.r;
    return r;
}

bool sameFrameTime(const std::vector<TrajectoryResult>& results) {
    for (const auto& t : results)
        if (std::abs(t.frameTime - results[0].frameTime) > 1e-9 * results[0].frameTime) return false;
    return true;
}

// At most ~`maxPoints` points of a curve for a plot (the plot draws a marker at every point).
PlotSeries thinned(std::string label, const std::vector<double>& x, const std::vector<double>& y,
                   std::size_t maxPoints = 200) {
    PlotSeries s;
    s.label = std::move(label);
    const std::size_t step = std::max<std::size_t>(1, (x.size() + maxPoints - 1) / maxPoints);
    for (std::size_t i = 0; i < x.size(); i += step) s.x.push_back(x[i]), s.y.push_back(y[i]);
    if (!x.empty() && (x.size() - 1) % step != 0) s.x.push_back(x.back()), s.y.push_back(y.back());
    return s;
}

}  // namespace

void writeRdfCsv(const std::string& path, const std::vector<TrajectoryResult>& results, bool force) {
    std::vector<Column> columns = {{"r", longestRGrid(results)}};
    for (const auto& t : results)
        for (const auto& c : t.rdf.curves) {
            columns.push_back({t.label + " g(" + pairName(c) + ")", c.g});
            columns.push_back({t.label + " n(" + pairName(c) + ")", c.coordination});
        }
    writeColumns(path, columns, force);
}

void writeMsdCsv(const std::string& path, const std::vector<TrajectoryResult>& results, bool force) {
    std::vector<Column> columns;
    const bool shared = sameFrameTime(results);
    if (shared) {
        std::vector<double> time;
        for (const auto& t : results)
            if (t.msd.lagTime.size() > time.size()) time = t.msd.lagTime;
        columns.push_back({"time", time});
    }
    for (const auto& t : results) {
        if (!shared) columns.push_back({t.label + " time", t.msd.lagTime});
        for (const auto& c : t.msd.curves) columns.push_back({t.label + " msd(" + atomsName(c.element) + ")", c.msd});
        std::vector<double> origins(t.msd.origins.begin(), t.msd.origins.end());
        columns.push_back({t.label + " origins", origins});
    }
    writeColumns(path, columns, force);
}

void writeDiffusionCsv(const std::string& path, const std::vector<TrajectoryResult>& results, bool force) {
    AtomicFile file(path, force);
    std::ostream& out = file.stream();
    out << "trajectory,atoms,D,std_error,fit_start,fit_end,points,intercept\n" << std::setprecision(10);
    for (const auto& t : results)
        for (std::size_t c = 0; c < t.fits.size(); ++c) {
            const md::DiffusionFit& f = t.fits[c];
            out << csvField(t.label) << ',' << atomsName(t.msd.curves[c].element) << ',' << f.D << ',' << f.stdError
                << ',' << f.tStart << ',' << f.tEnd << ',' << f.numPoints << ',' << f.intercept << "\n";
        }
    file.commit();
}

void writeRdfPlot(const std::string& path, const std::vector<TrajectoryResult>& results, bool force) {
    LinePlot plot;
    plot.title = "Radial distribution function";
    plot.xLabel = "r (length units of the trajectory)";
    plot.yLabel = "g(r)";
    for (const auto& t : results)
        for (const auto& c : t.rdf.curves) plot.series.push_back(thinned(t.label + " " + pairName(c), t.rdf.r, c.g, 400));
    writePlot(path, plot, force);
}

void writeMsdPlot(const std::string& path, const std::vector<TrajectoryResult>& results, bool force) {
    LinePlot plot;
    plot.title = "Mean square displacement; straight lines: fits MSD = 6Dt + c over the fit window";
    plot.xLabel = "t (time units of the trajectory)";
    plot.yLabel = "MSD (length^2)";
    for (const auto& t : results)
        for (std::size_t c : shownMsdCurves(t)) {
            const std::string who = t.label + " " + atomsName(t.msd.curves[c].element);
            plot.series.push_back(thinned(who, t.msd.lagTime, t.msd.curves[c].msd));
            const md::DiffusionFit& f = t.fits[c];
            std::ostringstream fitLabel;
            fitLabel << who << " fit D=" << std::setprecision(4) << f.D;
            PlotSeries line;
            line.label = fitLabel.str();
            for (double x : {f.tStart, f.tEnd}) line.x.push_back(x), line.y.push_back(f.intercept + 6 * f.D * x);
            plot.series.push_back(line);
        }
    writePlot(path, plot, force);
}

}  // namespace agl::cli
