// Canvas: a cairo image with a plotting frame (data → pixel transform, ticks, labels, legend), shared by the
// line, box and matrix plots. Internal to host/report.
#pragma once
#include <cairo.h>

#include <string>
#include <vector>

namespace agl::report {

struct Range {
    double lo, hi;
};

class Canvas {
public:
    Canvas(int width, int height);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    cairo_t* cr() { return cr_; }
    // The plotting frame in pixels, after margins for labels.
    double left() const { return left_; }
    double right() const { return right_; }
    double top() const { return top_; }
    double bottom() const { return bottom_; }
    void setMargins(double left, double right, double top, double bottom);

    // Axes: data ranges and log scaling; px()/py() map data to pixels.
    void setAxes(Range x, Range y, bool logY);
    double px(double x) const;
    double py(double y) const;

    void title(const std::string& text);
    void xLabel(const std::string& text);
    void yLabel(const std::string& text);
    void frameWithTicks(bool xTicks);   // box, y ticks (decades when log), x ticks when asked
    void text(double x, double y, const std::string& s, double size, double alignX = 0.0, double alignY = 0.5,
              double angle = 0.0);
    void colour(int index);             // a fixed palette, distinguishable in print
    void legend(const std::vector<std::string>& labels, bool lines);

    void writePng(const std::string& path, bool force);

private:
    cairo_surface_t* surface_;
    cairo_t* cr_;
    int width_, height_;
    double left_ = 80, right_ = 0, top_ = 40, bottom_ = 0;
    Range x_{0, 1}, y_{0, 1};
    bool logY_ = false;
};

// "Nice" tick positions covering [lo, hi] (about `count` of them).
std::vector<double> niceTicks(double lo, double hi, int count);
// Short label of a tick value ("0.5", "1e-3").
std::string tickLabel(double v);
// Data range of finite values with a little padding; log ranges pad multiplicatively.
Range paddedRange(const std::vector<double>& values, bool log);

}  // namespace agl::report
