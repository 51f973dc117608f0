// agl select: Adaptive Group Lasso feature selection along a λ path (include/agl/select/): computes the
// features, trains the GL, AGL and refit stages of every λ at once, times each selected set's evaluation cost,
// suggests a set and writes the report, selected.nn and the refit potential of the suggested set
// (OUT/potential/). Interrupted runs resume from OUT/state/ (finished stages are loaded, a running stage
// continues from its checkpoint).
#include <cmath>
#include <filesystem>
#include <sstream>

#include "agl/atomic_file.hpp"
#include "agl/compare/compare.hpp"
#include "agl/compare/evaluation_work.hpp"
#include "agl/compare/path_costs.hpp"
#include "agl/compare/path_forces.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/noise_features.hpp"
#include "agl/select/lambda_path.hpp"
#include "agl/select/path_report.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/select/suggestion.hpp"
#include "agl/timings.hpp"
#include "agl/train/lr_finder.hpp"
#include "agl/train/run_state.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "stop_signals.hpp"
#include "train_common.hpp"

namespace agl::cli {
namespace {

std::vector<double> parseList(const std::string& text, const char* option) {
    std::vector<double> v;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
        try {
            v.push_back(std::stod(item));
        } catch (const std::exception&) {
            throw UsageError(option, "not a number: '" + item + "'");
        }
    return v;
}

// The rate of --lr, or 0 for 'find' (the learning-rate range test); InputError for anything else.
double fixedLearningRate(const cxxopts::ParseResult& args) {
    const std::string lr = args["lr"].as<std::string>();
    if (lr == "find" || lr == "lr-find") return 0.0;
    const std::vector<double> rates = parseList(lr, "--lr");
    if (rates.size() != 1 || !(rates[0] > 0.0) || !std::isfinite(rates[0]))
        throw UsageError("command line", "--lr must be 'find' or one finite rate > 0, not '" + lr + "'");
    return rates[0];
}

// Every numeric option in range (InputError naming it), so that a typo fails at once, not after the features.
void checkSelectOptions(const cxxopts::ParseResult& args) {
    for (const char* positive : {"epochs-gl", "epochs-agl", "epochs-refit", "lambdas", "refit-seeds"})
        positiveIntOption(args, positive);
    for (const char* nonNegative : {"probe-epochs", "add-noise-features", "cost-structures", "force-structures"})
        positiveIntOption(args, nonNegative, true);
    positiveOption(args, "cost-seconds", true);
    if (const int folds = positiveIntOption(args, "refit-folds", true); folds == 1)
        throw UsageError("command line", "--refit-folds must be 0 (off) or at least 2");
    positiveOption(args, "tolerance", true);
    if (const std::string by = args["suggest-by"].as<std::string>(); by != "features" && by != "work")
        throw UsageError("command line", "--suggest-by must be 'features' or 'work', not '" + by + "'");
    if (args["suggest-by"].as<std::string>() == "work" && args["cost-structures"].as<int>() == 0)
        throw UsageError("command line",
                         "--suggest-by work needs --cost-structures > 0 (the work is counted on those structures)");
    positiveOption(args, "min-improvement", true);
    if (!(positiveOption(args, "lambda-ratio") <= 1.0))
        throw UsageError("command line", "--lambda-ratio must be at most 1 (lambda-min = lambda-max * ratio)");
    for (const char* lambda : {"lambda-min", "lambda-max"})
        if (args.count(lambda)) positiveOption(args, lambda);
    splitFractions(args, "validation-fraction", "test-fraction");
    fixedLearningRate(args);
    for (const char* countOrAuto : {"batch", "patience"}) wholeNumberOrAuto(args, countOrAuto);
}

// When refits of one feature set along the path differ by more than the tolerance, the suggestion is within
// that noise: say so, and what helps.
void warnWhenWithinNoise(const PathReportInfo& info) {
    const RefitSpread& s = info.refitSpread;
    if (!(s.relative > info.tolerance)) return;
    const std::string seeds =
        info.refitFolds >= 2 ? "mean of " + std::to_string(info.refitFolds) + " cross-validation folds each"
        : info.refitSeeds == 1 ? std::string("one seed each")
                               : "mean of " + std::to_string(info.refitSeeds) + " seeds each";
    logWarn("refits of the same " + std::to_string(s.numFeatures) + "-feature set (" + std::to_string(s.numPoints) +
            " lambdas, " + seeds + ") differ by " + significant(100 * s.relative, 3) +
            " %, more than the suggestion's tolerance of " + significant(100 * info.tolerance, 3) +
            " %: the suggestion is within that noise; rerun with more --refit-seeds or with --refit-folds, or check it "
            "and its neighbours with agl compare");
}

// "0.0083 ± 0.0015 (mean ± std of 3 refits; kept 0.0067)", or the one refit's RMSE; then, when
// cross-validated, "; cross-validated 0.0091 ± 0.0012 (5 folds)".
std::string refitSummary(const PathPoint& p) {
    std::string s = p.refitRmses.size() < 2
                        ? significant(p.refit.validationRmse)
                        : significant(p.refitRmseMean()) + " ± " + significant(p.refitRmseStd(), 2) + " (mean ± std of " +
                              std::to_string(p.refitRmses.size()) + " refits; kept " +
                              significant(p.refit.validationRmse) + ")";
    if (!p.cvRmses.empty())
        s += "; cross-validated " + significant(p.suggestionRmse()) + " ± " + significant(p.suggestionRmseStd(), 2) +
             " (" + std::to_string(p.cvRmses.size()) + " folds)";
    return s;
}

// "; energy and forces 12.3 us/atom, 2.84x faster than all candidates; counted cost 0.31 of all (96.4 radial +
// 1.14e+03 angular terms per atom)", or "" when point k was not timed.
std::string costSummary(const PathReportInfo& info, std::size_t k) {
    const EvaluationCost* c = pointCost(info, k);
    if (!c) return "";
    return "; energy and forces " + significant(c->forceMicroseconds, 3) + " us/atom, " +
           significant(1.0 / costRatio(info, *c), 3) + "x faster than all candidates; counted cost " +
           significant(countedCost(c->work) / countedCost(info.allCost.work), 2) + " of all (" +
           significant(c->work.radialTerms, 3) + " radial + " + significant(c->work.angularTerms, 3) +
           " angular terms per atom)";
}

}  // namespace

int runSelect(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Adaptive Group Lasso feature selection: GL, AGL and refit along a lambda path, all "
                             "lambdas trained at once. Writes OUT/path.csv, path.json, rmse_vs_features.png, "
                             "rmse_vs_cost.png, selection_matrix.png, selected.nn and potential/ (n2p2 files of the "
                             "suggested set); path.csv/json also give each set's measured cost (energy and forces "
                             "per atom), its speed-up and its counted work (terms per atom, deterministic).");
    options.add_options()
        ("data", "structures (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("nn", "n2p2 settings with the candidate symmetry functions (input.nn)", cxxopts::value<std::string>())
        ("out", "output directory", cxxopts::value<std::string>())
        ("lambdas", "number K of lambda values on the path", cxxopts::value<int>()->default_value("16"))
        ("lambda-min", "lower end of the path (default lambda-max * ratio)", cxxopts::value<double>())
        ("lambda-max", "upper end (default: found automatically, every feature removed)", cxxopts::value<double>())
        ("lambda-ratio", "lambda-min / lambda-max when lambda-min is not given",
         cxxopts::value<double>()->default_value("1e-3"))
        ("lambda-values", "the whole path as a comma list (overrides the other lambda options)",
         cxxopts::value<std::string>())
        ("probe-epochs", "epochs of the lambda-max probe (0: gradient rule only)",
         cxxopts::value<int>()->default_value("30"))
        ("epochs-gl", "epoch cap of the GL stage", cxxopts::value<int>()->default_value("1000"))
        ("epochs-agl", "epoch cap of the AGL stage", cxxopts::value<int>()->default_value("10000"))
        ("epochs-refit", "epoch cap of the refit stage", cxxopts::value<int>()->default_value("1000"))
        ("refit-seeds", "refits per lambda (the warm start from AGL plus cold starts); the suggestion ranks their "
         "mean, the best is kept", cxxopts::value<int>()->default_value("1"))
        ("refit-folds", "0: off; F >= 2: also refit every lambda's set F times, fold f held out (cold starts, all "
         "non-test structures); the suggestion ranks the mean of the F fold RMSEs (small data)",
         cxxopts::value<int>()->default_value("0"))
        ("patience", kPatienceHelp, cxxopts::value<std::string>()->default_value("auto"))
        ("min-improvement", "early stopping: smallest improvement", cxxopts::value<double>()->default_value("1e-7"))
        ("batch", kBatchHelp, cxxopts::value<std::string>()->default_value("auto"))
        ("lr", "learning rate, or 'find' (learning-rate range test)",
         cxxopts::value<std::string>()->default_value("find"))
        ("validation-fraction", "share of the structures held out for validation",
         cxxopts::value<double>()->default_value("0.1"))
        ("test-fraction", "share held out as test set, never used here (as in evaluate and compare: with the "
                          "same --seed as their --split-seed, their test structures are ones the selection never saw)",
         cxxopts::value<double>()->default_value("0.1"))
        ("seed", "seed of the models (model k: seed + k), the split and the noise features",
         cxxopts::value<std::uint64_t>()->default_value("1"))
        ("tolerance", "suggestion: refit RMSE within this fraction of the best",
         cxxopts::value<double>()->default_value("0.1"))
        ("suggest-by", "suggestion: the smallest set within the tolerance by 'features' (their number, the "
                       "paper's) or by 'work' (the counted cost of energy and forces: terms per atom on the "
                       "--cost-structures, deterministic)",
         cxxopts::value<std::string>()->default_value("features"))
        ("no-forces", "do not measure the refits' force error on the validation structures (measured when the data "
                      "carry reference forces: path.csv validation_force_rmse)")
        ("force-structures", "validation structures (the first of the split) to measure the refits' force error on",
         cxxopts::value<int>()->default_value("100"))
        ("cost-structures", "held-out structures to time each set's evaluation cost (speed-up) on; 0: not timed",
         cxxopts::value<int>()->default_value("3"))
        ("cost-seconds", "least CPU time per set and part of the cost measurement (fastest pass counts)",
         cxxopts::value<double>()->default_value("0.2"))
        ("add-noise-features", "append K |Gaussian| noise columns per element (confounding test)",
         cxxopts::value<int>()->default_value("0"))
        ("restart", "discard the saved stages of an earlier run in OUT")
        ("force", "write into a non-empty OUT, overwrite outputs");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    for (const char* required : {"data", "nn", "out"})
        if (!args.count(required)) {
            logError(std::string("agl select needs --") + required + " (see agl select --help)");
            return 2;
        }
    checkSelectOptions(args);  // before anything is discarded or computed
    const std::string outDir = args["out"].as<std::string>(), stateDir = outDir + "/state";
    const bool force = args.count("force") > 0;
    if (args.count("restart")) discardRunState(stateDir, "stage_");
    // A resumed run's OUT holds only what this run wrote (or what --force allowed it to replace): outputs of a run
    // killed while it wrote them are replaced.
    const bool resuming = std::filesystem::exists(stateDir + "/config.json"), replace = force || resuming;
    if (resuming) {
        logInfo("resuming the selection run in " + outDir);
        if (std::filesystem::exists(outDir + "/path.json") && !force)
            throw InputError(outDir + "/path.json", 0, "this run is complete; --force rewrites its outputs");
    } else {
        prepareOutputDir(outDir, force);
    }
    const std::uint64_t seed = args["seed"].as<std::uint64_t>();

    const NnSettings settings = readNnSettings(args["nn"].as<std::string>());
    Dataset data;  // kept: the sets' costs are timed on some of its structures
    FeatureTable table;
    const FeatureOptions fo = deviceOptions(args);
    {
        ScopedPhase phase("select features");
        const std::string dataPath = args["data"].as<std::string>();
        data = readData(dataSource(args, dataPath));
        table = computeFeatures(data, settings, fo);
    }
    const int noiseCount = args["add-noise-features"].as<int>();
    if (noiseCount > 0) {
        addNoiseFeatures(table, noiseCount, seed);
        logInfo("appended " + std::to_string(noiseCount) + " noise features per element");
    }

    SelectConfig config;
    TrainerConfig& tc = config.trainer;
    trainOn(fo, tc);
    networkFromSettings(settings, args["nn"].as<std::string>(), tc, false);
    tc.validationFraction = args["validation-fraction"].as<double>();
    tc.testFraction = args["test-fraction"].as<double>();
    tc.splitSeed = seed;
    tc.shuffleSeed = seed + 1;
    setBatchSize(args, "batch", table, tc);
    setPatience(args, tc);
    tc.minImprovement = args["min-improvement"].as<double>();
    config.epochsGl = args["epochs-gl"].as<int>();
    config.epochsAgl = args["epochs-agl"].as<int>();
    config.epochsRefit = args["epochs-refit"].as<int>();
    config.refitSeeds = args["refit-seeds"].as<int>();
    config.refitFolds = args["refit-folds"].as<int>();
    // Enough structures for the folds? Asked now, before the path trains for minutes (Error naming the counts).
    if (config.refitFolds >= 2) crossValidationSplit(table, tc.testFraction, tc.splitSeed, config.refitFolds, 0);
    config.stateDir = stateDir;

    if (const double rate = fixedLearningRate(args); rate > 0.0) {
        tc.schedule.baseRate = rate;
    } else {
        ScopedPhase phase("learning-rate range test");
        ModelSpec probe;
        probe.seed = seed;
        const LrRangeTestResult r = lrRangeTest(table, tc, probe);
        tc.schedule.baseRate = r.suggestedRate;
        logInfo("learning-rate range test: steepest descent at " + significant(r.suggestedRate) +
                ", divergence at " + significant(r.divergenceRate));
    }

    LambdaPathOptions lo;
    lo.count = args["lambdas"].as<int>();
    lo.ratio = args["lambda-ratio"].as<double>();
    lo.probeEpochs = args["probe-epochs"].as<int>();
    if (args.count("lambda-min")) lo.lambdaMin = args["lambda-min"].as<double>();
    if (args.count("lambda-max")) lo.lambdaMax = args["lambda-max"].as<double>();
    if (args.count("lambda-values")) lo.lambdas = parseList(args["lambda-values"].as<std::string>(), "--lambda-values");
    std::string rule = "given list";
    if (lo.lambdas.empty()) {
        rule = std::to_string(lo.count) + " log-spaced values from lambda-max (" +
               (lo.lambdaMax > 0 ? std::string("given") : "Adam-normalised gradient rule + probe: every feature removed") +
               ") to lambda-min (" + (lo.lambdaMin > 0 ? std::string("given") : "lambda-max * " + std::to_string(lo.ratio)) +
               ")";
    }
    const std::vector<std::uint64_t> seeds = pathSeeds(seed, lo.lambdas.empty() ? lo.count : int(lo.lambdas.size()));
    const std::vector<double> lambdas = resolveLambdaPath(table, tc, seeds, lo);

    const SelectionPath sp = [&] {
        StopSignals signals;  // Ctrl-C: the running stage checkpoints, agl::Interrupted, exit 130
        config.stopRequested = StopSignals::requested;
        return runSelectionPath(table, config, lambdas, seeds);
    }();

    PathReportInfo info;
    info.split = pathSplit(table, tc);
    if (const int count = args["cost-structures"].as<int>(); count > 0)
        measurePathCosts(settings, table, sp, heldOutStructuresForCost(data, table, tc, count),
                         args["cost-seconds"].as<double>(), info);
    if (const int forceStructures = args["force-structures"].as<int>(); !args.count("no-forces")) {
        std::vector<const Structure*> validation;
        const DataSplit split = splitStructures(table, tc.validationFraction, tc.testFraction, tc.splitSeed);
        for (const std::uint32_t s : split.validation)
            if (int(validation.size()) < forceStructures) validation.push_back(&data.structures.at(s));
        measurePathForces(settings, table, sp, validation, info);
    }
    info.tolerance = args["tolerance"].as<double>();
    info.suggestByWork = args["suggest-by"].as<std::string>() == "work";
    info.suggested =
        suggestPoint(sp.points, info.tolerance, info.suggestByWork ? countedCosts(info) : std::vector<double>{});
    info.refitSpread = equalSetRefitSpread(sp.points);
    info.refitSeeds = config.refitSeeds;
    info.refitFolds = config.refitFolds;
    warnWhenWithinNoise(info);
    info.learningRate = tc.schedule.baseRate;
    info.lambdaRule = rule;
    writePathCsv(outDir + "/path.csv", table, sp, info, replace);
    writePathPlots(outDir, table, sp, info, replace);
    if (info.suggested < 0) {
        writePathJson(outDir + "/path.json", table, sp, info, replace);
        logWarn("no lambda kept a feature with a finite refit error: nothing to suggest");
        return 1;
    }
    const PathPoint& best = sp.points[std::size_t(info.suggested)];
    const NnSettings chosen = selectedSettings(settings, table, best.selected);
    writeNnSettings(outDir + "/selected.nn", chosen, replace);
    bool exportable = best.numNoise == 0;
    for (const auto& cols : best.selected) exportable = exportable && !cols.empty();
    if (exportable) {
        const std::string potDir = outDir + "/potential";
        std::filesystem::create_directories(potDir);
        writeNnSettings(potDir + "/input.nn", potentialSettings(chosen), replace);
        writePotential(potDir, subsetPotential(sp.archs, sp.scaling, best.refit.weights, best.selected), replace);
    } else {
        logWarn("the suggested set holds noise features or leaves an element without features: no potential/ written");
    }
    writePathJson(outDir + "/path.json", table, sp, info, replace);  // last: marks the run complete
    logInfo(std::string(info.suggestByWork ? "suggested (the smallest counted cost within the tolerance)"
                                           : "suggested") +
            ": lambda " + significant(best.lambda) + ", " + std::to_string(best.numSelected) +
            " features (" + std::to_string(best.numAngular) + " angular, " + std::to_string(best.numNoise) +
            " noise), refit validation RMSE " + refitSummary(best) + costSummary(info, std::size_t(info.suggested)));
    if (noiseCount > 0) {
        int maxNoise = 0;
        for (const PathPoint& p : sp.points) maxNoise = std::max(maxNoise, p.numNoise);
        logInfo("noise features kept: " + std::to_string(best.numNoise) + " in the suggested set, at most " +
                std::to_string(maxNoise) + " anywhere on the path");
    }
    return 0;
}

}  // namespace agl::cli
