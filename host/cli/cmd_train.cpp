// agl train: features of a data set → K networks trained at once (AdamW, early stopping on the validation
// set) → training.csv, result.json, checkpoint.ckpt and the best model as an n2p2 potential in DIR/potential.
// SIGINT/SIGTERM finish the current epoch, write a checkpoint and exit 130; --resume continues from the last
// checkpoint with the same options (checked against DIR/run.json).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <tuple>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/error.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/timings.hpp"
#include "agl/train/lr_finder.hpp"
#include "agl/train/trainer.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "stop_signals.hpp"
#include "train_common.hpp"

namespace agl::cli {
namespace {


void writeTrainingCsv(const std::string& path, const Trainer& trainer) {
    AtomicFile f(path, true);
    f.stream() << "model,epoch,learning_rate,train_rmse_per_atom,validation_rmse_per_atom,penalty,"
                  "validation_objective\n";
    char line[256];
    for (std::size_t m = 0; m < trainer.models().size(); ++m)
        for (const EpochMetrics& e : trainer.models()[m].history) {
            std::snprintf(line, sizeof line, "%zu,%d,%.10g,%.10g,%.10g,%.10g,%.10g\n", m, e.epoch, e.learningRate,
                          e.trainRmse, e.validationRmse, e.penalty, e.validationObjective);
            f.stream() << line;
        }
    f.commit();
}

// The options that must not change between a run and its --resume.
nlohmann::json runOptions(const cxxopts::ParseResult& args) {
    nlohmann::json j;
    j["data"] = std::filesystem::absolute(args["data"].as<std::string>()).string();
    j["nn"] = std::filesystem::absolute(args["nn"].as<std::string>()).string();
    j["batch"] = args["batch"].as<std::string>();
    j["lr"] = args["lr"].as<std::string>();
    j["schedule"] = args["schedule"].as<std::string>();
    j["validation"] = args["validation-fraction"].as<double>();  // run.json keeps its keys (resume)
    j["test"] = args["test-fraction"].as<double>();
    j["seed"] = args["seed"].as<std::uint64_t>();
    j["models"] = args["models"].as<int>();
    j["patience"] = args["patience"].as<std::string>();
    return j;
}

double parseRate(const std::string& text) {
    std::size_t used = 0;
    double v = 0.0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || !(v > 0.0) || !std::isfinite(v))
        throw UsageError("command line", "--lr must be a positive number or 'auto', got '" + text + "'");
    return v;
}

void logEpoch(const Trainer& trainer) {
    // The best model of this epoch by validation objective (the only one when K = 1).
    const EpochMetrics* best = nullptr;
    for (const ModelState& st : trainer.models())
        if (!st.history.empty() && st.history.back().epoch == trainer.epoch() &&
            (!best || st.history.back().validationObjective < best->validationObjective))
            best = &st.history.back();
    if (!best) return;
    logInfo("epoch " + std::to_string(best->epoch) + ": train RMSE/atom " + significant(best->trainRmse) +
            ", validation RMSE/atom " + significant(best->validationRmse) + ", lr " + significant(best->learningRate) +
            (trainer.models().size() > 1 ? " (best of " + std::to_string(trainer.numActive()) + " active models)" : ""));
}

}  // namespace

int runTrain(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Train neural network potentials (one network per element, n2p2 layout) on the energies "
                             "of a data set; writes DIR/training.csv, DIR/result.json and the best model as an n2p2 "
                             "potential in DIR/potential. Features and training run on --device (the GPU keeps the features "
                             "resident and trains in --precision; the CPU trains in fp64). "
                             "Ctrl-C finishes the epoch, checkpoints and stops; --resume continues.");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    options.add_options()
        ("data", "structures with reference energies (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("nn", "settings: symmetry functions and network (n2p2 input.nn)", cxxopts::value<std::string>())
        ("out", "output directory", cxxopts::value<std::string>())
        ("epochs", "maximum number of epochs", cxxopts::value<int>()->default_value("1000"))
        ("batch", kBatchHelp, cxxopts::value<std::string>()->default_value("auto"))
        ("lr", "learning rate, or 'auto' (learning-rate range test)", cxxopts::value<std::string>()->default_value("1e-3"))
        ("schedule", "constant, or cosine (annealing with warm restarts: first period 1 epoch, x2 after each)",
         cxxopts::value<std::string>()->default_value("constant"))
        ("validation-fraction", "fraction of structures for validation (early stopping; also --validation)", cxxopts::value<double>()->default_value("0.1"))
        ("test-fraction", "fraction of structures for the final test (plus structures tagged test; also --test)",
         cxxopts::value<double>()->default_value("0.1"))
        ("seed", "seed of the split, the batch order and the initial weights", cxxopts::value<std::uint64_t>()->default_value("1"))
        ("models", "networks trained at once (different initial weights); the best is exported",
         cxxopts::value<int>()->default_value("1"))
        ("patience", kPatienceHelp, cxxopts::value<std::string>()->default_value("auto"))
        ("checkpoint-every", "write DIR/checkpoint.ckpt every N epochs (0: only at the end)",
         cxxopts::value<int>()->default_value("10"))
        ("resume", "continue an interrupted run in DIR from its checkpoint")
        ("stop-after", "stop after epoch N as if interrupted (checkpoint, exit 130; for tests and job limits)",
         cxxopts::value<int>()->default_value("0"))
        ("force", "overwrite an existing output directory");
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args, {{"validation", "validation-fraction"}, {"test", "test-fraction"}}))
        return 0;
    for (const char* required : {"data", "nn", "out"})
        if (!args.count(required)) throw UsageError("command line", std::string("--") + required + " is required");
    const std::string out = args["out"].as<std::string>(), nnPath = args["nn"].as<std::string>();
    const bool resume = args.count("resume") > 0;
    const std::string checkpoint = out + "/checkpoint.ckpt", runJson = out + "/run.json";

    TrainerConfig config;
    const NnSettings settings = readNnSettings(nnPath);
    networkFromSettings(settings, nnPath, config);
    wholeNumberOrAuto(args, "batch");  // checked now, resolved with the data (setBatchSize)
    config.maxEpochs = positiveIntOption(args, "epochs");
    setPatience(args, config);
    std::tie(config.validationFraction, config.testFraction) = splitFractions(args, "validation-fraction", "test-fraction");
    const std::uint64_t seed = args["seed"].as<std::uint64_t>();
    config.splitSeed = seed;
    config.shuffleSeed = seed + 1;
    const std::string schedule = args["schedule"].as<std::string>();
    if (schedule == "cosine") config.schedule.kind = LrScheduleKind::CosineRestarts;
    else if (schedule != "constant")
        throw UsageError("command line", "--schedule must be constant or cosine, got '" + schedule + "'");
    const int numModels = positiveIntOption(args, "models");
    config.checkpointEvery = positiveIntOption(args, "checkpoint-every", true);
    config.checkpointPath = checkpoint;
    const std::string lrText = args["lr"].as<std::string>();
    if (lrText != "auto") config.schedule.baseRate = parseRate(lrText);
    std::vector<ModelSpec> specs(numModels);
    for (int k = 0; k < numModels; ++k) specs[k].seed = seed * 1000 + 17 + std::uint64_t(k);

    nlohmann::json run = {{"options", runOptions(args)}};
    if (resume) {
        if (!std::filesystem::exists(checkpoint))
            throw InputError(checkpoint, 0, "no checkpoint to resume from (run without --resume first)");
        std::ifstream in(runJson);
        nlohmann::json previous;
        try {
            in >> previous;
        } catch (const std::exception&) {
            throw InputError(runJson, 0, "missing or unreadable: cannot check that --resume uses the same options");
        }
        if (previous["options"] != run["options"])
            throw InputError(runJson, 0, "--resume needs the options of the interrupted run: it used " +
                                             previous["options"].dump() + ", now " + run["options"].dump());
        run = previous;
    } else {
        prepareOutputDir(out, args.count("force") > 0);
    }

    const FeatureOptions device = deviceOptions(args);
    trainOn(device, config);
    FeatureTable table = featuresOfFile(dataSource(args, args["data"].as<std::string>()), settings, device);
    const std::vector<double> offsets = atomEnergyOffsets(table, settings);
    for (std::size_t s = 0; s < table.numStructures(); ++s) table.energies[s] -= offsets[s];  // as n2p2
    setBatchSize(args, "batch", table, config);

    if (lrText == "auto") {
        if (run.contains("learning_rate")) {
            config.schedule.baseRate = run["learning_rate"].get<double>();
        } else {
            ScopedPhase phase("lr range test");
            const LrRangeTestResult r = lrRangeTest(table, config, specs[0]);
            config.schedule.baseRate = r.suggestedRate;
            logInfo("learning-rate range test: " + significant(r.suggestedRate) + " (loss diverges at " +
                    significant(r.divergenceRate) + ")");
        }
    }
    run["learning_rate"] = config.schedule.baseRate;
    {
        AtomicFile f(runJson, true);
        f.stream() << run.dump(1) << "\n";
        f.commit();
    }

    Trainer trainer(table, config, specs);
    if (resume) {
        trainer.loadCheckpoint(checkpoint);
        logInfo("resumed " + checkpoint + " after epoch " + std::to_string(trainer.epoch()));
    }
    logInfo("training " + std::to_string(numModels) + " model(s) on " + std::to_string(trainer.split().train.size()) +
            " structures (" + std::to_string(trainer.split().validation.size()) + " validation, " +
            std::to_string(trainer.split().test.size()) + " test), lr " + significant(config.schedule.baseRate) +
            ", patience " + std::to_string(trainer.patience()) + " epochs" +
            (config.device == Device::Gpu ? std::string(", on the GPU in ") + precisionName(config.precision)
                                          : std::string(", on the CPU in fp64")));
    const int stopAfter = args["stop-after"].as<int>();
    bool interrupted = false;
    {
        StopSignals signals;
        Progress progress("epochs", std::size_t(config.maxEpochs), std::size_t(trainer.epoch()));
        ScopedPhase phase("train");
        while (!trainer.allFinished()) {
            {
                ScopedPhase epoch("epoch");
                trainer.runEpoch();
            }
            logEpoch(trainer);
            progress.advance();
            if ((StopSignals::requested() || trainer.epoch() == stopAfter) && !trainer.allFinished()) {
                interrupted = true;
                break;
            }
        }
    }
    writeTrainingCsv(out + "/training.csv", trainer);
    if (interrupted) {
        trainer.saveCheckpoint(checkpoint);
        logError("interrupted after epoch " + std::to_string(trainer.epoch()) + ": checkpoint written to " +
                 checkpoint + "; rerun the same command with --resume to continue");
        return 130;
    }

    int best = 0;
    for (int m = 1; m < numModels; ++m)
        if (trainer.models()[m].bestObjective < trainer.models()[best].bestObjective) best = m;
    const auto& test = trainer.split().test;
    const double testRmse = test.empty() ? std::numeric_limits<double>::quiet_NaN() : trainer.rmse(best, test);
    {
        ScopedPhase phase("export");
        const std::string dir = out + "/potential";
        std::filesystem::create_directories(dir);
        writeNnSettings(dir + "/input.nn", potentialSettings(settings), true);
        writePotential(dir, trainer.potential(best), true);
        nlohmann::json result;
        result["best_model"] = best;
        result["best_epoch"] = trainer.models()[best].bestEpoch;
        result["epochs"] = trainer.epoch();
        result["num_test"] = test.size();
        result["test_structures"] = test;  // 0-based indices in the data file
        result["test_rmse_per_atom"] = test.empty() ? nlohmann::json() : nlohmann::json(testRmse);
        const ModelState& st = trainer.models()[best];
        if (st.bestEpoch > 0) result["validation_rmse_per_atom"] = st.history.at(std::size_t(st.bestEpoch - 1)).validationRmse;
        AtomicFile f(out + "/result.json", true);
        f.stream() << result.dump(1) << "\n";
        f.commit();
    }
    if (test.empty())
        logInfo("no test structures (--test 0 and none tagged test): no test RMSE");
    else
        logInfo("test RMSE per atom: " + significant(testRmse) + " (energy unit of the data; " + std::to_string(test.size()) +
                " structures, model " + std::to_string(best) + ", best epoch " +
                std::to_string(trainer.models()[best].bestEpoch) + ")");
    logInfo("wrote " + out + "/potential (input.nn, scaling.data, weights.NNN.data) and " + out + "/training.csv");
    return 0;
}

}  // namespace agl::cli
