// bench_analysis: cost of `agl analyze` on LJ-sized frames (random gas at ρ = 0.85, cubic box).
//   g(r) baseline:  a plain minimum-image double loop over all pairs i < j written here (O(N²) per frame)
//   g(r) candidate: RdfAccumulator, which picks minimum image or agl::buildNeighborList cell lists per frame
//                   (see analysis.hpp); the ratio shows the pick is never worse than the plain loop
// For 256 and 2048 atoms, with the default r_max (half the box) and a short r_max = 2.5 σ. The pair counts of
// both are first checked to be identical, then each is timed. Then the MSD (all origins) of 256 atoms.
//   usage: bench_analysis [frames=20]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "agl/md/analysis.hpp"
#include "agl/md/lattice.hpp"

using namespace agl;
using namespace agl::md;

namespace {

Structure gas(std::size_t n, double density, std::mt19937_64& rng) {
    const double L = std::cbrt(double(n) / density);
    std::uniform_real_distribution<double> u(0.0, L);
    Structure s;
    s.periodic = true;
    s.cell = cubicCell(L);
    for (std::size_t i = 0; i < n; ++i) s.positions.push_back({u(rng), u(rng), u(rng)});
    s.elements.assign(n, 18);
    return s;
}

// Cumulative pair counts (both orders, as g(r) counts them) by plain minimum image; cubic boxes only.
std::vector<double> minimumImageCounts(const std::vector<Structure>& frames, double rMax, double dr) {
    const auto bins = static_cast<std::size_t>(std::floor(rMax / dr + 1e-9));
    std::vector<double> h(bins, 0.0);
    for (const Structure& s : frames) {
        const double L = s.cell[0].x, r2Max = (bins * dr) * (bins * dr);
        for (std::size_t i = 0; i < s.numAtoms(); ++i)
            for (std::size_t j = i + 1; j < s.numAtoms(); ++j) {
                Vec3d d = s.positions[j] - s.positions[i];
                for (int k = 0; k < 3; ++k) d[k] -= L * std::round(d[k] / L);
                const double r2 = dot(d, d);
                if (r2 >= r2Max) continue;
                const auto b = static_cast<std::size_t>(std::sqrt(r2) / dr);
                if (b < bins) h[b] += 2.0;
            }
    }
    for (std::size_t k = 1; k < bins; ++k) h[k] += h[k - 1];
    return h;
}

template <typename F>
double seconds(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int numFrames = argc > 1 ? std::atoi(argv[1]) : 20;
    std::mt19937_64 rng(1);
    std::printf("%6s %8s %12s %12s %8s\n", "atoms", "r_max", "plain s", "agl s", "ratio");
    for (std::size_t n : {256u, 2048u}) {
        std::vector<Structure> frames;
        for (int f = 0; f < numFrames; ++f) frames.push_back(gas(n, 0.85, rng));
        for (double rMax : {minimumImageRadius(frames[0].cell), 2.5}) {
            RdfOptions o;
            o.rMax = rMax;
            o.binWidth = 0.02;
            const Rdf rdf = radialDistribution(frames, o);  // also the warm-up
            const auto reference = minimumImageCounts(frames, rMax, o.binWidth);
            const double centres = double(n) * numFrames;
            for (std::size_t k = 0; k < reference.size(); ++k)
                if (std::abs(rdf.curves[0].coordination[k] * centres - reference[k]) > 1e-6) {
                    std::printf("MISMATCH at bin %zu: %g vs %g\n", k, rdf.curves[0].coordination[k] * centres,
                                reference[k]);
                    return 1;
                }
            const double base = seconds([&] { minimumImageCounts(frames, rMax, o.binWidth); });
            const double cand = seconds([&] { radialDistribution(frames, o); });
            std::printf("%6zu %8.3f %12.4f %12.4f %8.2f\n", n, rMax, base, cand, base / cand);
        }
    }
    // MSD: 256 atoms, 2000 frames, every frame an origin, lags up to half.
    std::vector<Structure> walk;
    Structure s = gas(256, 0.85, rng);
    std::normal_distribution<double> step(0.0, 0.02);
    for (int f = 0; f < 2000; ++f) {
        walk.push_back(s);
        for (auto& r : s.positions) r = r + Vec3d{step(rng), step(rng), step(rng)};
        wrapPositions(s);
    }
    MsdOptions mo;
    mo.originStride = 1;
    const double t = seconds([&] { meanSquareDisplacement(walk, 0.01, mo); });
    std::printf("MSD 256 atoms x 2000 frames, 2000 origins, 1000 lags: %.3f s\n", t);
    return 0;
}
