#include "train_common.hpp"

#include <charconv>
#include <cmath>

#include "agl/device.hpp"
#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"
#include "agl/train/activation.hpp"

namespace agl::cli {

FeatureOptions deviceOptions(const cxxopts::ParseResult& args) {
    FeatureOptions opt;
    opt.device = resolveDevice(args["device"].as<std::string>());
    opt.precision = parsePrecision(args["precision"].as<std::string>());
    return opt;
}

void trainOn(const FeatureOptions& device, TrainerConfig& config) {
    config.device = device.device;
    config.precision = device.precision;
}

FeatureTable featuresOfFile(const DataSource& source, const NnSettings& settings, const FeatureOptions& opt) {
    const Dataset data = readData(source);
    if (data.structures.empty()) throw InputError(source.path, 0, "no structures");
    logInfo("features of " + std::to_string(data.structures.size()) + " structures (" +
            std::to_string(data.numAtoms()) + " atoms) on " + deviceName(opt.device));
    ScopedPhase phase("features");
    return computeFeatures(data, settings, opt);
}

void networkFromSettings(const NnSettings& settings, const std::string& nnPath, TrainerConfig& config, bool required) {
    if (setNetwork(config, settings)) return checkActivationLetters(config.activations, nnPath);
    if (required)
        throw InputError(nnPath, 0, "no network: global_hidden_layers_short, global_nodes_short and "
                                    "global_activation_short are required");
    std::string nodes;
    for (int n : config.hiddenNodes) nodes += (nodes.empty() ? "" : "-") + std::to_string(n);
    logInfo(nnPath + " declares no network: using " + nodes + " '" + config.activations + "' for every element");
}


std::vector<double> atomEnergyOffsets(const FeatureTable& table, const NnSettings& settings) {
    std::vector<double> offsets(table.numStructures(), 0.0);
    for (const ElementFeatures& el : table.elements) {
        const auto it = settings.atomEnergy.find(el.element);
        if (it == settings.atomEnergy.end()) continue;
        for (std::uint32_t s : el.structure) offsets[s] += it->second;
    }
    return offsets;
}

namespace {
template <class T>
T checkedPositive(const cxxopts::ParseResult& args, const std::string& name, bool allowZero) {
    const T v = args[name].as<T>();
    if (!std::isfinite(double(v))) throw UsageError("command line", "--" + name + " must be a finite number");
    if (!(allowZero ? v >= T(0) : v > T(0)))
        throw UsageError("command line", "--" + name + " must be " + (allowZero ? ">= 0" : "> 0"));
    return v;
}
}  // namespace

double positiveOption(const cxxopts::ParseResult& args, const std::string& name, bool allowZero) {
    return checkedPositive<double>(args, name, allowZero);
}
int positiveIntOption(const cxxopts::ParseResult& args, const std::string& name, bool allowZero) {
    return checkedPositive<int>(args, name, allowZero);
}

const char* const kPatienceHelp =
    "early stopping: epochs without validation improvement, or auto = max(10, 1000 / mini-batches per epoch)";

int wholeNumberOrAuto(const cxxopts::ParseResult& args, const std::string& name) {
    const std::string text = args[name].as<std::string>();
    if (text == "auto") return 0;
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 1)
        throw UsageError("command line", "--" + name + " must be 'auto' or a whole number >= 1, not '" + text + "'");
    return n;
}

void setPatience(const cxxopts::ParseResult& args, TrainerConfig& config) {
    const int epochs = wholeNumberOrAuto(args, "patience");
    config.patience = epochs > 0 ? epochs : kAutoPatienceEpochs;
    config.minPatienceSteps = epochs > 0 ? 0 : kAutoPatienceSteps;
}

const char* const kBatchHelp =
    "structures per mini-batch, or auto = 256, fewer on small data (about 16 mini-batches per epoch)";

void setBatchSize(const cxxopts::ParseResult& args, const std::string& name, const FeatureTable& table,
                  TrainerConfig& config) {
    config.batchSize = wholeNumberOrAuto(args, name);
    if (config.batchSize > 0) return;
    const std::size_t train = trainerSplit(table, config).train.size();
    config.batchSize = autoBatchSize(train);
    logInfo("mini-batches of " + std::to_string(config.batchSize) + " structures (--" + name + " auto, " +
            std::to_string(train) + " training structures)");
}

std::pair<double, double> splitFractions(const cxxopts::ParseResult& args, const std::string& validationName,
                                         const std::string& testName) {
    const double validation = positiveOption(args, validationName, true), test = positiveOption(args, testName, true);
    if (!(validation + test < 1.0))
        throw UsageError("command line", "--" + validationName + " + --" + testName + " must be below 1 (" +
                                                std::to_string(validation + test) + ")");
    return {validation, test};
}

}  // namespace agl::cli
