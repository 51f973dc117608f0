// The paper's potential benchmark: MD speed of an HDNNP (timesteps per second of wall time for a given
// system, NVT) and the stability of its dynamics (energy drift in NVE). Wall-clock timings: run them on an
// otherwise idle machine and compare potentials side by side in one process (agl bench-potential).
#pragma once
#include <string>

#include "agl/hdnnp/hdnnp.hpp"
#include "agl/md/system.hpp"

namespace agl {

struct MdSpeed {
    int threads = 0;             // OpenMP/OpenBLAS threads used
    long steps = 0;              // timed steps
    double seconds = 0.0;        // wall time of the timed steps
    double stepsPerSecond() const { return seconds > 0.0 ? double(steps) / seconds : 0.0; }
};

// Runs `warmup` untimed then `steps` timed NVT steps (Nosé–Hoover chain of 3 at `temperature`, damping
// 100 dt) from `system` (copied; velocities must be set) with `threads` threads (0: all).
MdSpeed measureMdSpeed(Hdnnp& hdnnp, md::MdSystem system, double dt, double temperature, long warmup, long steps,
                       int threads);

struct EnergyDrift {
    long steps = 0;              // NVE steps run (fewer than asked when the run became unstable)
    bool stable = true;          // false: the energy became non-finite or jumped by more than 1 energy unit/atom
    double slopePerAtom = 0.0;   // least-squares slope of the conserved energy per atom (energy / time unit)
    double maxDeviationPerAtom = 0.0;  // max |E(t) − E(0)| / N
};

// NVE run of `steps` steps from `system` (copied) recording the total energy after every step.
EnergyDrift measureNveDrift(Hdnnp& hdnnp, md::MdSystem system, double dt, long steps, int threads);

}  // namespace agl
