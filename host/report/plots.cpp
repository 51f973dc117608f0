// The three plot kinds of the report, drawn on a Canvas (cairo; a build without it: plots_absent.cpp).
#if defined(AGL_HAVE_CAIRO)
#include <algorithm>
#include <cmath>

#include "agl/error.hpp"
#include "agl/plot.hpp"
#include "canvas.hpp"

namespace agl {
using report::Canvas;
using report::paddedRange;

void writePlot(const std::string& pngPath, const LinePlot& plot, bool force) {
    Canvas c(900, 600);
    std::vector<double> xs, ys;
    for (const auto& s : plot.series) {
        AGL_CHECK(s.x.size() == s.y.size(), "series '" + s.label + "': x and y differ in length");
        xs.insert(xs.end(), s.x.begin(), s.x.end());
        ys.insert(ys.end(), s.y.begin(), s.y.end());
    }
    c.setAxes(paddedRange(xs, false), paddedRange(ys, plot.logY), plot.logY);
    std::vector<std::string> labels;
    for (std::size_t k = 0; k < plot.series.size(); ++k) {
        const auto& s = plot.series[k];
        labels.push_back(s.label);
        c.colour(static_cast<int>(k));
        cairo_set_line_width(c.cr(), 1.8);
        bool open = false;
        for (std::size_t i = 0; i < s.x.size() && s.lines; ++i) {
            bool ok = std::isfinite(s.y[i]) && (!plot.logY || s.y[i] > 0);
            if (!ok) continue;
            if (open) cairo_line_to(c.cr(), c.px(s.x[i]), c.py(s.y[i]));
            else cairo_move_to(c.cr(), c.px(s.x[i]), c.py(s.y[i]));
            open = true;
        }
        cairo_stroke(c.cr());
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            if (!std::isfinite(s.y[i]) || (plot.logY && s.y[i] <= 0)) continue;
            cairo_arc(c.cr(), c.px(s.x[i]), c.py(s.y[i]), 4, 0, 2 * M_PI);
            cairo_fill(c.cr());
        }
    }
    c.frameWithTicks(true);
    c.title(plot.title);
    c.xLabel(plot.xLabel);
    c.yLabel(plot.yLabel);
    c.legend(labels, true);
    c.writePng(pngPath, force);
}

void writePlot(const std::string& pngPath, const BoxPlot& plot, bool force) {
    AGL_CHECK(plot.labels.size() == plot.samples.size(), "box plot: one label per group");
    Canvas c(std::max(500, 120 * static_cast<int>(plot.labels.size()) + 160), 600);
    std::vector<double> all;
    for (const auto& g : plot.samples) all.insert(all.end(), g.begin(), g.end());
    double n = static_cast<double>(plot.labels.size());
    c.setAxes({0.5, n + 0.5}, paddedRange(all, plot.logY), plot.logY);
    auto quantile = [](std::vector<double> v, double q) {
        std::sort(v.begin(), v.end());
        double pos = q * (v.size() - 1);
        std::size_t i = static_cast<std::size_t>(pos);
        return i + 1 < v.size() ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
    };
    for (std::size_t g = 0; g < plot.samples.size(); ++g) {
        double x = c.px(g + 1.0), w = 0.25 * (c.px(2) - c.px(1));
        cairo_set_source_rgb(c.cr(), 0, 0, 0);
        c.text(x, c.bottom() + 16, plot.labels[g], 12, 0.5);
        if (plot.samples[g].empty()) continue;
        const auto& v = plot.samples[g];
        double q1 = quantile(v, 0.25), q2 = quantile(v, 0.5), q3 = quantile(v, 0.75);
        double lo = *std::min_element(v.begin(), v.end()), hi = *std::max_element(v.begin(), v.end());
        c.colour(static_cast<int>(g));
        cairo_set_line_width(c.cr(), 1.5);
        cairo_rectangle(c.cr(), x - w, c.py(q3), 2 * w, c.py(q1) - c.py(q3));
        cairo_stroke(c.cr());
        for (double y : {lo, hi}) {  // whiskers to min and max
            cairo_move_to(c.cr(), x, c.py(y == lo ? q1 : q3));
            cairo_line_to(c.cr(), x, c.py(y));
            cairo_move_to(c.cr(), x - w / 2, c.py(y));
            cairo_line_to(c.cr(), x + w / 2, c.py(y));
        }
        cairo_stroke(c.cr());
        cairo_set_line_width(c.cr(), 3);
        cairo_move_to(c.cr(), x - w, c.py(q2));
        cairo_line_to(c.cr(), x + w, c.py(q2));
        cairo_stroke(c.cr());
        for (double y : v) {
            cairo_arc(c.cr(), x, c.py(y), 2.5, 0, 2 * M_PI);
            cairo_fill(c.cr());
        }
    }
    c.frameWithTicks(false);
    c.title(plot.title);
    c.yLabel(plot.yLabel);
    c.writePng(pngPath, force);
}

void writePlot(const std::string& pngPath, const MatrixPlot& plot, bool force) {
    AGL_CHECK(plot.cells.size() == plot.rowLabels.size(), "matrix plot: one label per row");
    std::size_t rows = plot.cells.size(), cols = plot.columnLabels.size();
    double cell = std::clamp(900.0 / std::max<std::size_t>(cols, 1), 8.0, 40.0);
    int width = static_cast<int>(cols * cell + 200), height = static_cast<int>(rows * cell + 150);
    Canvas c(std::max(width, 400), std::max(height, 250));
    c.setMargins(170, 30, 50, 100);
    for (std::size_t r = 0; r < rows; ++r) {
        AGL_CHECK(plot.cells[r].size() == cols, "matrix plot: row " + std::to_string(r) + " has wrong length");
        double y = c.top() + r * cell;
        cairo_set_source_rgb(c.cr(), 0, 0, 0);
        c.text(c.left() - 8, y + cell / 2, plot.rowLabels[r], 12, 1.0);
        for (std::size_t j = 0; j < cols; ++j) {
            double v = std::clamp(plot.cells[r][j], 0.0, 1.0), shade = 1.0 - 0.85 * v;
            cairo_set_source_rgb(c.cr(), shade, shade, shade + 0.1 * v);
            cairo_rectangle(c.cr(), c.left() + j * cell, y, cell, cell);
            cairo_fill_preserve(c.cr());
            cairo_set_source_rgb(c.cr(), 0.7, 0.7, 0.7);
            cairo_set_line_width(c.cr(), 0.5);
            cairo_stroke(c.cr());
        }
    }
    cairo_set_source_rgb(c.cr(), 0, 0, 0);
    double labelY = c.top() + rows * cell + 8;
    for (std::size_t j = 0; j < cols; ++j)
        c.text(c.left() + (j + 0.5) * cell, labelY, plot.columnLabels[j], std::min(11.0, cell * 0.8), 1.0, 0.5,
               -M_PI / 2);
    c.title(plot.title);
    c.text(c.left() + cols * cell / 2, labelY + 70, plot.xLabel, 14, 0.5);
    c.writePng(pngPath, force);
}

bool plotsAvailable() { return true; }

}  // namespace agl
#endif
