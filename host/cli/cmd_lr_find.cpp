// agl lr-find: the learning-rate range test (include/agl/train/lr_finder.hpp) for the network of an input.nn
// on a data set: prints the smoothed loss curve and the proposed rate.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <tuple>

#include "agl/error.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/number_text.hpp"
#include "agl/timings.hpp"
#include "agl/train/lr_finder.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "train_common.hpp"

namespace agl::cli {

int runLrFind(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Learning-rate range test: train one network while the rate grows exponentially and "
                             "propose the rate where the loss falls fastest.");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    options.add_options()
        ("data", "structures with reference energies (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("nn", "settings: symmetry functions and network (n2p2 input.nn)", cxxopts::value<std::string>())
        ("batch", kBatchHelp, cxxopts::value<std::string>()->default_value("auto"))
        ("validation-fraction", "fraction held out (as agl train; also --validation)", cxxopts::value<double>()->default_value("0.1"))
        ("test-fraction", "fraction held out (as agl train; also --test)", cxxopts::value<double>()->default_value("0.1"))
        ("seed", "seed of the split, batch order and weights", cxxopts::value<std::uint64_t>()->default_value("1"))
        ("min-lr", "first rate", cxxopts::value<double>()->default_value("1e-7"))
        ("max-lr", "last rate", cxxopts::value<double>()->default_value("1"))
        ("steps", "mini-batches (rates) tried", cxxopts::value<int>()->default_value("300"));
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args, {{"validation", "validation-fraction"}, {"test", "test-fraction"}}))
        return 0;
    for (const char* required : {"data", "nn"})
        if (!args.count(required)) throw UsageError("command line", std::string("--") + required + " is required");
    const std::string nnPath = args["nn"].as<std::string>();
    const NnSettings settings = readNnSettings(nnPath);
    TrainerConfig config;
    networkFromSettings(settings, nnPath, config);
    wholeNumberOrAuto(args, "batch");  // checked now, resolved with the data (setBatchSize)
    std::tie(config.validationFraction, config.testFraction) = splitFractions(args, "validation-fraction", "test-fraction");
    const std::uint64_t seed = args["seed"].as<std::uint64_t>();
    config.splitSeed = seed;  // the same split and order as agl train --seed
    config.shuffleSeed = seed + 1;
    LrRangeTestConfig test;
    test.minRate = positiveOption(args, "min-lr");
    test.maxRate = positiveOption(args, "max-lr");
    test.numBatches = positiveIntOption(args, "steps");
    if (test.maxRate <= test.minRate || test.numBatches < 3)
        throw UsageError("command line", "need --min-lr < --max-lr and --steps >= 3");

    const FeatureOptions device = deviceOptions(args);
    trainOn(device, config);
    FeatureTable table = featuresOfFile(dataSource(args, args["data"].as<std::string>()), settings, device);
    const std::vector<double> offsets = atomEnergyOffsets(table, settings);
    for (std::size_t s = 0; s < table.numStructures(); ++s) table.energies[s] -= offsets[s];
    setBatchSize(args, "batch", table, config);
    ModelSpec model;
    model.seed = seed * 1000 + 17;  // agl train's first model
    LrRangeTestResult r;
    {
        ScopedPhase phase("lr range test");
        r = lrRangeTest(table, config, model, test);
    }
    // About 15 points of the smoothed curve, evenly spaced in log(rate), as RMSE per atom.
    std::printf("%14s %22s\n", "learning rate", "smoothed RMSE/atom");
    const std::size_t n = r.smoothed.size(), step = std::max<std::size_t>(1, n / 15);
    for (std::size_t i = 0; i < n; i += step) std::printf("%14.4e %22.6g\n", r.rates[i], std::sqrt(r.smoothed[i]));
    std::printf("tried %zu rates from %.3g to %.3g; the loss %s\n", r.losses.size(), test.minRate,
                r.rates.empty() ? test.maxRate : r.rates.back(),
                n < r.losses.size() ? ("diverged at " + significant(r.divergenceRate)).c_str()
                                    : "did not diverge");
    std::printf("proposed learning rate: %.4g  (steepest descent of the smoothed loss)\n", r.suggestedRate);
    return 0;
}

}  // namespace agl::cli
