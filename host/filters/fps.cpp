// Farthest point sampling over columns (filters.md): squared distances from the Gram matrix,
// d(i,j) = C_ii − 2C_ij + C_jj; h_j = distance to the nearest pick; next pick = argmax h.
#include <algorithm>
#include <cmath>
#include <limits>

#include "agl/error.hpp"
#include "agl/filters.hpp"
#include "agl/log.hpp"

namespace agl::filters {

Selection selectFps(const std::vector<double>& C, std::size_t cols, int n, int start, double rankTolerance) {
    AGL_CHECK(C.size() == cols * cols, "C must be (cols × cols)");
    AGL_CHECK(n >= 0 && static_cast<std::size_t>(n) <= cols, "picks must lie in [0, number of columns]");
    Selection sel;
    if (n == 0) return sel;
    if (start < 0 || static_cast<std::size_t>(start) >= cols)
        throw Error("FPS: start column " + std::to_string(start) + " is outside [0, " + std::to_string(cols) + ")");
    double maxDiag = 0.0;
    for (std::size_t j = 0; j < cols; ++j) maxDiag = std::max(maxDiag, C[j * cols + j]);
    const double floor = rankTolerance * maxDiag;

    std::vector<double> h(cols, std::numeric_limits<double>::infinity());
    std::vector<char> picked(cols, 0);
    std::size_t pick = static_cast<std::size_t>(start);
    double score = std::numeric_limits<double>::infinity();
    while (true) {
        picked[pick] = 1;
        sel.picks.push_back(static_cast<int>(pick));
        sel.scores.push_back(score);
        if (static_cast<int>(sel.picks.size()) == n) break;
        const double css = C[pick * cols + pick];
        int best = -1;
        for (std::size_t j = 0; j < cols; ++j) {
            if (picked[j]) continue;
            const double d = std::max(0.0, C[j * cols + j] - 2.0 * C[j * cols + pick] + css);  // rounding ≥ 0
            h[j] = std::min(h[j], d);
            if (best < 0 || h[j] > h[static_cast<std::size_t>(best)]) best = static_cast<int>(j);
        }
        if (!(h[static_cast<std::size_t>(best)] > floor)) {
            sel.stopReason = "FPS: every unpicked column coincides with a pick after " +
                             std::to_string(sel.picks.size()) + " picks; stopping with fewer picks than requested";
            logWarn(sel.stopReason);
            break;
        }
        pick = static_cast<std::size_t>(best);
        score = h[pick];
    }
    return sel;
}

}  // namespace agl::filters
