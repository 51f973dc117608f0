// agl compare: train M models on each of several feature sets (all candidates, an AGL selection, PC/CUR/FPS
// at the same size computed here, any input.nn) and write the paper's comparison table and figures
// (include/agl/compare/compare.hpp, compare_report.hpp).
#include <cctype>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <tuple>

#include "agl/atomic_file.hpp"
#include "agl/compare/compare.hpp"
#include "agl/compare/compare_report.hpp"
#include "agl/compare/cost_matched_set.hpp"
#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/noise_features.hpp"
#include "agl/select/path_report.hpp"
#include "agl/select/path_split.hpp"
#include "agl/timings.hpp"
#include "agl/train/run_state.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "stop_signals.hpp"
#include "train_common.hpp"

namespace agl::cli {
namespace {

namespace fs = std::filesystem;

// A settings-file set: "LABEL:PATH" or "PATH". Label agl → "AGL" (its noise count from a sibling path.json).
struct FileSet {
    std::string label, path;
};

std::string defaultName(const std::string& path) {
    const fs::path p(path);
    std::string stem = p.stem().string();
    if (stem == "selected" && p.has_parent_path() && !p.parent_path().filename().empty())
        stem = p.parent_path().filename().string();  // OUT/selected.nn of agl select/filter: name it OUT
    return stem;
}

FeatureSet loadFileSet(const FeatureTable& table, const FileSet& f) {
    const NnSettings s = readNnSettings(f.path);
    std::string name = f.label.empty() ? defaultName(f.path) : f.label;
    if (name == "agl") name = "AGL";
    FeatureSet set = settingsFeatureSet(table, s, name, f.path);
    if (name == "AGL") {
        const std::string pathJson = (fs::path(f.path).parent_path() / "path.json").string();
        set.reportedNoise = noiseFromPathJson(pathJson);
    }
    return set;
}

std::string fileSafe(const std::string& name) {
    std::string s;
    for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
    return s;
}

}  // namespace

int runCompare(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Compare feature sets: train M models on each (cosine annealing with warm restarts, "
                             "best validation weights), report test RMSE mean +- std, N, N_G5, the test force RMSE "
                             "when the data carry forces, and the measured cost per atom (and the counted one). Writes OUT/compare.md, compare.csv, compare_box.png, "
                             "selection_matrix.png and sets/<name>.nn. An interrupted run resumes from OUT/state/ "
                             "(finished sets are loaded, the running one continues from its checkpoint).");
    options.add_options()
        ("data", "structures (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("nn", "n2p2 settings with ALL candidate functions and the network (input.nn)", cxxopts::value<std::string>())
        ("out", "output directory", cxxopts::value<std::string>())
        ("sets", "comma list: all, pc, cur, fps, agl:PATH.nn, LABEL:PATH.nn or PATH.nn",
         cxxopts::value<std::string>()->default_value("all,pc,cur,fps"))
        ("set", "one more set from an input.nn (repeatable)", cxxopts::value<std::vector<std::string>>())
        ("n,count", "functions per element for pc/cur/fps (default: those of the agl set, else of the first file)",
         cxxopts::value<int>())
        ("match", "size of pc/cur/fps: 'n' (the same number of functions per element as the agl set, else the "
                  "first file; the paper's) or 'cost' (the most functions at no more counted cost, per element: "
                  "terms per atom on the --cost-structures)",
         cxxopts::value<std::string>()->default_value("n"))
        ("models", "models per set (M)", cxxopts::value<int>()->default_value("4"))
        ("seed", "model m starts from seed + m; also the noise and CUR row-subset seed",
         cxxopts::value<std::uint64_t>()->default_value("1"))
        ("add-noise-features", "append K |Gaussian| noise columns per element (all sets choose among them)",
         cxxopts::value<int>()->default_value("0"))
        ("restarts", "warm restarts of the cosine schedule (12: the paper's 8191 epochs)",
         cxxopts::value<int>()->default_value("12"))
        ("lr", "base learning rate (also --learning-rate)", cxxopts::value<double>()->default_value("1e-3"))
        ("batch", std::string(kBatchHelp) + " (also --batch-size)", cxxopts::value<std::string>()->default_value("auto"))
        ("test-fraction", "share of structures held out for the test RMSE (plus those tagged test)",
         cxxopts::value<double>()->default_value("0.1"))
        ("validation-fraction", "share for validation", cxxopts::value<double>()->default_value("0.1"))
        ("split-seed", "seed of the train/validation/test split", cxxopts::value<std::uint64_t>()->default_value("1"))
        ("cost-structures", "held-out structures (test, then validation) to time the evaluation cost on (0: no cost)",
         cxxopts::value<int>()->default_value("3"))
        ("cost-seconds", "least CPU time per set and part of the cost measurement (fastest pass counts)",
         cxxopts::value<double>()->default_value("0.2"))
        ("no-forces", "do not measure each set's test force error (measured when the data carry reference forces: "
                      "each model's forces on the test structures, CPU)")
        ("energy-unit", "name of the data's energy unit in the report (e.g. eV)",
         cxxopts::value<std::string>()->default_value("energy unit of the data"))
        ("checkpoint-every", "epochs between checkpoints of the set being trained (OUT/state/)",
         cxxopts::value<int>()->default_value("10"))
        ("restart", "discard the saved sets of an earlier run in OUT")
        ("force", "write into a non-empty OUT, overwrite outputs");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    cxxopts::ParseResult args;
    // cxxopts has no one-letter long options: the documented `--n N` is read as --count N. The training
    // options take the spelling of the other commands; the older ones still work.
    const std::vector<OptionSpelling> older = {{"n", "count"}, {"learning-rate", "lr"}, {"batch-size", "batch"}};
    if (!parseCommon(options, argc, argv, args, older)) return 0;
    for (const char* required : {"data", "nn", "out"})
        if (!args.count(required)) {
            logError(std::string("agl compare needs --") + required + " (see agl compare --help)");
            return 2;
        }
    const std::string outDir = args["out"].as<std::string>();
    const bool force = args.count("force") > 0;
    const std::uint64_t seed = args["seed"].as<std::uint64_t>();
    const int noiseCount = positiveIntOption(args, "add-noise-features", true);

    // Which sets, in order: built-ins and files of --sets, then every --set.
    std::vector<std::string> items;
    {
        std::stringstream ss(args["sets"].as<std::string>());
        std::string item;
        while (std::getline(ss, item, ','))
            if (!item.empty()) items.push_back(item);
    }
    if (args.count("set"))
        for (const std::string& p : args["set"].as<std::vector<std::string>>()) items.push_back(p);
    if (items.empty()) throw UsageError("--sets", "no feature set given");

    EvaluateConfig ec;
    ec.models = positiveIntOption(args, "models");
    ec.seed = seed;
    ec.restarts = positiveIntOption(args, "restarts", true);
    const std::string nnPath = args["nn"].as<std::string>();
    const NnSettings candidates = readNnSettings(nnPath);
    networkFromSettings(candidates, nnPath, ec.trainer, false);
    ec.trainer.schedule.baseRate = positiveOption(args, "lr");
    wholeNumberOrAuto(args, "batch");  // checked now, resolved with the data (setBatchSize)
    std::tie(ec.trainer.validationFraction, ec.trainer.testFraction) =
        splitFractions(args, "validation-fraction", "test-fraction");
    ec.trainer.splitSeed = args["split-seed"].as<std::uint64_t>();
    ec.checkpointEvery = positiveIntOption(args, "checkpoint-every");
    const int costCount = positiveIntOption(args, "cost-structures", true);
    const double costSeconds = positiveOption(args, "cost-seconds", true);
    const std::string match = args["match"].as<std::string>();
    if (match != "n" && match != "cost")
        throw UsageError("command line", "--match must be 'n' or 'cost', not '" + match + "'");
    const bool matchCost = match == "cost";
    if (matchCost && args.count("n")) throw UsageError("command line", "--match cost and --n both size the filters");
    if (matchCost && costCount == 0)
        throw UsageError("command line", "--match cost needs --cost-structures > 0 (the cost is counted on them)");

    const std::string stateDir = outDir + "/state";
    if (args.count("restart")) discardRunState(stateDir, "set_");
    // A resumed run's OUT holds only what this run wrote (or what --force allowed it to replace): outputs of a run
    // killed while it wrote them are replaced.
    const bool resuming = fs::exists(stateDir + "/config.json"), replace = force || resuming;
    if (resuming) {
        logInfo("resuming the comparison in " + outDir);
        if (fs::exists(outDir + "/compare.md") && !force)
            throw InputError(outDir + "/compare.md", 0, "this comparison is complete; --force rewrites its outputs");
    } else {
        prepareOutputDir(outDir, force);
    }
    const std::string dataPath = args["data"].as<std::string>();
    const Dataset data = readData(dataSource(args, dataPath));
    FeatureTable table;
    const FeatureOptions fo = deviceOptions(args);
    trainOn(fo, ec.trainer);
    {
        ScopedPhase phase("compare features");
        table = computeFeatures(data, candidates, fo);
    }
    if (noiseCount > 0) {
        addNoiseFeatures(table, noiseCount, seed);
        logInfo("appended " + std::to_string(noiseCount) + " noise features per element (seed " +
                std::to_string(seed) + ")");
    }
    setBatchSize(args, "batch", table, ec.trainer);

    // File sets first (the filters may take their size from them), then everything in the order given.
    std::map<std::size_t, FeatureSet> fileSets;
    std::map<std::size_t, std::string> fileSetPaths;
    const FeatureSet* reference = nullptr;  // what the filters are sized by: the (first) agl set, else the first file
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string& it = items[i];
        if (it == "all" || it == "pc" || it == "cur" || it == "fps") continue;
        FileSet f;
        const auto colon = it.find(':');
        if (colon != std::string::npos && colon > 0 && it.find('/') > colon) {
            f.label = it.substr(0, colon);
            f.path = it.substr(colon + 1);
        } else {
            f.path = it;
        }
        fileSets[i] = loadFileSet(table, f);
        fileSetPaths[i] = f.path;
        if (!reference || (fileSets[i].name == "AGL" && reference->name != "AGL")) reference = &fileSets[i];
    }
    std::vector<int> filterCounts = reference ? countsPerElement(*reference) : std::vector<int>{};
    if (args.count("n")) {
        const int n = args["n"].as<int>();
        if (n < 1) throw UsageError("--n", "must be at least 1");
        filterCounts.assign(table.elements.size(), n);
    }
    const DataSplit split = splitStructures(table, ec.trainer.validationFraction, ec.trainer.testFraction,
                                            ec.trainer.splitSeed);
    std::vector<std::uint32_t> seen = split.train;
    seen.insert(seen.end(), split.validation.begin(), split.validation.end());
    const auto costStructures = heldOutStructuresForCost(data, table, ec.trainer, costCount);
    // Said before the sets train (a long run can be stopped and started right) and again in compare.md.
    std::vector<std::string> warnings;
    for (const auto& [i, set] : fileSets)
        if (const std::string w = selectionTestSetProblem(set.name, fileSetPaths.at(i), split.test,
                                                          table.numStructures(), "compare --split-seed");
            !w.empty())
            logWarn("compare: " + warnings.emplace_back(w));
    std::vector<FeatureSet> sets;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string& it = items[i];
        if (it == "all") {
            sets.push_back(allFeaturesSet(table));
        } else if (it == "pc" || it == "cur" || it == "fps") {
            if (filterCounts.empty())
                throw UsageError("--sets", "'" + it + "' needs a size: give --n N or an agl:PATH.nn set");
            if (matchCost)
                sets.push_back(costMatchedFilterSet(table, candidates, filters::parseMethod(it), *reference, seen,
                                                    costStructures, seed));
            else
                sets.push_back(filterFeatureSet(table, filters::parseMethod(it), filterCounts, seen, seed));
        } else {
            sets.push_back(fileSets.at(i));
        }
    }

    CompareOptions co;
    co.evaluate = ec;
    co.measureCost = costCount > 0;
    co.costMinSeconds = costSeconds;
    co.stateDir = stateDir;
    if (!args.count("no-forces")) co.forceData = &data;
    const CompareResult result = [&] {
        StopSignals signals;  // Ctrl-C: the running set checkpoints, agl::Interrupted, exit 130
        co.evaluate.stopRequested = StopSignals::requested;
        return compareFeatureSets(table, candidates, sets, costStructures, co);
    }();

    CompareInfo info;
    info.warnings = warnings;
    info.data = dataPath + " (" + std::to_string(data.structures.size()) + " structures)";
    info.candidates = nnPath;
    info.energyUnit = args["energy-unit"].as<std::string>();
    info.models = ec.models;
    info.epochs = scheduleEpochs(ec);
    writeCompareCsv(outDir + "/compare.csv", table, result, replace);
    writeComparePlots(outDir, table, result, replace);
    prepareOutputDir(outDir + "/sets", replace);
    std::map<std::string, int> used;  // two sets of one name get NAME.nn and NAME_2.nn
    for (const CompareRow& row : result.rows) {
        const std::string base = fileSafe(row.set.name);
        const int n = ++used[base];
        writeNnSettings(outDir + "/sets/" + base + (n > 1 ? "_" + std::to_string(n) : "") + ".nn",
                        selectedSettings(candidates, table, row.set.columns), replace);
    }
    writeCompareMarkdown(outDir + "/compare.md", table, result, info, replace);  // last: marks the run complete
    std::cout << compareMarkdown(table, result, info);
    logInfo("wrote " + outDir + "/compare.md, compare.csv, compare_box.png, selection_matrix.png, sets/");
    return 0;
}

}  // namespace agl::cli
