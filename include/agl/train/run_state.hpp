// The identity of a resumable run (select's λ path, compare's feature sets, agl features' folder): what
// decides its results, kept as STATE_DIR/config.json, so that a rerun continues only a run with the same data
// and settings.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/feature_table.hpp"
#include "agl/train/trainer.hpp"

namespace agl {

// The trainer settings that change results: network, batch, split, shuffle, schedule, AdamW, early stopping.
// Not the device, the checkpoint settings or the CPU work split (same results either way).
nlohmann::json trainerIdentityJson(const TrainerConfig& config);

// Order-sensitive sums of the table (a changed data set or feature set changes them).
nlohmann::json tableFingerprint(const FeatureTable& table);

// An order-sensitive checksum of the structures as read (cells, positions, elements, energies, tags): another
// data file, or the same one edited, changes it (agl features' identity: its table is what it computes).
nlohmann::json datasetFingerprint(const Dataset& data);

// The identity of one Trainer's run, written into its checkpoints: a hash of trainerIdentityJson, the table's
// fingerprint and every model's seed, λ, mask, adaptive weights and initial weights. A checkpoint of another
// run (other data, settings or models, e.g. a file copied in by hand) has another identity and is refused.
std::uint64_t trainingRunIdentity(const FeatureTable& table, const TrainerConfig& config,
                                  const std::vector<ModelSpec>& models);

// Creates stateDir and writes stateDir/config.json, or checks that an existing one equals `config`:
// InputError naming that file when it differs or cannot be read (another --out, or --restart to discard).
void claimStateDir(const std::string& stateDir, const nlohmann::json& config);

// --restart: removes stateDir/config.json and the run's files in stateDir (`<prefix>*.json`, `<prefix>*.ckpt`
// and `<prefix>*.part`: select's "stage_", compare's "set_", features' "features_"), then stateDir itself when
// that left it empty; nothing else there is touched.
void discardRunState(const std::string& stateDir, const std::string& prefix);

}  // namespace agl
