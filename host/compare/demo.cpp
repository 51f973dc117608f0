// agl demo: data → features → AGL path → filters → comparison (include/agl/compare/demo.hpp).
#include "agl/compare/demo.hpp"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "agl/atomic_file.hpp"
#include "agl/compare/compare.hpp"
#include "agl/compare/compare_report.hpp"
#include "agl/compare/path_costs.hpp"
#include "agl/device.hpp"
#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/md/lj_data.hpp"
#include "agl/paper_sets.hpp"
#include "agl/select/lambda_path.hpp"
#include "agl/select/path_report.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/select/suggestion.hpp"
#include "agl/timings.hpp"
#include "agl/train/input_scaling.hpp"
#include "agl/train/training_data.hpp"

namespace agl {

namespace fs = std::filesystem;

namespace {

const char* kDataName = "lj-small.data";

// Wall and process CPU time since the demo started, for the progress lines and the final summary.
class Clock {
public:
    double wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0_).count(); }
    double cpu() const { return double(std::clock() - cpu0_) / CLOCKS_PER_SEC; }
    std::string stamp() const {
        std::ostringstream s;
        s.precision(3);
        s << "[" << wall() << " s wall, " << cpu() << " s cpu]";
        return s.str();
    }

private:
    std::chrono::steady_clock::time_point wall0_ = std::chrono::steady_clock::now();
    std::clock_t cpu0_ = std::clock();
};

void stage(const Clock& clock, int index, const std::string& what) {
    logInfo("demo [" + std::to_string(index) + "/5] " + what + " " + clock.stamp());
}

TrainerConfig demoTrainer(const NnSettings& settings, const DemoPlan& plan, std::uint64_t seed,
                          const FeatureOptions& device) {
    TrainerConfig c;
    c.device = device.device;  // the networks train where the features were computed
    c.precision = device.precision;
    setNetwork(c, settings);
    c.batchSize = plan.batchSize;
    c.validationFraction = plan.validationFraction;
    c.testFraction = plan.testFraction;
    c.splitSeed = seed;
    c.shuffleSeed = seed + 1;
    c.schedule.baseRate = plan.learningRate;
    c.patience = plan.patience;
    return c;
}

Dataset demoData(const std::string& path, const DemoPlan& plan, std::uint64_t seed) {
    if (fs::exists(path)) {
        logInfo("demo: reusing " + path);
    } else {
        md::LjProtocol protocol = md::ljProtocol("small");
        protocol.samplesPerState = plan.samplesPerState;
        logInfo("demo: generating " + std::to_string(protocol.numStructures()) + " LJ structures (" +
                std::to_string(protocol.states.size()) + " state points, NVT MD) -> " + path);
        md::generateLjData(protocol, path, seed, false, 0);
    }
    return readDataset(path);
}

// The AGL path with its outputs in selectDir (each set timed on costStructures); returns the suggested point
// (throws when there is none).
PathPoint selectFeatures(const FeatureTable& table, const NnSettings& settings, const TrainerConfig& trainer,
                         const DemoPlan& plan, std::uint64_t seed, const std::vector<const Structure*>& costStructures,
                         const std::string& selectDir, bool force) {
    const std::vector<std::uint64_t> seeds = pathSeeds(seed, plan.lambdas);
    LambdaPathOptions lo;
    lo.count = plan.lambdas;
    lo.probeEpochs = plan.probeEpochs;
    const std::vector<double> lambdas = resolveLambdaPath(table, trainer, seeds, lo);
    SelectConfig sc;
    sc.trainer = trainer;
    sc.epochsGl = plan.epochsGl;
    sc.epochsAgl = plan.epochsAgl;
    sc.epochsRefit = plan.epochsRefit;
    const SelectionPath path = runSelectionPath(table, sc, lambdas, seeds);
    PathReportInfo info;
    info.tolerance = plan.tolerance;
    info.suggested = suggestPoint(path.points, plan.tolerance);
    info.learningRate = plan.learningRate;
    info.split = pathSplit(table, trainer);
    info.lambdaRule = std::to_string(plan.lambdas) + " log-spaced values from the estimated lambda_max (probe " +
                      std::to_string(plan.probeEpochs) + " epochs) down to lambda_max / 1000";
    measurePathCosts(settings, table, path, costStructures, CompareOptions{}.costMinSeconds, info);
    prepareOutputDir(selectDir, force);
    writePathCsv(selectDir + "/path.csv", table, path, info, force);
    writePathJson(selectDir + "/path.json", table, path, info, force);
    writePathPlots(selectDir, table, path, info, force);
    if (info.suggested < 0) throw Error("demo: the AGL path suggested no feature set (every point empty?)");
    const PathPoint& p = path.points[std::size_t(info.suggested)];
    const NnSettings selected = selectedSettings(settings, table, p.selected);
    writeNnSettings(selectDir + "/selected.nn", selected, force);
    const std::string potentialDir = selectDir + "/potential";
    prepareOutputDir(potentialDir, force);
    writeNnSettings(potentialDir + "/input.nn", potentialSettings(selected), force);
    writePotential(potentialDir, subsetPotential(path.archs, path.scaling, p.refit.weights, p.selected), force);
    return p;
}

}  // namespace

DemoPlan demoPlan(bool quick) {
    DemoPlan plan;
    if (quick) {
        plan.lambdas = 8;
        plan.probeEpochs = 5;
        plan.epochsGl = plan.epochsAgl = plan.epochsRefit = 20;
        plan.models = 2;
        plan.restarts = 3;  // 15 epochs
    }
    return plan;
}

void checkDemoOutputDir(const std::string& dir, bool force) {
    if (force || !fs::exists(dir)) return;
    if (!fs::is_directory(dir)) throw InputError(dir, 0, "exists and is not a directory; choose another --out");
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name == kDataName || name == std::string(kDataName) + ".parts") continue;
        throw InputError(dir, 0, "exists and holds '" + name +
                                     "' (an earlier demo?); use --force to overwrite or choose another --out "
                                     "(only " + kDataName + " is reused without --force)");
    }
}

DemoResult runDemo(const DemoOptions& options) {
    ScopedPhase phase("demo");
    checkDemoOutputDir(options.out, options.force);
    fs::create_directories(options.out);
    const DemoPlan plan = demoPlan(options.quick);
    const Clock clock;
    DemoResult result;
    result.dataPath = options.out + "/" + kDataName;
    result.selectDir = options.out + "/select";
    result.compareDir = options.out + "/compare";
    result.potentialDir = result.selectDir + "/potential";

    stage(clock, 1, "data");
    const Dataset data = demoData(result.dataPath, plan, options.seed);

    stage(clock, 2, "features: the paper's 22 LJ candidates");
    const std::string nnPath = options.out + "/input.nn";
    {
        AtomicFile nn(nnPath, options.force);
        nn.stream() << paperLjSettingsText();
        nn.commit();
    }
    const NnSettings settings = readNnSettings(nnPath);
    FeatureOptions fo;
    fo.device = resolveDevice(options.device);
    fo.precision = parsePrecision(options.precision);
    const FeatureTable table = computeFeatures(data, settings, fo);
    const TrainerConfig trainer = demoTrainer(settings, plan, options.seed, fo);

    stage(clock, 3, "AGL path: " + std::to_string(plan.lambdas) + " lambda, GL/AGL/refit up to " +
                        std::to_string(plan.epochsGl) + "/" + std::to_string(plan.epochsAgl) + "/" +
                        std::to_string(plan.epochsRefit) + " epochs");
    // to time the sets of the path and of the comparison on
    const auto costStructures = heldOutStructuresForCost(data, table, trainer, plan.costStructures);
    const PathPoint suggested =
        selectFeatures(table, settings, trainer, plan, options.seed, costStructures, result.selectDir, options.force);
    result.suggestedFeatures = suggested.numSelected;
    logInfo("demo: AGL suggests " + std::to_string(suggested.numSelected) + " features (" +
            std::to_string(suggested.numAngular) + " angular) at lambda " + std::to_string(suggested.lambda));

    stage(clock, 4, "filters PC, CUR, FPS at the same size");
    FeatureSet agl;
    agl.name = "AGL";
    agl.source = result.selectDir + "/selected.nn (suggested point of the path)";
    agl.columns = suggested.selected;
    const DataSplit split =
        splitStructures(table, trainer.validationFraction, trainer.testFraction, trainer.splitSeed);
    std::vector<std::uint32_t> seen = split.train;
    seen.insert(seen.end(), split.validation.begin(), split.validation.end());
    std::vector<FeatureSet> sets{allFeaturesSet(table), agl};
    for (filters::Method m : {filters::Method::Pc, filters::Method::Cur, filters::Method::Fps})
        sets.push_back(filterFeatureSet(table, m, countsPerElement(agl), seen, options.seed));

    stage(clock, 5, "compare: " + std::to_string(sets.size()) + " sets x " + std::to_string(plan.models) + " models");
    CompareOptions co;
    co.evaluate.trainer = trainer;
    co.evaluate.models = plan.models;
    co.evaluate.seed = options.seed + 1000;
    co.evaluate.restarts = plan.restarts;
    const CompareResult compared = compareFeatureSets(table, settings, sets, costStructures, co);
    CompareInfo info;
    info.data = result.dataPath + " (" + std::to_string(data.structures.size()) + " structures, " +
                std::to_string(data.numAtoms()) + " atoms)";
    info.candidates = nnPath + " (the paper's Table SII)";
    info.energyUnit = "ε";
    info.models = plan.models;
    info.epochs = scheduleEpochs(co.evaluate);
    prepareOutputDir(result.compareDir, options.force);
    writeCompareMarkdown(result.compareDir + "/compare.md", table, compared, info, options.force);
    writeCompareCsv(result.compareDir + "/compare.csv", table, compared, options.force);
    writeComparePlots(result.compareDir, table, compared, options.force);
    result.table = compareMarkdown(table, compared, info);
    logInfo("demo: done " + clock.stamp());
    return result;
}

}  // namespace agl
