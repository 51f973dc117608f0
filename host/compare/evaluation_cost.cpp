// Per-atom cost of the force evaluation and of its features, single-threaded (evaluation_cost.hpp).
#include "agl/compare/evaluation_cost.hpp"

#include <time.h>

#include <algorithm>
#include <limits>
#include <random>

#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "agl/train/potential.hpp"
#include "agl/train/thread_limit.hpp"

namespace agl {

namespace {

double threadSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// Fastest of repeated passes of `pass`, repeated until minSeconds and minRepeats are both reached.
template <class Fn>
double fastestPass(Fn pass, double minSeconds, int minRepeats, int& repeats) {
    double best = std::numeric_limits<double>::infinity(), total = 0.0;
    repeats = 0;
    while (repeats < minRepeats || total < minSeconds) {
        const double t0 = threadSeconds();
        pass();
        const double dt = threadSeconds() - t0;
        best = std::min(best, dt);
        total += dt;
        ++repeats;
    }
    return best;
}

Potential randomPotential(const NnSettings& settings) {
    std::mt19937_64 rng(12345);
    std::uniform_real_distribution<double> u(-0.5, 0.5);
    Potential p;
    for (const ElementArch& arch : archsFromSettings(settings)) {
        ElementPotential ep;
        ep.arch = arch;
        const std::size_t n = std::size_t(arch.numInputs());
        ep.scaling.min.assign(n, 0.0);
        ep.scaling.max.assign(n, 1.0);
        ep.scaling.mean.assign(n, 0.0);
        ep.scaling.sigma.assign(n, 1.0);
        ep.weights.resize(arch.numParams());
        for (double& w : ep.weights) w = u(rng);
        p.elements.push_back(std::move(ep));
    }
    return p;
}

}  // namespace

EvaluationCost measureEvaluationCost(const NnSettings& settings, const std::vector<const Structure*>& structures,
                                     double minSeconds, int minRepeats) {
    AGL_CHECK(!structures.empty(), "cost measurement needs at least one structure");
    AGL_CHECK(settings.everyElementHasFunctions(), "cost measurement: an element without functions");
    ThreadLimit single(1);  // one OpenMP and one OpenBLAS thread, restored afterwards
    EvaluationCost cost;
    for (const Structure* s : structures) cost.atoms += s->numAtoms();
    AGL_CHECK(cost.atoms > 0, "cost measurement: structures without atoms");

    const FeatureEngine engine(settings);
    std::size_t sink = 0;  // keeps the results observable so the work cannot be optimised away
    const double features = fastestPass(
        [&] {
            for (const Structure* s : structures) sink += engine.compute(*s, true, 1).derivatives.size();
        },
        minSeconds, minRepeats, cost.featureRepeats);

    Hdnnp potential(settings, randomPotential(settings));
    std::vector<Vec3d> forces;
    double energySum = 0.0;
    const double total = fastestPass(
        [&] {
            for (const Structure* s : structures) energySum += potential.energyAndForces(*s, forces, 1);
        },
        minSeconds, minRepeats, cost.forceRepeats);
    AGL_CHECK(sink > 0 && energySum == energySum, "cost measurement produced no result");

    cost.featureMicroseconds = 1e6 * features / double(cost.atoms);
    cost.forceMicroseconds = 1e6 * total / double(cost.atoms);
    cost.work = countEvaluationWork(settings, structures);
    return cost;
}

}  // namespace agl
