// agl bench-potential: the paper's benchmark of feature sets as running potentials — NVT MD of (by default)
// 2048 atoms, timesteps per second on one core, on all cores and on the GPU (--measure picks which), side by
// side for every potential given, with the ratio to the first; then the NVE energy drift of each (stability:
// the paper's filter-selected B potentials could not run). Timings are wall-clock: use an idle machine.
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "agl/atomic_file.hpp"
#include "agl/device.hpp"
#include "agl/error.hpp"
#include "agl/hdnnp/potential_benchmark.hpp"
#include "agl/log.hpp"
#include "agl/md/lattice.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "md_common.hpp"
#include "train_common.hpp"

namespace agl::cli {
namespace {

// The speeds --measure asks for: one core, all cores, the GPU.
struct Measured {
    bool oneCore = false, allCores = false, gpu = false;
    bool gpuAsked = false;  // gpu in the list (by default too), so a missing GPU column reads "no GPU"
};

// --measure: a comma list of one-core, all-cores and gpu. The default takes the GPU only where one is usable;
// a GPU asked for by name must be there.
Measured measuredOption(const cxxopts::ParseResult& args) {
    Measured m;
    for (const std::string& item : args["measure"].as<std::vector<std::string>>()) {
        if (item == "one-core") m.oneCore = true;
        else if (item == "all-cores") m.allCores = true;
        else if (item == "gpu") m.gpu = true;
        else throw UsageError("--measure", "'" + item + "' is not one of one-core, all-cores, gpu");
    }
    m.gpuAsked = m.gpu;
    std::string why;
    if (m.gpu && !gpu::available(&why)) {
        if (args.count("measure")) throw Error("bench-potential --measure gpu: " + why);
        m.gpu = false;
    }
    return m;
}

struct Row {
    std::string potential;
    int features = 0;
    std::optional<MdSpeed> oneCore, allCores, gpu;  // what --measure asked for
    EnergyDrift drift;
};

// Start structure: --data (replicated; only of the potential's elements), or an fcc crystal of ≥ --atoms atoms
// of its first element at --density (LJ units).
md::MdSystem startSystem(const cxxopts::ParseResult& args, const std::vector<int>& elements) {
    if (args.count("data"))
        return mdSystemFromFile(args["data"].as<std::string>(), args["index"].as<std::size_t>(), args, elements);
    const int element = elements.front();
    if (unitsOption(args).name != "lj") throw UsageError("--data", "is required unless --units lj");
    const int atoms = positiveIntOption(args, "atoms");
    int cells = 1;
    while (4 * cells * cells * cells < atoms) ++cells;
    md::MdSystem s;
    s.atoms = md::fccLattice(cells, positiveOption(args, "density"), element);
    s.masses.assign(s.numAtoms(), massesOption(args, {element}, unitsOption(args)).at(element));
    return s;
}

// One potential under test: its evaluators and its start (the same structure and velocities for all).
struct Candidate {
    Row row;
    std::unique_ptr<Hdnnp> hdnnp, onGpu;   // onGpu: evaluated on the GPU (gpu_hdnnp.hpp), when one is usable
    md::MdSystem start;
};

Candidate loadCandidate(const std::string& dir, const cxxopts::ParseResult& args, double kT, bool onGpu) {
    PotentialFiles files = readPotentialFiles(dir);
    Candidate c;
    c.start = startSystem(args, files.settings.elements);
    md::initVelocities(c.start, kT, args["seed"].as<unsigned long long>());
    c.hdnnp = std::make_unique<Hdnnp>(files.settings, files.potential);
    if (onGpu) c.onGpu = std::make_unique<Hdnnp>(files.settings, files.potential, Device::Gpu);
    c.row.potential = dir;
    c.row.features = c.hdnnp->numFunctions();
    return c;
}

void keepFaster(std::optional<MdSpeed>& best, const MdSpeed& candidate) {
    if (!best || candidate.stepsPerSecond() > best->stepsPerSecond()) best = candidate;
}

// "steps/s | ratio" to the baseline's speed in the same column, or "not run | " (--measure left it out).
std::string speedAndRatio(const std::optional<MdSpeed>& speed, const std::optional<MdSpeed>& baseline) {
    if (!speed) return "not run | ";
    char text[64];
    std::snprintf(text, sizeof text, "%.3g | %.2f", speed->stepsPerSecond(),
                  speed->stepsPerSecond() / baseline->stepsPerSecond());
    return text;
}

std::string markdownTable(const std::vector<Row>& rows, std::size_t atoms, int allThreads, const Measured& measured) {
    std::ostringstream out;
    out << "| potential | N features | steps/s (1 core) | ratio | steps/s (" << allThreads
        << " threads) | ratio | atom-steps/s (1 core) | GPU (steps/s; atom-steps/s) | ratio | NVE drift (energy/atom/time) | max |dE|/atom | stable |\n"
        << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    const Row& base = rows.front();
    for (const Row& r : rows) {
        char perAtom[32] = "not run";
        if (r.oneCore) std::snprintf(perAtom, sizeof perAtom, "%.3g", r.oneCore->stepsPerSecond() * double(atoms));
        char gpu[96];
        std::snprintf(gpu, sizeof gpu, "%s | ", measured.gpuAsked ? "no GPU" : "not run");
        if (r.gpu)
            std::snprintf(gpu, sizeof gpu, "%.3g; %.3g | %.2f", r.gpu->stepsPerSecond(),
                          r.gpu->stepsPerSecond() * double(atoms),
                          r.gpu->stepsPerSecond() / base.gpu->stepsPerSecond());
        char drift[160] = "not run (--drift-steps 0) | |";
        if (r.drift.steps > 0 || !r.drift.stable)  // measured (an unstable run may stop at step 0)
            std::snprintf(drift, sizeof drift, "%.3g | %.3g | %s", r.drift.slopePerAtom, r.drift.maxDeviationPerAtom,
                          r.drift.stable ? "yes" : ("no (after " + std::to_string(r.drift.steps) + " steps)").c_str());
        out << "| " << r.potential << " | " << r.features << " | " << speedAndRatio(r.oneCore, base.oneCore) << " | "
            << speedAndRatio(r.allCores, base.allCores) << " | " << perAtom << " | " << gpu << " | " << drift << " |\n";
    }
    return out.str();
}

}  // namespace

int runBenchPotential(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "MD speed of potentials side by side (the paper's benchmark: 2048 atoms, NVT, "
                             "timesteps per second) on one core, on all cores and on the GPU, plus the NVE "
                             "energy drift.");
    addCommonOptions(options);
    addDataOptions(options);
    addMdSystemOptions(options);
    options.add_options()
        ("potential", "potential folder; repeat for several (the first is the baseline of the ratios)",
         cxxopts::value<std::vector<std::string>>())
        ("data", "start structure (default: fcc crystal, LJ units)", cxxopts::value<std::string>())
        ("index", "which structure of --data", cxxopts::value<std::size_t>()->default_value("0"))
        ("atoms", "atoms of the default fcc start (rounded up to 4 n^3)", cxxopts::value<int>()->default_value("2048"))
        ("density", "density of the default fcc start (atoms/sigma^3)", cxxopts::value<double>()->default_value("1.0"))
        ("temp", "NVT temperature and initial velocities (lj: eps/kB; metal, electron: K)",
         cxxopts::value<double>()->default_value("1.0"))
        ("dt", "time step", cxxopts::value<double>()->default_value("0.001"))
        ("steps", "timed NVT steps per measurement", cxxopts::value<long>()->default_value("100"))
        ("repeats", "measurements per potential, interleaved across potentials; the fastest is reported",
         cxxopts::value<int>()->default_value("3"))
        ("warmup", "untimed NVT steps before each measurement", cxxopts::value<long>()->default_value("10"))
        ("drift-steps", "NVE steps for the energy drift (0: skip; on the GPU with --measure gpu alone)",
         cxxopts::value<long>()->default_value("1000"))
        ("seed", "seed of the initial velocities", cxxopts::value<unsigned long long>()->default_value("1"))
        ("measure", "which speeds: a comma list of one-core, all-cores, gpu (default: all three, the GPU where one "
                    "is usable)",
         cxxopts::value<std::vector<std::string>>()->default_value("one-core,all-cores,gpu"))
        ("out", "also write the table as Markdown to this file", cxxopts::value<std::string>())
        ("force", "overwrite --out");
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    if (!args.count("potential")) throw UsageError("command line", "--potential is required (one or more)");
    const auto dirs = args["potential"].as<std::vector<std::string>>();
    const long steps = args["steps"].as<long>(), warmup = args["warmup"].as<long>(),
               driftSteps = args["drift-steps"].as<long>();
    if (steps < 1 || warmup < 0 || driftSteps < 0) throw UsageError("--steps", "steps must be positive");
    if (args.count("out")) refuseOverwrite(args["out"].as<std::string>(), args.count("force") > 0);
    const md::MdUnits units = unitsOption(args);
    const double kT = units.boltzmann * positiveOption(args, "temp"), dt = positiveOption(args, "dt");
    const int allThreads = omp_get_max_threads();

    const int repeats = positiveIntOption(args, "repeats");
    const Measured measured = measuredOption(args);
    std::vector<Candidate> candidates;
    for (const std::string& dir : dirs) candidates.push_back(loadCandidate(dir, args, kT, measured.gpu));
    const std::size_t atoms = candidates.front().start.numAtoms();
    // Interleaved repeats (A, B, A, B, ...), best of each kept: a slow spell of the machine then hits every
    // potential alike instead of one of them, which matters for the ratios.
    for (int r = 1; r <= repeats; ++r)
        for (Candidate& c : candidates) {
            logInfo(c.row.potential + ": " + std::to_string(c.row.features) + " features, " + std::to_string(atoms) +
                    " atoms, " + std::to_string(steps) + " NVT steps (repeat " + std::to_string(r) + "/" +
                    std::to_string(repeats) + ")");
            if (measured.oneCore)
                keepFaster(c.row.oneCore, measureMdSpeed(*c.hdnnp, c.start, dt, kT, warmup, steps, 1));
            if (measured.allCores)
                keepFaster(c.row.allCores, measureMdSpeed(*c.hdnnp, c.start, dt, kT, warmup, steps, allThreads));
            if (c.onGpu) keepFaster(c.row.gpu, measureMdSpeed(*c.onGpu, c.start, dt, kT, warmup, steps, allThreads));
        }
    std::vector<Row> rows;
    for (Candidate& c : candidates) {
        if (driftSteps > 0) {
            // With the GPU alone (a large system, say) the CPU would take far longer than the timed runs.
            const bool onGpu = c.onGpu && !measured.oneCore && !measured.allCores;
            logInfo(c.row.potential + ": NVE drift over " + std::to_string(driftSteps) + " steps" +
                    (onGpu ? " on the GPU" : ""));
            c.row.drift = measureNveDrift(onGpu ? *c.onGpu : *c.hdnnp, c.start, dt, driftSteps, allThreads);
        }
        rows.push_back(c.row);
    }
    const std::string table = markdownTable(rows, atoms, allThreads, measured);
    std::cout << table;
    if (args.count("out")) {
        AtomicFile f(args["out"].as<std::string>(), args.count("force") > 0);
        f.stream() << "# agl bench-potential: " << atoms << " atoms, NVT T = " << args["temp"].as<double>() << " ("
                   << units.temperatureUnit << "), dt " << dt << ", best of " << repeats << " interleaved runs of "
                   << steps << " timed steps after " << warmup << " warm-up steps; "
                   << (driftSteps > 0 ? "drift over " + std::to_string(driftSteps) + " NVE steps" : "no NVE drift run")
                   << "\n\n"
                   << table;
        f.commit();
    }
    return 0;
}

}  // namespace agl::cli
