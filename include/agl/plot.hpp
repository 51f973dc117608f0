// Figures of the report as PNG (cairo): error against number of features (the paper's Fig. 2a), box plots of
// test errors (Fig. 2b) and selection matrices (Fig. 2c). Files are written atomically (no overwrite without
// force). Plots are deliberately plain: axes, ticks, labels, legend.
#pragma once
#include <string>
#include <vector>

namespace agl {

struct PlotSeries {
    std::string label;
    std::vector<double> x, y;       // (n) points; non-finite y are skipped
    bool lines = true;              // join the points (in the given order)
};

struct LinePlot {
    std::string title, xLabel, yLabel;
    bool logY = false;
    std::vector<PlotSeries> series;
};

struct BoxPlot {
    std::string title, yLabel;
    std::vector<std::string> labels;            // (groups)
    std::vector<std::vector<double>> samples;   // (groups) values of each group
    bool logY = false;
};

// rows × columns of values in [0, 1]: 0 white (not selected), 1 dark (selected), between: grey.
struct MatrixPlot {
    std::string title, xLabel, yLabel;
    std::vector<std::string> rowLabels, columnLabels;
    std::vector<std::vector<double>> cells;     // (rows) × (columns)
};

void writePlot(const std::string& pngPath, const LinePlot& plot, bool force);
void writePlot(const std::string& pngPath, const BoxPlot& plot, bool force);
void writePlot(const std::string& pngPath, const MatrixPlot& plot, bool force);

// False in a build without cairo: writePlot then draws nothing and says so once (host/report/plots_absent.cpp).
bool plotsAvailable();

}  // namespace agl
