// GPU feature engine against the CPU engine (all cores), same run, same structure: atoms per second for the
// paper's LJ set (22 functions: 12 radial + 10 wide angular, rc 2.8σ, poly2 cutoff) on a 2048-atom LJ liquid
// at ρ = 1 (perturbed fcc, ~90 neighbours), fp32 and fp64, energies only (G) and with derivatives (dG/dr).
// GPU times are end to end: upload, neighbour list, kernels, derivative merge, download. Results are first
// checked against the CPU (max relative difference printed) and only then timed.
//
// FLOP count: the angular functions dominate. Per (triplet j<k, wide function) the values kernel spends
// 18 flops (cos θ: dot 5 + 2 mul; base 1 + λcos: 1 FMA; power ζ ≤ 16 by squaring ≤ 6 mul; weight and
// product 3 mul; accumulate 1 add), so GFLOP/s = 18 · Σ_i n_i(n_i − 1)/2 · (number of angular functions)
// / time. Radial work (a few flops per pair) is left out: it is 1/45 of the triplet work here.
// Build without CUDA, or no usable GPU: prints "no GPU" and exits 0.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "agl/device.hpp"
#include "agl/features.hpp"
#include "agl/gpu_features.hpp"
#include "agl/neighbor_list.hpp"

namespace {

agl::NnSettings ljSettings() {
    agl::NnSettings settings;
    settings.elements = {18};
    const double rc = 2.8;
    auto base = [&](int type, double eta, double rs) {
        agl::SymmetryFunction sf;
        sf.type = type;
        sf.centre = 18;
        sf.e1 = 18;
        sf.e2 = type == 2 ? 0 : 18;
        sf.eta = eta;
        sf.rs = rs;
        sf.rc = rc;
        sf.cutoffType = agl::CutoffType::Poly2;
        return sf;
    };
    for (double eta : {0.12755, 0.24281, 0.46223, 0.87993, 1.6751, 3.1888}) settings.functions.push_back(base(2, eta, 0.0));
    for (double rs : {0.5, 0.86, 1.22, 1.58, 1.94, 2.3}) settings.functions.push_back(base(2, 3.858, rs));
    for (double zeta : {1.0, 2.0, 4.0, 8.0, 16.0})
        for (double lambda : {-1.0, 1.0}) {
            agl::SymmetryFunction sf = base(9, 0.12755, 0.0);
            sf.lambda = lambda;
            sf.zeta = zeta;
            settings.functions.push_back(sf);
        }
    return settings;
}

// fcc 8×8×8 (2048 atoms) at ρ = 1, every atom displaced uniformly by up to ±0.2σ per axis: liquid-like shells.
agl::Structure ljLiquid() {
    const int cells = 8;
    const double a = std::cbrt(4.0);  // 4 atoms per cubic cell at ρ = 1
    agl::Structure s;
    s.periodic = true;
    s.cell = {agl::Vec3d{cells * a, 0, 0}, agl::Vec3d{0, cells * a, 0}, agl::Vec3d{0, 0, cells * a}};
    std::mt19937_64 rng(2048);
    std::uniform_real_distribution<double> jitter(-0.2, 0.2);
    const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    for (int x = 0; x < cells; ++x)
        for (int y = 0; y < cells; ++y)
            for (int z = 0; z < cells; ++z)
                for (const auto& b : basis) {
                    agl::Vec3d r{(x + b[0]) * a + jitter(rng), (y + b[1]) * a + jitter(rng), (z + b[2]) * a + jitter(rng)};
                    for (int d = 0; d < 3; ++d) r[d] -= std::floor(r[d] / (cells * a)) * (cells * a);
                    s.positions.push_back(r);
                    s.elements.push_back(18);
                }
    s.atomCharges.assign(s.numAtoms(), 0.0);
    s.forces.assign(s.numAtoms(), agl::Vec3d{0, 0, 0});
    return s;
}

// Seconds per call: repeats until 1 s has passed (at least 3 calls) after one untimed warm-up call.
double secondsPerCall(const std::function<void()>& f) {
    f();
    const auto start = std::chrono::steady_clock::now();
    int calls = 0;
    double elapsed = 0.0;
    do {
        f();
        ++calls;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < 1.0 || calls < 3);
    return elapsed / calls;
}

double maxRelativeDifference(const std::vector<double>& got, const std::vector<double>& ref) {
    if (got.size() != ref.size()) return INFINITY;
    double scale = 0.0, worst = 0.0;
    for (double r : ref) scale = std::max(scale, std::abs(r));
    for (std::size_t k = 0; k < ref.size(); ++k)
        worst = std::max(worst, std::abs(got[k] - ref[k]) / std::max(std::abs(ref[k]), 1e-6 * scale));
    return worst;
}

// Derivatives matched by (centre atom, atom k): entry order follows each side's neighbour-list order.
double maxRelativeDifferenceDerivatives(const agl::StructureFeatures& got, const agl::StructureFeatures& ref) {
    if (got.numAtoms() != ref.numAtoms() || !got.hasDerivatives() || !ref.hasDerivatives()) return INFINITY;
    double scale = 0.0, worst = 0.0;
    for (double r : ref.derivatives) scale = std::max(scale, std::abs(r));
    std::vector<std::int64_t> entryOf(ref.numAtoms(), -1);
    for (std::size_t i = 0; i < ref.numAtoms(); ++i) {
        const std::size_t width = 3 * static_cast<std::size_t>(ref.numFunctions[i]);
        for (std::uint32_t e = ref.derivativeOffsets[i]; e < ref.derivativeOffsets[i + 1]; ++e)
            entryOf[ref.derivativeAtom[e]] = e;
        for (std::uint32_t e = got.derivativeOffsets[i]; e < got.derivativeOffsets[i + 1]; ++e) {
            const std::int64_t r = entryOf[got.derivativeAtom[e]];
            if (r < 0) return INFINITY;
            const double *a = got.dGdr(i, e), *b = ref.dGdr(i, static_cast<std::size_t>(r));
            for (std::size_t c = 0; c < width; ++c)
                worst = std::max(worst, std::abs(a[c] - b[c]) / std::max(std::abs(b[c]), 1e-6 * scale));
        }
        for (std::uint32_t e = ref.derivativeOffsets[i]; e < ref.derivativeOffsets[i + 1]; ++e)
            entryOf[ref.derivativeAtom[e]] = -1;
        if (got.derivativeOffsets[i + 1] - got.derivativeOffsets[i] != ref.derivativeOffsets[i + 1] - ref.derivativeOffsets[i])
            return INFINITY;
    }
    return worst;
}

}  // namespace

int main() {
    std::string why;
    if (!agl::gpu::available(&why)) {
        std::printf("bench_gpu_features: no GPU (%s); nothing to compare\n", why.c_str());
        return 0;
    }
    const agl::NnSettings settings = ljSettings();
    const agl::FeatureEngine engine(settings);
    const agl::Structure s = ljLiquid();
    const std::vector<const agl::Structure*> one{&s};
    const agl::NeighborList list = agl::buildNeighborList(s, 2.8);
    double triplets = 0.0;
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        const double n = list.offsets[i + 1] - list.offsets[i];
        triplets += n * (n - 1) / 2;
    }
    const double angular = 10.0, flopsPerTerm = 18.0;
    std::printf("GPU: %s\n", agl::gpu::describe().c_str());
    std::printf("LJ liquid: %zu atoms, %.1f neighbours/atom, %.3g triplets, 22 functions (10 angular)\n",
                s.numAtoms(), double(list.numPairs()) / s.numAtoms(), triplets);
    std::printf("%-34s %12s %14s %10s %12s %10s\n", "case", "ms/structure", "atoms/s", "vs CPU", "max rel diff",
                "GFLOP/s");

    for (bool derivatives : {false, true}) {
        const agl::StructureFeatures cpu = engine.compute(s, derivatives);
        const double cpuSeconds = secondsPerCall([&] { (void)engine.compute(s, derivatives); });
        const char* mode = derivatives ? "G + dG/dr" : "G only";
        std::printf("%-34s %12.3f %14.4g %10s %12s %10s\n", (std::string("CPU fp64 all cores, ") + mode).c_str(),
                    1e3 * cpuSeconds, s.numAtoms() / cpuSeconds, "1.00", "-", "-");
        for (agl::Precision p : {agl::Precision::Fp32, agl::Precision::Fp64}) {
            const auto gpu = agl::gpu::computeFeatures(one, engine.groups(), p, derivatives);
            double diff = maxRelativeDifference(gpu[0].values, cpu.values);
            if (derivatives) diff = std::max(diff, maxRelativeDifferenceDerivatives(gpu[0], cpu));
            const double gpuSeconds =
                secondsPerCall([&] { (void)agl::gpu::computeFeatures(one, engine.groups(), p, derivatives); });
            char gflops[32] = "-";
            if (!derivatives) std::snprintf(gflops, sizeof gflops, "%.1f", flopsPerTerm * triplets * angular / gpuSeconds / 1e9);
            std::printf("%-34s %12.3f %14.4g %10.2f %12.2e %10s\n",
                        (std::string("GPU ") + agl::precisionName(p) + ", " + mode).c_str(), 1e3 * gpuSeconds,
                        s.numAtoms() / gpuSeconds, cpuSeconds / gpuSeconds, diff, gflops);
        }
    }
    // A chunk of 16 structures per call: how much of the single-structure time is fixed overhead.
    const std::vector<const agl::Structure*> sixteen(16, &s);
    for (agl::Precision p : {agl::Precision::Fp32, agl::Precision::Fp64}) {
        const double seconds = secondsPerCall([&] { (void)agl::gpu::computeFeatures(sixteen, engine.groups(), p, false); });
        std::printf("%-34s %12.3f %14.4g %10s %12s %10.1f\n",
                    (std::string("GPU ") + agl::precisionName(p) + ", G only, 16 per call").c_str(),
                    1e3 * seconds / 16, 16 * s.numAtoms() / seconds, "", "",
                    16 * flopsPerTerm * triplets * angular / seconds / 1e9);
    }
    std::printf("max rel diff: |GPU − CPU| / max(|CPU|, 1e-6 · max|CPU|) over all values (and derivatives)\n");
    return 0;
}
