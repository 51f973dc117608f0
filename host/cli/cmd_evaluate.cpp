// agl evaluate: the final test of a feature set (paper Tables SV–SVII): M models from different seeds, all
// in one batched Trainer, cosine annealing with warm restarts; prints test RMSE mean ± std, N and N_G5.
// With --state DIR the run checkpoints into DIR and continues from there when started again.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/compare/test_forces.hpp"
#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/select/evaluate.hpp"
#include "agl/select/path_split.hpp"
#include "agl/statistics.hpp"
#include "agl/timings.hpp"
#include "agl/train/training_data.hpp"
#include "agl/train/run_state.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "stop_signals.hpp"
#include "train_common.hpp"

namespace agl::cli {

int runEvaluate(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Train M models from different seeds on a feature set (cosine annealing with warm "
                             "restarts) and report the test RMSE mean and std, N and N_G5.");
    options.add_options()
        ("set", "n2p2 settings with the feature set (e.g. selected.nn)", cxxopts::value<std::string>())
        ("data", "structures (n2p2 input.data or extended XYZ); Test-tagged ones form the test set",
         cxxopts::value<std::string>())
        ("models", "number of models M", cxxopts::value<int>()->default_value("4"))
        ("seed", "model m starts from seed + m; also the split", cxxopts::value<std::uint64_t>()->default_value("1"))
        ("lr", "initial learning rate of each period", cxxopts::value<double>()->default_value("1e-3"))
        ("min-lr", "minimum learning rate", cxxopts::value<double>()->default_value("1e-8"))
        ("restarts", "number of warm restarts", cxxopts::value<int>()->default_value("12"))
        ("first-period", "epochs of the first period", cxxopts::value<double>()->default_value("1"))
        ("period-factor", "period growth after each restart", cxxopts::value<double>()->default_value("2"))
        ("batch", kBatchHelp, cxxopts::value<std::string>()->default_value("auto"))
        ("validation-fraction", "held out for choosing the best epoch", cxxopts::value<double>()->default_value("0.1"))
        ("test-fraction", "test share of the untagged structures", cxxopts::value<double>()->default_value("0.1"))
        ("json", "also write the result to this JSON file", cxxopts::value<std::string>())
        ("state", "keep the training state in this folder (a checkpoint every --checkpoint-every epochs): run "
         "again with the same folder to continue an interrupted evaluation", cxxopts::value<std::string>())
        ("checkpoint-every", "epochs between checkpoints (with --state)", cxxopts::value<int>()->default_value("10"))
        ("no-forces", "do not measure the test force error (measured when the test structures have reference "
                      "forces: each model's forces on the CPU)")
        ("force", "overwrite the JSON file");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    for (const char* required : {"set", "data"})
        if (!args.count(required)) {
            logError(std::string("agl evaluate needs --") + required + " (see agl evaluate --help)");
            return 2;
        }
    EvaluateConfig ec;
    TrainerConfig& tc = ec.trainer;
    wholeNumberOrAuto(args, "batch");  // checked now, resolved with the data (setBatchSize)
    std::tie(tc.validationFraction, tc.testFraction) = splitFractions(args, "validation-fraction", "test-fraction");
    ec.seed = args["seed"].as<std::uint64_t>();
    tc.splitSeed = ec.seed;
    tc.shuffleSeed = ec.seed + 1;
    tc.schedule.baseRate = positiveOption(args, "lr");
    ec.minRate = positiveOption(args, "min-lr", true);
    ec.restarts = positiveIntOption(args, "restarts", true);
    ec.firstPeriod = positiveOption(args, "first-period");
    ec.multiplier = positiveOption(args, "period-factor");
    if (ec.multiplier < 1.0) throw UsageError("command line", "--period-factor must be >= 1");
    ec.models = positiveIntOption(args, "models");
    ec.checkpointEvery = positiveIntOption(args, "checkpoint-every");

    const NnSettings settings = readNnSettings(args["set"].as<std::string>());
    FeatureTable table;
    double featureSeconds = 0.0;
    std::size_t atoms = 0;
    const FeatureOptions fo = deviceOptions(args);
    Dataset data;
    {
        ScopedPhase phase("evaluate features");
        const std::string dataPath = args["data"].as<std::string>();
        data = readData(dataSource(args, dataPath));
        const auto t0 = std::chrono::steady_clock::now();
        table = computeFeatures(data, settings, fo);
        featureSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        for (std::uint32_t n : table.numAtoms) atoms += n;
    }
    trainOn(fo, tc);
    networkFromSettings(settings, args["set"].as<std::string>(), tc, false);
    setBatchSize(args, "batch", table, tc);
    const std::string setPath = args["set"].as<std::string>();
    const DataSplit split = splitStructures(table, tc.validationFraction, tc.testFraction, tc.splitSeed);
    // Kept for --json too: a result read later (or run with -q) must still say its test set is not independent.
    const std::string testSetWarning =
        selectionTestSetProblem("the set", setPath, split.test, table.numStructures(), "evaluate --seed");
    if (!testSetWarning.empty()) logWarn("evaluate: " + testSetWarning);
    if (args.count("state")) {
        const std::string dir = args["state"].as<std::string>();
        claimStateDir(dir, {{"format", "agl-evaluate-state-1"},
                            {"table", tableFingerprint(table)},
                            {"evaluate", evaluateIdentityJson(ec)}});
        ec.checkpointPath = dir + "/checkpoint.ckpt";  // a finished run's last checkpoint: a rerun only reports
    }

    EvaluateResult r = [&] {
        StopSignals signals;  // Ctrl-C: a checkpoint (with --state), agl::Interrupted, exit 130
        ec.stopRequested = StopSignals::requested;
        return evaluateFeatureSet(table, ec);
    }();
    if (!args.count("no-forces")) {
        measureTestForces(r, settings, data);
        if (r.testForceRmse.empty()) logInfo("evaluate: the test structures have no reference forces: no force error");
    }
    const std::vector<double>& forceRmse = r.testForceRmse;
    const double referenceRms = r.referenceForceRms;
    const double usPerAtom = atoms ? 1e6 * featureSeconds / double(atoms) : 0.0;
    std::printf("N %d  N_G5 %d  test RMSE %.6g +- %.6g (per atom, %d models, %d epochs)\n", r.numFeatures,
                r.numAngular, r.mean, r.std, ec.models, r.totalEpochs);
    const MeanStd forces = forceRmse.empty() ? MeanStd{} : meanAndSampleStd(forceRmse);
    if (!forceRmse.empty())
        std::printf("test force RMSE %.6g +- %.6g (per component, against reference forces of RMS %.6g; trained "
                    "on energies only)\n", forces.mean, forces.std, referenceRms);
    for (std::size_t m = 0; m < r.testRmse.size(); ++m) {
        std::printf("  model %zu (seed %llu): test RMSE %.6g, validation RMSE %.6g", m,
                    static_cast<unsigned long long>(ec.seed + m), r.testRmse[m], r.validationRmse[m]);
        if (!forceRmse.empty()) std::printf(", test force RMSE %.6g", forceRmse[m]);
        std::printf("\n");
    }
    std::printf("feature cost: %.3g us per atom (%s)\n", usPerAtom, args["device"].as<std::string>().c_str());
    if (args.count("json")) {
        nlohmann::json j{{"set", args["set"].as<std::string>()},
                         {"N", r.numFeatures},
                         {"N_G5", r.numAngular},
                         {"testRmseMean", r.mean},
                         {"testRmseStd", r.std},
                         {"testRmse", r.testRmse},
                         {"validationRmse", r.validationRmse},
                         {"epochs", r.totalEpochs},
                         {"featureMicrosecondsPerAtom", usPerAtom}};
        if (!forceRmse.empty()) {
            j["testForceRmse"] = forceRmse;
            j["testForceRmseMean"] = forces.mean;
            j["testForceRmseStd"] = forces.std;
            j["testReferenceForceRms"] = referenceRms;
        }
        if (!testSetWarning.empty()) j["testSetWarning"] = testSetWarning;
        AtomicFile file(args["json"].as<std::string>(), args.count("force") > 0);
        file.stream() << j.dump(2) << "\n";
        file.commit();
    }
    return 0;
}

}  // namespace agl::cli
