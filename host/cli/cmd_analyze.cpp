// agl analyze: g(r), MSD and the diffusion coefficient of MD trajectories (the paper's Figs. 7, 8, Table I).
// Each --traj file (extended XYZ as `agl md`, LAMMPS or ASE write it: periodic frames, wrapped positions,
// `time=` per frame or --frame-time) is streamed once; outputs carry one column / curve per file.
#include <cmath>
#include <filesystem>
#include <map>

#include "agl/atomic_file.hpp"
#include "agl/error.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/md/analysis.hpp"
#include "agl/timings.hpp"
#include "analyze_report.hpp"
#include "command.hpp"
#include "data_source.hpp"

namespace agl::cli {
namespace {

struct AnalyzeSettings {
    md::RdfOptions rdf;
    md::MsdOptions msd;
    std::size_t skip = 0;
    double frameTime = 0.0;  // 0: take time= from the frames
    double fitStart = -1.0, fitEnd = -1.0;
    bool allowOverlaps = false;  // --allow-overlaps: the reader's minAtomDistance 0
};

// The `time=` info key of a frame, if any.
bool frameTime(const Structure& s, const std::string& path, std::size_t frame, double& time) {
    for (const auto& [key, value] : s.metadata) {
        if (key != "time") continue;
        std::size_t used = 0;
        try {
            time = std::stod(value, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != value.size() || !std::isfinite(time))
            throw InputError(path, s.sourceLine,
                             "frame " + std::to_string(frame) + ": time='" + value + "' is not a number");
        return true;
    }
    return false;
}

// Time between frames from the frames' time= keys (evenly spaced) or --frame-time.
void resolveTimes(TrajectoryResult& t, const std::vector<double>& times, const AnalyzeSettings& s) {
    const std::size_t used = t.framesUsed;
    if (times.empty()) {
        if (s.frameTime <= 0.0)
            throw InputError(t.path, 0, "frames carry no time= key (as LAMMPS/ASE may write them): give "
                                        "--frame-time T, the time between saved frames");
        t.timesFromFile = false;
        t.frameTime = s.frameTime;
        t.firstTime = 0.0;
        t.lastTime = s.frameTime * static_cast<double>(used - 1);
        return;
    }
    if (times.size() != used)
        throw InputError(t.path, 0, std::to_string(used - times.size()) + " of " + std::to_string(used) +
                                        " frames lack the time= key");
    const double dt = (times.back() - times.front()) / static_cast<double>(used - 1);
    if (!(dt > 0.0)) throw InputError(t.path, 0, "frame times do not increase (time= keys)");
    for (std::size_t k = 0; k < used; ++k)
        if (std::abs(times[k] - (times.front() + static_cast<double>(k) * dt)) > 1e-4 * dt)
            throw InputError(t.path, 0, "frame " + std::to_string(s.skip + k + 1) + ": time=" +
                                            std::to_string(times[k]) + " breaks the even spacing " +
                                            std::to_string(dt) + " the MSD lags need (frames missing or repeated?)");
    if (s.frameTime > 0.0 && std::abs(s.frameTime - dt) > 1e-6 * dt)
        logWarn(t.path + ": --frame-time " + std::to_string(s.frameTime) + " ignored; the frames' time= keys give " +
                std::to_string(dt));
    t.frameTime = dt;
    t.firstTime = times.front();
    t.lastTime = times.back();
}

TrajectoryResult analyzeTrajectory(const DataSource& source, const AnalyzeSettings& s) {
    const std::string& path = source.path;
    ScopedPhase phase("analyze trajectory");
    TrajectoryResult t;
    t.path = path;
    md::RdfAccumulator rdf(s.rdf);
    md::MsdAccumulator msd(s.msd);
    std::vector<double> times;
    const auto visit = [&](Structure&& frame) {
        const std::size_t number = ++t.framesRead;  // 1-based in the file
        if (number <= s.skip) return true;
        if (!frame.periodic)
            throw InputError(path, frame.sourceLine,
                             "frame " + std::to_string(number) + " is not periodic (no Lattice)");
        double time = 0.0;
        if (frameTime(frame, path, number, time)) times.push_back(time);
        if (t.framesUsed == 0 && s.rdf.rMax > md::minimumImageRadius(frame.cell))
            logWarn(path + ": --rdf-max " + std::to_string(s.rdf.rMax) + " exceeds the minimum-image radius " +
                    std::to_string(md::minimumImageRadius(frame.cell)) +
                    "; g(r) beyond it includes the box's correlations with its own images");
        try {
            rdf.add(frame);
            msd.add(frame);
        } catch (const InputError&) {
            throw;
        } catch (const Error& e) {
            const std::string skipped = s.skip ? " (frames counted after --skip " + std::to_string(s.skip) + ")" : "";
            throw InputError(path, frame.sourceLine, std::string(e.what()) + skipped);
        }
        ++t.framesUsed;
        return true;
    };
    forEachStructure(source, visit);
    if (t.framesUsed < 2)
        throw InputError(path, 0, std::to_string(t.framesUsed) + " frames left after --skip " +
                                      std::to_string(s.skip) + "; the MSD needs at least 2");
    resolveTimes(t, times, s);
    t.numAtoms = msd.numAtoms();
    t.rdf = rdf.result();
    t.msd = msd.result(t.frameTime);
    for (const auto& c : t.rdf.curves)
        if (c.elementA != 0 && c.elementA == c.elementB) t.elements.push_back(c.elementA);
    for (const auto& c : t.msd.curves) {
        try {
            t.fits.push_back(md::fitDiffusion(t.msd.lagTime, c.msd, s.fitStart, s.fitEnd));
        } catch (const Error& e) {
            throw InputError(path, 0, std::string(e.what()) + " (lags reach " + std::to_string(t.msd.lagTime.back()) +
                                          "; adjust --fit-start/--fit-end)");
        }
    }
    return t;
}

// File names as labels; the whole path where two files share a name.
void assignLabels(std::vector<TrajectoryResult>& results) {
    std::map<std::string, int> uses;
    for (const auto& t : results) ++uses[std::filesystem::path(t.path).filename().string()];
    for (auto& t : results) {
        const std::string name = std::filesystem::path(t.path).filename().string();
        t.label = uses[name] > 1 ? t.path : name;
    }
}

}  // namespace

int runAnalyze(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Radial distribution function, mean square displacement and the diffusion coefficient "
                             "(Einstein relation) of MD trajectories. Writes OUT/rdf.csv, msd.csv, diffusion.csv, "
                             "rdf.png, msd.png and summary.md; several --traj give one column and curve each.");
    options.add_options()
        ("traj", "trajectory: extended XYZ of periodic frames, wrapped positions, time= per frame (repeatable)",
         cxxopts::value<std::vector<std::string>>())
        ("out", "output directory", cxxopts::value<std::string>()->default_value("analysis"))
        ("rdf-max", "g(r) range (length); 0 = half the smallest cell width (minimum image)",
         cxxopts::value<double>()->default_value("0"))
        ("rdf-bin", "g(r) bin width (length)", cxxopts::value<double>()->default_value("0.02"))
        ("skip", "frames to drop at the start of each trajectory (equilibration)",
         cxxopts::value<std::size_t>()->default_value("0"))
        ("frame-time", "time between frames, only for files without time= keys", cxxopts::value<double>())
        ("fit-start", "start of the MSD fit window (time); default 20 % of the longest lag", cxxopts::value<double>())
        ("fit-end", "end of the MSD fit window (time); default 80 % of the longest lag", cxxopts::value<double>())
        ("origin-stride", "frames between MSD time origins; 0 = automatic (every frame, at most ~1000 origins)",
         cxxopts::value<std::size_t>()->default_value("0"))
        ("keep-drift", "do not remove the centre-of-mass drift from the MSD")
        ("allow-overlaps", "accept frames with atoms closer than 0.1 length units (a run whose potential let "
                           "atoms collide: analyse it anyway)")
        ("force", "write into a non-empty OUT");
    addCommonOptions(options);
    addDataOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    if (!args.count("traj")) {
        logError("agl analyze needs --traj FILE (see agl analyze --help)");
        return 2;
    }

    AnalyzeSettings s;
    s.rdf.rMax = args["rdf-max"].as<double>();
    s.rdf.binWidth = args["rdf-bin"].as<double>();
    s.skip = args["skip"].as<std::size_t>();
    if (args.count("frame-time")) s.frameTime = args["frame-time"].as<double>();
    if (args.count("fit-start")) s.fitStart = args["fit-start"].as<double>();
    if (args.count("fit-end")) s.fitEnd = args["fit-end"].as<double>();
    s.msd.originStride = args["origin-stride"].as<std::size_t>();
    s.msd.removeDrift = args.count("keep-drift") == 0;
    s.allowOverlaps = args.count("allow-overlaps") > 0;
    if (!(s.rdf.binWidth > 0.0)) throw UsageError("--rdf-bin", "must be positive");
    if (s.rdf.rMax < 0.0) throw UsageError("--rdf-max", "must be positive (or 0 for the minimum-image radius)");
    if (args.count("frame-time") && !(s.frameTime > 0.0)) throw UsageError("--frame-time", "must be positive");
    if (args.count("fit-start") && s.fitStart < 0.0) throw UsageError("--fit-start", "must not be negative");
    const std::string outDir = args["out"].as<std::string>();
    const bool force = args.count("force") > 0;
    prepareOutputDir(outDir, force);

    const auto paths = args["traj"].as<std::vector<std::string>>();
    std::vector<TrajectoryResult> results;
    {
        Progress progress("trajectories", paths.size());
        for (const std::string& path : paths) {
            DataSource source = dataSource(args, path);
            if (s.allowOverlaps) source.read.minAtomDistance = 0.0;
            results.push_back(analyzeTrajectory(source, s));
            progress.advance();
        }
    }
    assignLabels(results);
    for (const auto& t : results)
        logInfo(t.label + ": " + std::to_string(t.framesUsed) + " frames, " + std::to_string(t.numAtoms) +
                " atoms, D = " + std::to_string(t.fits.back().D) + " +- " + std::to_string(t.fits.back().stdError));

    ScopedPhase phase("analyze outputs");
    writeRdfCsv(outDir + "/rdf.csv", results, force);
    writeMsdCsv(outDir + "/msd.csv", results, force);
    writeDiffusionCsv(outDir + "/diffusion.csv", results, force);
    writeRdfPlot(outDir + "/rdf.png", results, force);
    writeMsdPlot(outDir + "/msd.png", results, force);
    writeSummary(outDir + "/summary.md", results, force);
    logInfo("wrote " + outDir + "/rdf.csv, msd.csv, diffusion.csv, rdf.png, msd.png, summary.md");
    return 0;
}

}  // namespace agl::cli
