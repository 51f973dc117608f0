#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agl/error.hpp"
#include "agl/plot.hpp"

namespace fs = std::filesystem;
using namespace agl;

namespace {
fs::path freshDir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}
bool isPng(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    char sig[8] = {};
    in.read(sig, 8);
    return in && std::string(sig + 1, 3) == "PNG" && fs::file_size(p) > 1000;
}
}  // namespace

TEST(Plot, LineBoxAndMatrixWritePngs) {
    if (!agl::plotsAvailable()) GTEST_SKIP() << "built without cairo";
    fs::path d = freshDir("agl_plot_test");
    LinePlot line{"RMSE against number of features", "number of features", "RMSE", true,
                  {{"after AGL", {1, 3, 7, 22}, {0.1, 0.03, 0.012, 0.011}, true},
                   {"after refit", {1, 3, 7, 22}, {0.08, 0.02, 0.009, 0.0097}, true}}};
    writePlot((d / "line.png").string(), line, false);
    BoxPlot box{"test errors", "RMSE", {"all", "AGL", "PC"}, {{0.01, 0.011, 0.0105}, {0.009, 0.0088}, {}}, false};
    writePlot((d / "box.png").string(), box, false);
    MatrixPlot m{"selection", "feature", "", {"AGL", "PC"}, {"G2-1", "G2-2", "G5-1"}, {{1, 0, 1}, {0, 1, 0.5}}};
    writePlot((d / "matrix.png").string(), m, false);
    for (auto name : {"line.png", "box.png", "matrix.png"}) EXPECT_TRUE(isPng(d / name)) << name;
    EXPECT_THROW(writePlot((d / "line.png").string(), line, false), InputError);  // no overwrite
    fs::remove_all(d);
}

TEST(Plot, MismatchedSeriesIsAnError) {
    if (!agl::plotsAvailable()) GTEST_SKIP() << "built without cairo";
    LinePlot bad{"t", "x", "y", false, {{"s", {1, 2}, {1}, true}}};
    EXPECT_THROW(writePlot((fs::temp_directory_path() / "agl_bad.png").string(), bad, true), Error);
}
