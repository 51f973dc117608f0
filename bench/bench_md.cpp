// bench_md: Lennard-Jones NVT molecular dynamics of 2048 atoms (fcc 8×8×8 at ρ = 1.0, T = 1.0, rc = 2.8,
// dt = 0.001, Nosé–Hoover chain 3, Tdamp 0.1) — the size of the paper's benchmark simulation.
//   baseline:  neighbour list rebuilt every step (LennardJones with skin 0)
//   candidate: Verlet list with skin 0.3, rebuilt when an atom has moved more than skin/2
// Both run the same steps from the same state; the trajectories are first checked to agree (they differ
// only by summation order), then each is timed. Prints steps/s (wall and CPU time) and the ratio.
//   usage: bench_md [steps=2000] [threads=1]   (one thread by default, as the paper's single-core benchmark;
//   the neighbour-list builder is the only OpenMP-parallel part)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include <omp.h>

#include "agl/md/integrator.hpp"
#include "agl/md/lattice.hpp"
#include "agl/md/lennard_jones.hpp"

using namespace agl;
using namespace agl::md;

namespace {

MdSystem startState() {
    MdSystem s;
    s.atoms = fccLattice(8, 1.0, 18);
    initVelocities(s, 1.0, 2024);
    return s;
}

struct Timing {
    double wallSteps, cpuSteps;  // steps per second
    long builds;
};

Timing timeRun(double skin, long steps) {
    MdSystem s = startState();
    LennardJones lj(LjParameters{}, skin);
    VelocityVerlet md(lj, 0.001, NoseHooverChain(1.0, 0.1, degreesOfFreedom(s)));
    md.setup(s);
    md.run(s, 50);  // warm-up
    auto w0 = std::chrono::steady_clock::now();
    std::clock_t c0 = std::clock();
    md.run(s, steps);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    return {steps / wall, steps / cpu, lj.neighborList().numBuilds()};
}

// Same 100 steps with both lists: the state must agree to rounding.
bool validate() {
    MdSystem a = startState(), b = startState();
    LennardJones every(LjParameters{}, 0.0), verlet(LjParameters{}, 0.3);
    VelocityVerlet ma(every, 0.001, NoseHooverChain(1.0, 0.1, degreesOfFreedom(a)));
    VelocityVerlet mb(verlet, 0.001, NoseHooverChain(1.0, 0.1, degreesOfFreedom(b)));
    ma.run(a, 100);
    mb.run(b, 100);
    double dx = 0;
    for (std::size_t i = 0; i < a.numAtoms(); ++i) dx = std::max(dx, norm(a.atoms.positions[i] - b.atoms.positions[i]));
    double de = std::abs(a.potentialEnergy - b.potentialEnergy) / std::abs(a.potentialEnergy);
    std::printf("validation after 100 steps: max |dx| = %.2e, rel |dE| = %.2e -> %s\n", dx, de,
                dx < 1e-9 && de < 1e-11 ? "ok" : "MISMATCH");
    return dx < 1e-9 && de < 1e-11;
}

}  // namespace

int main(int argc, char** argv) {
    const long steps = argc > 1 ? std::atol(argv[1]) : 2000;
    const int threads = argc > 2 ? std::atoi(argv[2]) : 1;
    omp_set_num_threads(threads);
    std::printf("LJ NVT, 2048 atoms, rho 1.0, T 1.0, rc 2.8, dt 0.001, %ld timed steps, %d thread(s)\n", steps,
                threads);
    if (!validate()) return 1;
    Timing base = timeRun(0.0, steps);
    Timing cand = timeRun(0.3, steps);
    std::printf("%-34s %12s %12s %8s\n", "neighbour list", "steps/s wall", "steps/s cpu", "builds");
    std::printf("%-34s %12.1f %12.1f %8ld\n", "rebuilt every step (baseline)", base.wallSteps, base.cpuSteps,
                base.builds);
    std::printf("%-34s %12.1f %12.1f %8ld\n", "Verlet list, skin 0.3 (candidate)", cand.wallSteps, cand.cpuSteps,
                cand.builds);
    std::printf("speed-up (candidate / baseline): wall %.2fx, cpu %.2fx\n", cand.wallSteps / base.wallSteps,
                cand.cpuSteps / base.cpuSteps);
    return 0;
}
