// summary.md of `agl analyze`: the trajectories, D ± standard error per element (the paper's Table I) and the
// first g(r) peak of each pair.

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/number_text.hpp"
#include "analyze_report.hpp"

namespace agl::cli {
namespace {

std::string elementList(const std::vector<int>& elements) {
    std::string out;
    for (int z : elements) out += (out.empty() ? "" : " ") + elementSymbol(z);
    return out;
}


// Position and height of the largest g in the curve (the first-neighbour peak of a liquid or crystal).
std::pair<double, double> mainPeak(const std::vector<double>& r, const std::vector<double>& g) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < g.size(); ++k)
        if (g[k] > g[best]) best = k;
    return {r.empty() ? 0.0 : r[best], g.empty() ? 0.0 : g[best]};
}

}  // namespace

void writeSummary(const std::string& path, const std::vector<TrajectoryResult>& results, bool force) {
    AtomicFile file(path, force);
    std::ostream& out = file.stream();
    out << "# agl analyze\n\nUnits are those of the trajectories (LJ: lengths in sigma, times in tau; metal: "
           "Angstrom and ps). D in length^2/time.\n\n"
           "## Trajectories\n\n"
           "| trajectory | frames used / in file | atoms | elements | density (atoms/length^3) | time span | "
           "time between frames |\n|---|---|---|---|---|---|---|\n";
    for (const auto& t : results)
        out << "| " << t.label << " | " << t.framesUsed << " / " << t.framesRead << " | " << t.numAtoms << " | "
            << elementList(t.elements) << " | " << significant(t.rdf.meanDensity) << " | " << significant(t.firstTime) << " to "
            << significant(t.lastTime) << " | " << significant(t.frameTime) << (t.timesFromFile ? " (time= in file)" : " (--frame-time)")
            << " |\n";

    out << "\n## Diffusion coefficients (Einstein relation MSD = 6 D t + c)\n\n"
           "| trajectory | atoms | D | std. error | fit window | points | MSD origins (stride) |\n"
           "|---|---|---|---|---|---|---|\n";
    for (const auto& t : results)
        for (std::size_t c = 0; c < t.fits.size(); ++c) {
            const md::DiffusionFit& f = t.fits[c];
            const int z = t.msd.curves[c].element;
            out << "| " << t.label << " | " << (z == 0 ? std::string("all") : elementSymbol(z)) << " | D = "
                << significant(f.D) << " | ± " << significant(f.stdError, 2) << " | " << significant(f.tStart) << " to " << significant(f.tEnd)
                << " | " << f.numPoints << " | " << t.msd.origins.front() << " (every " << t.msd.originStride
                << " frames) |\n";
        }
    out << "\nMSD: positions unwrapped frame to frame (minimum image of each displacement), averaged over atoms "
           "and time origins, centre-of-mass drift removed unless --keep-drift. Lags up to half of the "
           "trajectory (every lag keeps at least half of the origins). Default fit window: 20 % to 80 % of the "
           "longest lag (skips the ballistic start and the least-averaged lags). The standard error is the "
           "least-squares error of the slope / 6; MSD values at neighbouring lags are correlated, so it "
           "understates the true uncertainty: compare independent runs.\n";

    out << "\n## Radial distribution function\n\n| trajectory | pair | r_max | bin | main peak r | g(peak) | "
           "n(r_max) |\n|---|---|---|---|---|---|---|\n";
    for (const auto& t : results)
        for (const auto& c : t.rdf.curves) {
            const auto [r, g] = mainPeak(t.rdf.r, c.g);
            const std::string pair =
                c.elementA == 0 ? std::string("all") : elementSymbol(c.elementA) + "-" + elementSymbol(c.elementB);
            out << "| " << t.label << " | " << pair << " | " << significant(t.rdf.binWidth * t.rdf.r.size()) << " | "
                << significant(t.rdf.binWidth) << " | " << significant(r) << " | " << significant(g, 4) << " | "
                << significant(c.coordination.empty() ? 0.0 : c.coordination.back(), 4) << " |\n";
        }
    out << "\ng(r) normalised per frame volume by the ideal-gas count (N_B - delta_AB)/V * 4pi/3 (r_out^3 - r_in^3) "
           "per A atom; n(r) is the running coordination number (B atoms within r of an A atom).\n";
    file.commit();
}

}  // namespace agl::cli
