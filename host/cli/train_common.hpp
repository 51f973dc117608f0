// Pieces shared by `agl train`, `agl predict` and `agl lr-find`: features of a data file for an input.nn,
// the trainer settings that input.nn implies, and the n2p2 atom_energy offsets.
#pragma once
#include <string>
#include <utility>

#include <cxxopts.hpp>

#include "agl/feature_table.hpp"
#include "agl/features.hpp"
#include "agl/nn_settings.hpp"
#include "agl/train/input_scaling.hpp"
#include "agl/train/trainer.hpp"
#include "data_source.hpp"

namespace agl::cli {

// The device and precision of --device/--precision (addDeviceOptions), resolved once per command.
FeatureOptions deviceOptions(const cxxopts::ParseResult& args);
// Training runs where the features were computed: the GPU trainer (in the given precision) or the CPU.
void trainOn(const FeatureOptions& device, TrainerConfig& config);

// Reads the structures and computes their raw features (phase "features") on the given device.
FeatureTable featuresOfFile(const DataSource& source, const NnSettings& settings, const FeatureOptions& device);

// The networks of input.nn (global_* and the element_nodes_short overrides) into config. When input.nn
// declares none: an InputError naming nnPath if `required`, else config keeps its default network (logged).
void networkFromSettings(const NnSettings& settings, const std::string& nnPath, TrainerConfig& config,
                         bool required = true);


// Σ over the atoms of each structure of atom_energy(Z) (n2p2 offsets; zero when input.nn has none).
std::vector<double> atomEnergyOffsets(const FeatureTable& table, const NnSettings& settings);

// A positive (or, with allowZero, non-negative) option value, else InputError naming the option.
double positiveOption(const cxxopts::ParseResult& args, const std::string& name, bool allowZero = false);
int positiveIntOption(const cxxopts::ParseResult& args, const std::string& name, bool allowZero = false);
// A whole number >= 1, or 0 for 'auto'; InputError naming the option otherwise.
int wholeNumberOrAuto(const cxxopts::ParseResult& args, const std::string& name);

// --patience of train and select: 'auto' (the default) = max(10, ⌈1000 / mini-batches per epoch⌉) epochs
// (kAutoPatience*: the paper's 10 epochs of its ~100 mini-batches, kept in steps on smaller data), or a
// positive number of epochs taken as it is. Sets config.patience and config.minPatienceSteps.
extern const char* const kPatienceHelp;
void setPatience(const cxxopts::ParseResult& args, TrainerConfig& config);

// --batch (compare: --batch-size): 'auto' (the default) = autoBatchSize of the training structures that
// config's split leaves of `table` (256, or about 16 mini-batches per epoch on small data), or a positive
// number. Sets config.batchSize (after the split fractions and seed) and logs the choice of 'auto'.
extern const char* const kBatchHelp;
void setBatchSize(const cxxopts::ParseResult& args, const std::string& name, const FeatureTable& table,
                  TrainerConfig& config);
// The validation and test fractions of these options: each >= 0 and their sum below 1, else InputError.
std::pair<double, double> splitFractions(const cxxopts::ParseResult& args, const std::string& validationName,
                                         const std::string& testName);

}  // namespace agl::cli
