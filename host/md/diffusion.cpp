// Diffusion coefficient from the Einstein relation MSD = 6 D t + c: least-squares line over a lag window
// (window and error conventions in include/agl/md/analysis.hpp).
#include <cmath>

#include "agl/error.hpp"
#include "agl/md/analysis.hpp"

namespace agl::md {

DiffusionFit fitDiffusion(const std::vector<double>& lagTime, const std::vector<double>& msd, double tStart,
                          double tEnd) {
    AGL_CHECK(lagTime.size() == msd.size(), "lag times and MSD differ in length");
    AGL_CHECK(!lagTime.empty(), "no MSD to fit");
    const double longest = lagTime.back();
    DiffusionFit fit;
    fit.tStart = tStart >= 0.0 ? tStart : 0.2 * longest;
    fit.tEnd = tEnd >= 0.0 ? tEnd : 0.8 * longest;
    // Both conditions come from the user's trajectory and options, hence Error rather than AGL_CHECK.
    if (!(fit.tEnd > fit.tStart))
        throw Error("diffusion fit window is empty: start " + std::to_string(fit.tStart) + " >= end " +
                    std::to_string(fit.tEnd) + " (see --fit-start and --fit-end)");

    // Centred sums (two passes) keep the slope accurate when t is large compared with the window.
    double sumT = 0.0, sumM = 0.0;
    std::size_t n = 0;
    const double slack = 1e-9 * longest;  // lag times are L·dt: do not lose an end point to rounding
    auto inWindow = [&](double t) { return t >= fit.tStart - slack && t <= fit.tEnd + slack; };
    for (std::size_t k = 0; k < lagTime.size(); ++k)
        if (inWindow(lagTime[k]) && std::isfinite(msd[k])) sumT += lagTime[k], sumM += msd[k], ++n;
    if (n < 3)
        throw Error("diffusion fit window [" + std::to_string(fit.tStart) + ", " + std::to_string(fit.tEnd) +
                    "] holds " + std::to_string(n) + " MSD points; at least 3 are needed (a longer trajectory, "
                    "more frames, or a wider --fit-start/--fit-end)");
    const double meanT = sumT / static_cast<double>(n), meanM = sumM / static_cast<double>(n);
    double stt = 0.0, stm = 0.0;
    for (std::size_t k = 0; k < lagTime.size(); ++k)
        if (inWindow(lagTime[k]) && std::isfinite(msd[k])) {
            stt += (lagTime[k] - meanT) * (lagTime[k] - meanT);
            stm += (lagTime[k] - meanT) * (msd[k] - meanM);
        }
    const double slope = stm / stt;
    fit.intercept = meanM - slope * meanT;
    double residual2 = 0.0;
    for (std::size_t k = 0; k < lagTime.size(); ++k)
        if (inWindow(lagTime[k]) && std::isfinite(msd[k])) {
            const double r = msd[k] - (fit.intercept + slope * lagTime[k]);
            residual2 += r * r;
        }
    fit.numPoints = n;
    fit.D = slope / 6.0;
    fit.stdError = std::sqrt(residual2 / static_cast<double>(n - 2) / stt) / 6.0;
    return fit;
}

}  // namespace agl::md
