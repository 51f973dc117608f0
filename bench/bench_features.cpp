// bench_features: microseconds per atom of the CPU feature engine (grouped, host/features/) against the
// ungrouped baseline (every function evaluated on its own: cutoff and exponential per pair per function,
// pow() per triplet per function — the plain form of include/agl/symmetry_function_terms.hpp), same run.
//
//   LJ liquid-like, ρ = 1 σ⁻³, 2048 atoms (perturbed fcc), paper LJ set (22 functions, rc 2.8 σ)
//   fcc Al, a = 4.05 Å, 2048 atoms (perturbed), paper Al set (rc 6.8 Å)
//   dense B-like, 0.13 atoms/Å³, 2197 atoms (perturbed simple cubic), paper B set (60 functions, rc 5.3 Å)
// Energies only and with derivatives; one thread and all threads. The baseline runs on the first atoms only
// (it is slow) and is reported per atom. Then, for scale, the GPU's per-atom entry routines run on the CPU
// (entryRoutines). Usage: bench_features [DIR with lj.nn al.nn b.nn]
#include <omp.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "agl/bin_grid.hpp"
#include "agl/cutoff_function.hpp"
#include "agl/derivative_entries.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/neighbor_list.hpp"
#include "agl/symmetry_function_terms.hpp"

using namespace agl;

namespace {

Structure perturbedLattice(int n, double a, double jitter, bool fcc, int element, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-jitter, jitter);
    Structure s;
    s.periodic = true;
    s.cell = {Vec3d{n * a, 0, 0}, Vec3d{0, n * a, 0}, Vec3d{0, 0, n * a}};
    const double fccBasis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
    const int nb = fcc ? 4 : 1;
    for (int x = 0; x < n; ++x)
        for (int y = 0; y < n; ++y)
            for (int z = 0; z < n; ++z)
                for (int b = 0; b < nb; ++b) {
                    s.positions.push_back({a * (x + fccBasis[b][0]) + u(rng), a * (y + fccBasis[b][1]) + u(rng),
                                           a * (z + fccBasis[b][2]) + u(rng)});
                    s.elements.push_back(element);
                }
    return s;
}

// Ungrouped evaluation of atoms [0, count): returns a checksum so the work is not optimised away.
double baseline(const Structure& s, const NnSettings& settings, std::size_t count, bool derivatives) {
    const auto functions = settings.functionsOf(s.elements[0]);
    double rc = 0;
    for (const auto& f : functions) rc = std::max(rc, f.rc);
    const NeighborList list = buildNeighborList(s, rc);
    double sum = 0.0;
    std::vector<Vec3d> grad;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t b = list.offsets[i], e = list.offsets[i + 1];
        grad.assign(e - b + 1, Vec3d{0, 0, 0});
        for (const auto& f : functions) {
            const Cutoff<double> cut = makeCutoff<double>(f.cutoffType, f.rc, f.cutoffAlpha);
            double g = 0.0;
            for (std::uint32_t p = b; p < e; ++p) {
                double fc, dfc, a, da;
                cut.valueAndDerivative(list.distance[p], fc, dfc);
                pairFactor(f.eta, f.rs, list.distance[p], fc, dfc, a, da);
                if (f.type == 2) {
                    g += a;
                    if (derivatives) grad[p - b] = grad[p - b] + (da / list.distance[p]) * list.delta[p];
                    continue;
                }
                for (std::uint32_t q = p + 1; q < e; ++q) {
                    double fk, dfk, ak, dak;
                    cut.valueAndDerivative(list.distance[q], fk, dfk);
                    pairFactor(f.eta, f.rs, list.distance[q], fk, dfk, ak, dak);
                    Vec3d gj, gk;
                    g += wideTerm(f.lambda, f.zeta, 0, zetaScale(f.zeta), list.delta[p], list.distance[p], a, da,
                                  list.delta[q], list.distance[q], ak, dak, derivatives, gj, gk);
                    if (derivatives) {
                        grad[p - b] = grad[p - b] + gj;
                        grad[q - b] = grad[q - b] + gk;
                    }
                }
            }
            sum += g;
        }
        for (const auto& v : grad) sum += 1e-9 * v.x;
    }
    return sum;
}

// Wall time; and CPU time of the calling thread, which for one-thread runs is immune to other jobs on a
// shared machine (the numbers to compare against n2p2's per-core figures).
template <typename F>
double seconds(F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}
template <typename F>
double cpuSeconds(F&& f) {
    const double t0 = threadCpuSeconds();
    f();
    return threadCpuSeconds() - t0;
}

// The GPU's per-atom entry routines (agl/derivative_entries.hpp: one thread per atom counts and fills its
// derivative entries, a warp per atom gathers its force through its neighbour list), run here on one CPU
// thread for scale against the feature engine with derivatives (engineMicros, µs/atom): with the scan back
// for earlier images of a pair's atom on every list (the baseline), and only where the grid says a list can
// hold an atom twice (BinGrid::repeatsAtoms: never in these cells).
void entryRoutines(const Structure& s, const FeatureEngine& engine, double engineMicros) {
    const NeighborList list = buildNeighborList(s, engine.maxCutoff());
    const bool gridRepeats = makeBinGrid(s, engine.maxCutoff()).repeatsAtoms;
    const StructureFeatures f = engine.compute(s, true, 1);
    const std::uint32_t n = static_cast<std::uint32_t>(s.numAtoms());
    const std::vector<double> cutoffOfAtom(n, engine.maxCutoff());
    const std::vector<double> dEdG(f.values.size(), 0.5);
    std::vector<std::uint32_t> entryAtom(f.derivativeAtom.size()), entryOfPair(list.numPairs());
    double check = 0;
    const auto entries = [&](bool repeats) {
        return cpuSeconds([&] {
            for (std::uint32_t i = 0; i < n; ++i) {
                const std::uint32_t count = countEntries(i, list.offsets.data(), list.index.data(),
                                                         list.distance.data(), cutoffOfAtom[i], repeats);
                fillEntries(i, list.offsets.data(), list.index.data(), list.distance.data(), cutoffOfAtom[i],
                            repeats, entryAtom.data() + f.derivativeOffsets[i], entryOfPair.data());
                check += count;
            }
        }) * 1e6 / n;
    };
    const auto gather = [&](bool repeats) {
        return cpuSeconds([&] {
            for (std::uint32_t k = 0; k < n; ++k)
                check += gatherForcePart(k, 0, 1, list.offsets.data(), list.index.data(), list.distance.data(),
                                         cutoffOfAtom.data(), repeats, f.derivativeOffsets.data(),
                                         f.derivativeAtom.data(), f.derivativeStart.data(), f.valueOffsets.data(),
                                         f.numFunctions.data(), dEdG.data(), f.derivatives.data()).x;
        }) * 1e6 / n;
    };
    const double entriesScan = entries(true), gatherScan = gather(true);
    const double entriesGrid = entries(gridRepeats), gatherGrid = gather(gridRepeats);
    std::printf("  GPU entry routines, 1 CPU thread, us/atom: count + fill %5.2f -> %5.2f (%4.2fx), force gather "
                "%5.2f -> %5.2f (%4.2fx); %4.1f %% -> %4.1f %% of the engine with derivatives (scan %s)   [%g]\n",
                entriesScan, entriesGrid, entriesScan / entriesGrid, gatherScan, gatherGrid, gatherScan / gatherGrid,
                100.0 * (entriesScan + gatherScan) / engineMicros, 100.0 * (entriesGrid + gatherGrid) / engineMicros,
                gridRepeats ? "needed" : "skipped", check);
}

void run(const char* name, const Structure& s, const NnSettings& settings, std::size_t baselineAtoms) {
    const FeatureEngine engine(settings);
    const double n = static_cast<double>(s.numAtoms());
    const int all = omp_get_max_threads();
    std::size_t neighbours = buildNeighborList(s, engine.maxCutoff()).numPairs();
    std::printf("\n%s: %zu atoms, %zu functions, %.1f neighbours/atom\n", name, s.numAtoms(),
                settings.functions.size(), neighbours / n);
    for (bool deriv : {false, true}) {
        double check = 0;
        const double tBase = cpuSeconds([&] { check = baseline(s, settings, baselineAtoms, deriv); }) * 1e6 /
                             static_cast<double>(baselineAtoms);
        double t1 = 1e30, tAll = 1e30;
        // The output buffers are reused from call to call, as in an MD loop; the warm-up call pays the one-time
        // allocation (page faults of the tens of MB of derivative blocks).
        StructureFeatures out;
        engine.compute(s, deriv, 1, out);
        for (int rep = 0; rep < 2; ++rep) {  // best of 2
            t1 = std::min(t1, cpuSeconds([&] { engine.compute(s, deriv, 1, out); check += out.values[0]; }) * 1e6 / n);
            tAll = std::min(tAll, seconds([&] { engine.compute(s, deriv, all, out); check += out.values[0]; }) * 1e6 / n);
        }
        std::printf("  %-12s baseline (ungrouped, 1 thread, CPU) %9.1f us/atom | engine 1 thread (CPU) %8.1f us/atom "
                    "(%5.1fx) | %d threads (wall) %8.1f us/atom (%4.2fx of 1 thread)   [%g]\n",
                    deriv ? "derivatives" : "energies", tBase, t1, tBase / t1, all, tAll, t1 / tAll, check);
        if (deriv) entryRoutines(s, engine, t1);
    }
}

}  // namespace

int main(int argc, char** argv) {
        // Default: the copies next to the tests (tests/data/features/ relative to this source file).
    const std::string here = __FILE__;
    const std::string dir = argc > 1 ? argv[1] : here.substr(0, here.rfind('/')) + "/../tests/data/features";
    const NnSettings lj = readNnSettings(dir + "/lj.nn");
    const NnSettings al = readNnSettings(dir + "/al.nn");
    const NnSettings b = readNnSettings(dir + "/b.nn");
    // ρ = 1: fcc a = 4^(1/3) σ; 8³ cells × 4 = 2048 atoms.
    // Issue 3 targets for LJ on one core: <= 100 us/atom energies, <= 180 us/atom with derivatives
    // (n2p2: 499 and 897 us/atom). One-thread CPU time is inflated when other jobs share the core's caches;
    // the engine's instruction counts (valgrind --tool=callgrind) are in bench/RESULTS.md.
    std::printf("targets (issue 3, LJ, 1 core): energies <= 100 us/atom, derivatives <= 180 us/atom; "
                "n2p2 499 / 897 us/atom\n");
    run("LJ liquid-like (rho=1, rc 2.8)", perturbedLattice(8, std::cbrt(4.0), 0.15, true, 18, 1), lj, 256);
    run("fcc Al (a=4.05, rc 6.8)", perturbedLattice(8, 4.05, 0.2, true, 13, 2), al, 32);
    // 0.13 atoms/Å³: simple cubic a = 1.974 Å, 13³ = 2197 atoms.
    run("dense B-like (rc 5.3)", perturbedLattice(13, 1.974, 0.3, false, 5, 3), b, 16);
    return 0;
}
