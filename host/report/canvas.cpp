#if defined(AGL_HAVE_CAIRO)  // else host/report/plots_absent.cpp
#include "canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "agl/atomic_file.hpp"
#include "agl/error.hpp"

namespace agl::report {

Canvas::Canvas(int width, int height) : width_(width), height_(height) {
    surface_ = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cr_ = cairo_create(surface_);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_paint(cr_);
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    right_ = width - 30;
    bottom_ = height - 60;
}

Canvas::~Canvas() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
}

void Canvas::setMargins(double left, double right, double top, double bottom) {
    left_ = left;
    right_ = width_ - right;
    top_ = top;
    bottom_ = height_ - bottom;
}

void Canvas::setAxes(Range x, Range y, bool logY) {
    x_ = x;
    y_ = y;
    logY_ = logY;
}

double Canvas::px(double x) const { return left_ + (x - x_.lo) / (x_.hi - x_.lo) * (right_ - left_); }

double Canvas::py(double y) const {
    double t = logY_ ? (std::log10(y) - std::log10(y_.lo)) / (std::log10(y_.hi) - std::log10(y_.lo))
                     : (y - y_.lo) / (y_.hi - y_.lo);
    return bottom_ - t * (bottom_ - top_);
}

void Canvas::text(double x, double y, const std::string& s, double size, double alignX, double alignY,
                  double angle) {
    cairo_save(cr_);
    cairo_set_font_size(cr_, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr_, s.c_str(), &ext);
    cairo_translate(cr_, x, y);
    cairo_rotate(cr_, angle);
    cairo_move_to(cr_, -alignX * ext.width - ext.x_bearing, alignY * ext.height - (ext.height + ext.y_bearing));
    cairo_show_text(cr_, s.c_str());
    cairo_restore(cr_);
}

void Canvas::title(const std::string& s) {
    cairo_set_source_rgb(cr_, 0, 0, 0);
    text((left_ + right_) / 2, top_ / 2, s, 16, 0.5);
}

void Canvas::xLabel(const std::string& s) {
    cairo_set_source_rgb(cr_, 0, 0, 0);
    text((left_ + right_) / 2, bottom_ + 42, s, 14, 0.5);
}

void Canvas::yLabel(const std::string& s) {
    cairo_set_source_rgb(cr_, 0, 0, 0);
    text(18, (top_ + bottom_) / 2, s, 14, 0.5, 0.5, -M_PI / 2);
}

void Canvas::frameWithTicks(bool xTicks) {
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_set_line_width(cr_, 1.0);
    cairo_rectangle(cr_, left_, top_, right_ - left_, bottom_ - top_);
    cairo_stroke(cr_);
    std::vector<double> yt;
    if (logY_) {
        for (double e = std::floor(std::log10(y_.lo)); e <= std::ceil(std::log10(y_.hi)); e += 1) {
            for (int m = 1; m < 10; ++m) {
                double v = m * std::pow(10.0, e);
                if (v < y_.lo || v > y_.hi) continue;
                double len = m == 1 ? 6 : 3;
                cairo_move_to(cr_, left_, py(v));
                cairo_line_to(cr_, left_ + len, py(v));
                cairo_stroke(cr_);
                if (m == 1 || (std::log10(y_.hi / y_.lo) < 1.5 && (m == 2 || m == 5))) yt.push_back(v);
            }
        }
    } else {
        yt = niceTicks(y_.lo, y_.hi, 6);
        for (double v : yt) {
            cairo_move_to(cr_, left_, py(v));
            cairo_line_to(cr_, left_ + 6, py(v));
            cairo_stroke(cr_);
        }
    }
    for (double v : yt) text(left_ - 6, py(v), tickLabel(v), 11, 1.0);
    if (!xTicks) return;
    for (double v : niceTicks(x_.lo, x_.hi, 8)) {
        cairo_move_to(cr_, px(v), bottom_);
        cairo_line_to(cr_, px(v), bottom_ - 6);
        cairo_stroke(cr_);
        text(px(v), bottom_ + 16, tickLabel(v), 11, 0.5);
    }
}

void Canvas::colour(int index) {
    static const double palette[][3] = {{0.12, 0.47, 0.71}, {1.00, 0.50, 0.05}, {0.17, 0.63, 0.17},
                                        {0.84, 0.15, 0.16}, {0.58, 0.40, 0.74}, {0.55, 0.34, 0.29},
                                        {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50}};
    const double* c = palette[index % 8];
    cairo_set_source_rgb(cr_, c[0], c[1], c[2]);
}

void Canvas::legend(const std::vector<std::string>& labels, bool lines) {
    double x = right_ - 10, y = top_ + 16;
    for (std::size_t i = 0; i < labels.size(); ++i, y += 18) {
        colour(static_cast<int>(i));
        if (lines) {
            cairo_move_to(cr_, x - 190, y);
            cairo_line_to(cr_, x - 170, y);
            cairo_stroke(cr_);
        }
        cairo_arc(cr_, x - 180, y, 3.5, 0, 2 * M_PI);
        cairo_fill(cr_);
        cairo_set_source_rgb(cr_, 0, 0, 0);
        text(x - 162, y, labels[i], 12, 0.0);
    }
}

namespace {
cairo_status_t writeChunk(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::ostream*>(closure);
    out->write(reinterpret_cast<const char*>(data), length);
    return *out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}
}  // namespace

void Canvas::writePng(const std::string& path, bool force) {
    AtomicFile file(path, force);
    cairo_surface_flush(surface_);
    if (cairo_surface_write_to_png_stream(surface_, writeChunk, &file.stream()) != CAIRO_STATUS_SUCCESS)
        throw InputError(path, 0, "cannot write PNG");
    file.commit();
}

std::vector<double> niceTicks(double lo, double hi, int count) {
    double span = hi - lo;
    if (!(span > 0)) return {lo};
    double raw = span / count, mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3 ? 2 : raw / mag < 7 ? 5 : 10);
    std::vector<double> ticks;
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step)
        ticks.push_back(std::abs(v) < 1e-12 * span ? 0.0 : v);
    return ticks;
}

std::string tickLabel(double v) {
    char buf[32];
    double a = std::abs(v);
    if (v != 0 && (a < 1e-3 || a >= 1e5)) std::snprintf(buf, sizeof buf, "%.0e", v);
    else std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

Range paddedRange(const std::vector<double>& values, bool log) {
    double lo = INFINITY, hi = -INFINITY;
    for (double v : values)
        if (std::isfinite(v) && (!log || v > 0)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (!std::isfinite(lo)) return log ? Range{0.1, 10} : Range{0, 1};
    if (log) {
        if (hi / lo < 1.01) lo /= 2, hi *= 2;
        double f = std::pow(hi / lo, 0.06);
        return {lo / f, hi * f};
    }
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) lo -= 0.5, hi += 0.5;
    double pad = 0.05 * (hi - lo);
    return {lo - pad, hi + pad};
}

}  // namespace agl::report
#endif
