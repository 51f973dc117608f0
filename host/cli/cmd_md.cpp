// agl md: molecular dynamics with a trained HDNNP (n2p2 potential folder) — velocity Verlet, NVE or NVT
// (Nosé–Hoover chain, LAMMPS `fix nvt` conventions), writing an extended XYZ trajectory, thermo.csv and
// restart.json (md_recorder.hpp). SIGINT/SIGTERM finish the step, write the restart and exit 130; --resume
// continues bit for bit.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>

#include "agl/error.hpp"
#include "agl/hdnnp/hdnnp_force_field.hpp"
#include "agl/log.hpp"
#include "agl/md/integrator.hpp"
#include "agl/md/lennard_jones.hpp"
#include "agl/md/md_recorder.hpp"
#include "agl/number_text.hpp"
#include "agl/timings.hpp"
#include "agl/train/thread_limit.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "md_common.hpp"
#include "stop_signals.hpp"
#include "train_common.hpp"

namespace agl::cli {
namespace {

struct MdOptions {
    long steps = 0;
    double dt = 0.0, temperature = 0.0, initTemperature = 0.0, damping = 0.0;
    bool nvt = true;
    int chain = 3, threads = 0;
    unsigned long long seed = 1;
    md::MdSchedule schedule;
};

long nonNegativeSteps(const cxxopts::ParseResult& args, const std::string& name) {
    const long v = args[name].as<long>();
    if (v < 0) throw UsageError("--" + name, "must not be negative");
    return v;
}

MdOptions parseMdOptions(const cxxopts::ParseResult& args) {
    MdOptions o;
    if (!args.count("steps")) throw UsageError("command line", "--steps is required");
    o.steps = nonNegativeSteps(args, "steps");
    o.dt = positiveOption(args, "dt");
    const std::string ensemble = args["ensemble"].as<std::string>();
    if (ensemble != "nvt" && ensemble != "nve") throw UsageError("--ensemble", "must be nvt or nve");
    o.nvt = ensemble == "nvt";
    if (o.nvt && !args.count("temp")) throw UsageError("command line", "--ensemble nvt needs --temp");
    if (args.count("temp")) o.temperature = positiveOption(args, "temp");
    o.initTemperature = args.count("init-temp") ? positiveOption(args, "init-temp", true) : o.temperature;
    o.damping = args.count("tdamp") ? positiveOption(args, "tdamp") : 100.0 * o.dt;
    // The thermostat's own oscillation lasts about tdamp: a step longer than that cannot follow it, and the run
    // blows up within a few steps (reported as the potential leaving its range, which hides the cause).
    if (o.nvt && o.damping < o.dt)
        throw UsageError("--tdamp", "must be at least --dt (" + significant(o.dt) + "; LAMMPS' usual choice is 100 dt)");
    o.chain = positiveIntOption(args, "tchain");
    o.seed = args["seed"].as<unsigned long long>();
    o.threads = args["threads"].as<int>();
    if (o.threads < 0) throw UsageError("--threads", "must not be negative");
    o.schedule.trajectoryEvery = nonNegativeSteps(args, "traj-every");
    o.schedule.thermoEvery = nonNegativeSteps(args, "thermo-every");
    o.schedule.restartEvery = positiveIntOption(args, "restart-every");
    return o;
}

// Everything a continuation must share with the run it continues.
std::string signatureOf(const cxxopts::ParseResult& args, const MdOptions& o, const md::MdSystem& s) {
    std::ostringstream sig;
    sig.precision(17);
    sig << "potential=" << args["potential"].as<std::string>() << " data=" << args["data"].as<std::string>()
        << " index=" << args["index"].as<std::size_t>() << " replicate=" << args["replicate"].as<std::string>()
        << " atoms=" << s.numAtoms() << " units=" << args["units"].as<std::string>() << " masses=" << massesText(s)
        << " dt=" << o.dt << " ensemble=" << (o.nvt ? "nvt" : "nve") << " temp=" << o.temperature
        << " init_temp=" << o.initTemperature << " tdamp=" << o.damping << " tchain=" << o.chain
        << " seed=" << o.seed << " traj_every=" << o.schedule.trajectoryEvery
        << " thermo_every=" << o.schedule.thermoEvery;
    return sig.str();
}

// Extrapolation warnings (n2p2's term): the first step with atoms outside the training range is logged at once,
// a summary at the end; thermo.csv has the count of every thermo step.
class ExtrapolationWatch {
public:
    // True when `count` > 0.
    bool observe(long step, std::size_t count, std::size_t numAtoms) {
        if (count == 0) return false;
        if (steps_ == 0)
            logWarn("step " + std::to_string(step) + ": " + std::to_string(count) + " of " + std::to_string(numAtoms) +
                    " atoms have symmetry functions outside the potential's training range (scaling.data min/max): "
                    "the network extrapolates and the dynamics may be unphysical");
        ++steps_;
        most_ = std::max(most_, count);
        return true;
    }
    void summarise() const {
        if (steps_ > 0)
            logWarn(std::to_string(steps_) + " steps had extrapolating atoms (at most " + std::to_string(most_) +
                    " in one step): check thermo.csv's extrapolating_atoms column");
    }

private:
    long steps_ = 0;
    std::size_t most_ = 0;
};

void logThermo(long step, const md::MdSystem& s, const md::VelocityVerlet& vv, const md::MdUnits& units) {
    char line[200];
    std::snprintf(line, sizeof line, "step %ld  T %.5g %s  PE %.8g  conserved %.10g", step,
                  md::temperature(s) / units.boltzmann, units.temperatureUnit.c_str(), s.potentialEnergy,
                  vv.conservedEnergy(s));
    logVerbose(line);
}

}  // namespace

int runMd(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Molecular dynamics with a trained HDNNP (n2p2 potential folder): velocity Verlet, "
                             "NVT (Nose-Hoover chain) or NVE; writes OUT/trajectory.xyz, OUT/thermo.csv and "
                             "OUT/restart.json. Ctrl-C writes the restart; --resume continues.");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    addMdSystemOptions(options);
    options.add_options()
        ("potential", "potential folder (input.nn, scaling.data, weights.NNN.data), or `lj` for the reference "
                      "Lennard-Jones potential of the LJ data (lj/cut, rc 2.8, LJ units)", cxxopts::value<std::string>())
        ("data", "start structure file (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("index", "which structure of --data (0-based)", cxxopts::value<std::size_t>()->default_value("0"))
        ("steps", "number of time steps", cxxopts::value<long>())
        ("dt", "time step (lj: tau; metal: ps; electron: fs)", cxxopts::value<double>()->default_value("0.001"))
        ("ensemble", "nvt or nve", cxxopts::value<std::string>()->default_value("nvt"))
        ("temp", "thermostat temperature (lj: eps/kB; metal, electron: K)", cxxopts::value<double>())
        ("init-temp", "temperature of the initial Maxwell-Boltzmann velocities (default: --temp; 0: at rest)",
         cxxopts::value<double>())
        ("tdamp", "thermostat damping time (default: 100 dt, as usual in LAMMPS)", cxxopts::value<double>())
        ("tchain", "Nose-Hoover chain length", cxxopts::value<int>()->default_value("3"))
        ("seed", "seed of the initial velocities", cxxopts::value<unsigned long long>()->default_value("1"))
        ("traj-every", "steps between trajectory frames (0: none)", cxxopts::value<long>()->default_value("100"))
        ("thermo-every", "steps between thermo.csv lines (0: none)", cxxopts::value<long>()->default_value("10"))
        ("restart-every", "steps between restart files", cxxopts::value<int>()->default_value("1000"))
        ("max-extrapolating", "stop (restart written, exit 3) when more atoms than this are outside the potential's "
                              "training range in one step (-1: never stop, only warn)",
         cxxopts::value<long>()->default_value("-1"))
        ("threads", "threads for features, networks (OpenBLAS) and forces (0: all cores)",
         cxxopts::value<int>()->default_value("0"))
        ("o,out", "output folder", cxxopts::value<std::string>()->default_value("md-out"))
        ("resume", "continue the run in --out from its restart.json")
        ("force", "use an existing non-empty output folder");
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    for (const char* required : {"potential", "data"})
        if (!args.count(required)) throw UsageError("command line", std::string("--") + required + " is required");
    const Device device = resolveDevice(args["device"].as<std::string>());
    const MdOptions o = parseMdOptions(args);
    const ThreadLimit threadLimit(o.threads);  // the network GEMMs too: --threads 1 runs on one core
    const md::MdUnits units = unitsOption(args);
    const std::string potentialDir = args["potential"].as<std::string>();
    std::unique_ptr<Hdnnp> hdnnp;  // the reference LJ potential needs none
    std::unique_ptr<md::ForceField> fieldOwner;
    std::vector<int> known;  // the potential's elements; any for LJ
    if (potentialDir == "lj") {
        fieldOwner = std::make_unique<md::LennardJones>();
    } else {
        PotentialFiles files = readPotentialFiles(potentialDir);
        known = files.settings.elements;
        hdnnp = std::make_unique<Hdnnp>(std::move(files.settings), std::move(files.potential), device);
        fieldOwner = std::make_unique<HdnnpForceField>(*hdnnp, o.threads, potentialDir);
    }
    md::MdSystem system =
        mdSystemFromFile(args["data"].as<std::string>(), args["index"].as<std::size_t>(), args, known);
    md::ForceField& field = *fieldOwner;

    std::optional<md::NoseHooverChain> chain;
    if (o.nvt)
        chain.emplace(units.boltzmann * o.temperature, o.damping, md::degreesOfFreedom(system), o.chain);
    md::VelocityVerlet integrator(field, o.dt, chain);
    md::initVelocities(system, units.boltzmann * o.initTemperature, o.seed);
    const bool resume = args.count("resume") > 0;
    md::MdRecorder recorder(args["out"].as<std::string>(), units, o.schedule, o.dt, signatureOf(args, o, system),
                            resume, args.count("force") > 0);
    long step = 0;
    if (resume) {
        recorder.applyRestart(system, integrator);
        step = recorder.restart()->step;
        logInfo("resuming at step " + std::to_string(step) + " of " + std::to_string(o.steps));
    }
    logInfo(field.describe() + ", " + std::to_string(system.numAtoms()) + " atoms, " + (o.nvt ? "NVT" : "NVE") +
            (hdnnp ? std::string(", evaluated on the ") + deviceName(device) : std::string()));
    integrator.setup(system);
    if (!resume) recorder.record(0, system, integrator);

    const long maxExtrapolating = args["max-extrapolating"].as<long>();
    ExtrapolationWatch watch;
    StopSignals signals;
    Progress progress("md steps", std::size_t(o.steps), std::size_t(std::min(step, o.steps)));
    while (step < o.steps) {
        integrator.step(system);
        ++step;
        recorder.record(step, system, integrator);
        progress.advance();
        if (o.schedule.thermoEvery > 0 && step % o.schedule.thermoEvery == 0) logThermo(step, system, integrator, units);
        if (watch.observe(step, field.extrapolatingAtoms(), system.numAtoms()) && maxExtrapolating >= 0 &&
            long(field.extrapolatingAtoms()) > maxExtrapolating) {
            recorder.writeRestart(step, system, integrator);
            logError("stopped at step " + std::to_string(step) + ": " + std::to_string(field.extrapolatingAtoms()) +
                     " atoms outside the training range (--max-extrapolating " + std::to_string(maxExtrapolating) + ")");
            return 3;
        }
        if (!std::isfinite(system.potentialEnergy))
            throw Error("the potential energy is not finite at step " + std::to_string(step) +
                        ": the potential left its training range (try a smaller --dt)");
        if (StopSignals::requested() && step < o.steps) {
            recorder.writeRestart(step, system, integrator);
            logInfo("interrupted at step " + std::to_string(step) + ": restart written, continue with --resume");
            return 130;
        }
    }
    recorder.writeRestart(step, system, integrator);
    watch.summarise();
    logInfo("wrote " + recorder.dir() + "/trajectory.xyz, thermo.csv, restart.json");
    return 0;
}

}  // namespace agl::cli
