// MD speed and NVE drift of an HDNNP (potential_benchmark.hpp).
#include "agl/hdnnp/potential_benchmark.hpp"

#include <chrono>
#include <cmath>
#include <optional>

#include "agl/hdnnp/hdnnp_force_field.hpp"
#include "agl/md/integrator.hpp"
#include "agl/train/thread_limit.hpp"

namespace agl {

MdSpeed measureMdSpeed(Hdnnp& hdnnp, md::MdSystem system, double dt, double temperature, long warmup, long steps,
                       int threads) {
    ThreadLimit limit(threads);
    HdnnpForceField field(hdnnp, threads, "benchmark");
    md::VelocityVerlet vv(field, dt, md::NoseHooverChain(temperature, 100.0 * dt, md::degreesOfFreedom(system), 3));
    vv.setup(system);
    vv.run(system, warmup);
    const auto start = std::chrono::steady_clock::now();
    vv.run(system, steps);
    MdSpeed speed;
    speed.threads = threads;
    speed.steps = steps;
    speed.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return speed;
}

EnergyDrift measureNveDrift(Hdnnp& hdnnp, md::MdSystem system, double dt, long steps, int threads) {
    ThreadLimit limit(threads);
    HdnnpForceField field(hdnnp, threads, "drift");
    md::VelocityVerlet vv(field, dt);
    vv.setup(system);
    const double n = double(system.numAtoms());
    const double e0 = vv.conservedEnergy(system);
    // Running sums of the least-squares fit of E/N against t.
    double st = 0.0, se = 0.0, stt = 0.0, ste = 0.0;
    EnergyDrift drift;
    for (long k = 1; k <= steps; ++k) {
        vv.step(system);
        const double e = vv.conservedEnergy(system);
        const double dev = std::abs(e - e0) / n;
        if (!std::isfinite(e) || dev > 1.0) {
            drift.stable = false;
            break;
        }
        drift.steps = k;
        drift.maxDeviationPerAtom = std::max(drift.maxDeviationPerAtom, dev);
        const double t = double(k) * dt, y = (e - e0) / n;
        st += t;
        se += y;
        stt += t * t;
        ste += t * y;
    }
    const double m = double(drift.steps);
    const double denominator = m * stt - st * st;
    if (drift.steps > 1 && denominator > 0.0) drift.slopePerAtom = (m * ste - st * se) / denominator;
    return drift;
}

}  // namespace agl
