// writePlot for a build without cairo (plot.hpp): no figure is drawn; the first call says so, naming the file.
// With cairo these symbols come from plots.cpp (this file compiles to nothing).
#if !defined(AGL_HAVE_CAIRO)
#include <atomic>

#include "agl/log.hpp"
#include "agl/plot.hpp"

namespace agl {

namespace {
void skip(const std::string& path) {
    static std::atomic<bool> said{false};
    if (!said.exchange(true)) logWarn("this agl was built without cairo: no PNG figures (" + path + " and others)");
}
}  // namespace

void writePlot(const std::string& pngPath, const LinePlot&, bool) { skip(pngPath); }
void writePlot(const std::string& pngPath, const BoxPlot&, bool) { skip(pngPath); }
void writePlot(const std::string& pngPath, const MatrixPlot&, bool) { skip(pngPath); }
bool plotsAvailable() { return false; }

}  // namespace agl
#endif
