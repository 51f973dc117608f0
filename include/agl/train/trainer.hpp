// Trainer: trains K models at once (a ModelBatch) on one FeatureTable with AdamW, the proximal group step
// and per-model early stopping; finished models are compacted out of the batch.
//
// Per epoch: the training structures are shuffled (std::mt19937_64(shuffleSeed), state checkpointed) and
// cut into mini-batches of batchSize structures; per batch: gradient of the per-atom MSE → mask the
// gradients of masked features → AdamW step (decay on internal weights only) → proximal group step, both with
// the scheduled learning rate at t = epoch + batch/numBatches. After the epoch, per model:
//   trainRmse           √(mean of the batch MSEs over the epoch, weighted by batch size) — during training
//   validationRmse      per-atom energy RMSE on the validation set with the current weights
//   penalty             (λ/N_e) Σ_e Σ_j a_j ‖w_j‖ with the current weights
//   validationObjective validation MSE + penalty (training MSE + penalty when there is no validation set)
// Early stopping: an objective below best − minImprovement stores the weights as the model's best and resets
// the patience counter; otherwise the counter grows. A model stops when the counter reaches `patience` or
// after maxEpochs epochs; its slot is swapped behind the active ones and never computed again.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "agl/device.hpp"
#include "agl/feature_table.hpp"
#include "agl/nn_settings.hpp"
#include "agl/train/model_batch.hpp"
#include "agl/train/optimizer.hpp"
#include "agl/train/potential.hpp"
#include "agl/train/training_data.hpp"

namespace agl {

class ResidentModels;

struct TrainerConfig {
    // Network (n2p2 global_nodes_short / global_activation_short) of every element not in elementNetworks,
    // which holds the elements with a network of their own (n2p2 element_nodes_short).
    std::vector<int> hiddenNodes{10, 10};
    std::string activations = "ttl";
    std::map<int, NetworkShape> elementNetworks;
    // Data
    int batchSize = 256;                 // structures per mini-batch (the CLI's 'auto': autoBatchSize)
    double validationFraction = 0.1;
    double testFraction = 0.0;           // plus every structure tagged Test
    std::uint64_t splitSeed = 1;
    // Cross-validation (select's --refit-folds): with folds ≥ 2 the validation set is part `fold` of the
    // non-test structures (crossValidationSplit) and validationFraction is not used.
    int folds = 0;
    int fold = 0;
    std::uint64_t shuffleSeed = 2;       // mini-batch order
    // Optimiser
    LrSchedule schedule;                 // learning rate (constant 1e-3 by default)
    AdamWSettings adamw;                 // β1 0.9, β2 0.999, ε 1e-8, weight decay 1e-6
    // Early stopping: a model stops after `patience` epochs without improvement, raised to
    // ⌈minPatienceSteps / mini-batches per epoch⌉ epochs when that is more (effectivePatience): on a small data
    // set an epoch is a few optimiser steps, and 10 of them end training long before it has converged.
    int patience = 10;
    int minPatienceSteps = 0;            // 0: `patience` epochs, whatever the data size
    double minImprovement = 1e-7;
    int maxEpochs = 1000;
    // Checkpoints: written atomically every `checkpointEvery` epochs (0 = never) and when all models finish.
    std::string checkpointPath;
    int checkpointEvery = 0;
    // CPU work split: atoms per chunk of a mini-batch (ModelBatch::setChunkAtoms); 0 = the default.
    int chunkAtoms = 0;
    // Where the networks train. Cpu: ModelBatch in fp64. Gpu: GpuModelBatch (include/agl/gpu_train.hpp) in
    // `precision`, the standardised features uploaded once and kept on the device for every epoch. Both run
    // the same steps on the same mini-batches; they agree to rounding in fp64 and to ~1e-5 in fp32.
    Device device = Device::Cpu;
    Precision precision = Precision::Fp32;  // GPU only: the CPU always trains in fp64
    // Tests: with device Cpu, run the device code path anyway, a host stand-in (makeHostResidentModels)
    // holding the state in place of the GPU. Results must equal the plain CPU path exactly.
    bool emulateDevice = false;
};

// The network of input.nn (global_* and element_nodes_short) into config; false, leaving config as it was,
// when input.nn declares no network.
bool setNetwork(TrainerConfig& config, const NnSettings& settings);
// The paper's patience of 10 epochs at its data size (28 000 structures, batch 256: about 100 mini-batches per
// epoch) is about 1000 optimiser steps; `--patience auto` keeps at least that many on smaller data sets.
constexpr int kAutoPatienceEpochs = 10, kAutoPatienceSteps = 1000;

// The default mini-batch (`--batch auto`): the paper's 256 structures, or fewer so that an epoch still has about
// 16 optimiser steps on a small data set: min(256, ⌈numTrainStructures / 16⌉), at least 1.
constexpr int kAutoBatchMax = 256, kAutoBatchesPerEpoch = 16;
int autoBatchSize(std::size_t numTrainStructures);

// Epochs without improvement after which a model stops: max(patience, ⌈minPatienceSteps / batches⌉), where
// batches = ⌈numTrainStructures / batchSize⌉ mini-batches per epoch.
int effectivePatience(const TrainerConfig& config, std::size_t numTrainStructures);

// The train/validation/test split that a Trainer with this config uses: splitStructures, or
// crossValidationSplit when config.folds ≥ 2.
DataSplit trainerSplit(const FeatureTable& table, const TrainerConfig& config);

// One network per element of the table (ascending Z) over all its features, shaped as config says.
std::vector<ElementArch> networkArchs(const FeatureTable& table, const TrainerConfig& config);

// One model of the batch. Empty vectors mean "all features used" / "a = 1" / "random start".
struct ModelSpec {
    std::uint64_t seed = 1;                           // weight initialisation
    double lambda = 0.0;                              // group penalty strength λ (0: plain training)
    std::vector<std::vector<std::uint8_t>> mask;      // per element, per feature: 0 = weights forced to zero
    std::vector<std::vector<double>> adaptive;        // per element, per feature: a_j (AGL: 1/‖ŵ_j‖, ∞ allowed)
    std::vector<double> initialWeights;               // canonical (ModelBatch::slotParams order)
};

struct EpochMetrics {
    int epoch = 0;                        // 1-based
    double learningRate = 0.0;            // at the end of the epoch
    double trainRmse = 0.0, validationRmse = 0.0, penalty = 0.0, validationObjective = 0.0;
};

struct ModelState {
    bool finished = false;
    int epochs = 0;                       // epochs trained
    int bestEpoch = 0;
    int sinceImprovement = 0;
    double bestObjective = 0.0;           // +∞ before the first epoch
    std::vector<double> bestWeights;      // canonical
    std::vector<EpochMetrics> history;
};

// On a device (the GPU, or its host stand-in) the device holds the parameters and the Adam moments while an
// epoch runs (ResidentModels); the host copies (batch(), checkpoints, early stopping, compaction) are brought
// up to date at the end of every epoch and after every public trainStep, and sent back whenever the host
// changed them.
class Trainer {
public:
    // Throws agl::Error when config.device is Gpu and no GPU is usable (the reason is named).
    Trainer(const FeatureTable& table, TrainerConfig config, std::vector<ModelSpec> models);
    ~Trainer();
    Trainer(Trainer&&) noexcept;
    Trainer& operator=(Trainer&&) noexcept;

    // Trains until every model has finished, or for at most `epochs` more epochs (−1 = no limit).
    void train(int epochs = -1);
    // One epoch of every active model; returns false when none was left to train.
    bool runEpoch();
    // One optimiser step of the active models on the given training structures at rate lr (gradient, mask,
    // AdamW, proximal step); returns each active slot's batch MSE. Used by runEpoch and the range test.
    std::vector<double> trainStep(const std::uint32_t* structures, int count, double lr);
    bool allFinished() const { return numActive_ == 0; }
    int epoch() const { return epoch_; }
    int numActive() const { return numActive_; }
    // Early-stopping patience in epochs on this split (effectivePatience).
    int patience() const { return patience_; }

    const TrainerConfig& config() const { return config_; }
    const DataSplit& split() const { return split_; }
    const std::vector<FeatureScaling>& scaling() const { return scaling_; }
    const std::vector<ModelState>& models() const { return state_; }
    const ModelBatch& batch() const { return batch_; }
    // Current (not best) canonical weights of model m.
    std::vector<double> currentWeights(int model) const;
    // First-layer group norms ‖w_j‖ of model m's BEST weights, (Σ_e N_e) element by element.
    std::vector<double> bestGroupNorms(int model) const;
    // Per-atom energy RMSE of model m's best weights on a set of structures.
    double rmse(int model, const std::vector<std::uint32_t>& structures) const;
    // The trained potential of model m (best weights and the training-set scaling).
    Potential potential(int model) const;

    // Whole trainer state (parameters, moments, step, epoch, RNG, per-model state) to a binary file,
    // atomically (overwrites its own earlier checkpoint). load requires the same table, config and models
    // (trainingRunIdentity in agl/train/run_state.hpp; the device, the checkpoint settings and the epoch cap
    // may differ) and throws InputError naming the file otherwise.
    void saveCheckpoint(const std::string& path) const;
    void loadCheckpoint(const std::string& path);

private:
    // One optimiser step of the active models (see trainStep), leaving a device's state on the device.
    std::vector<double> step(const std::uint32_t* structures, int count, double lr);
    // Σ over the validation set of ((E − E_ref)/N)² for each active slot, on the training device.
    std::vector<double> validationErrors(int numActive);
    void finishModel(int slot);
    void pullFromDevice();  // device → host: parameters and moments
    void pushToDevice();    // host → device: parameters, moments and group settings

    TrainerConfig config_;
    std::vector<ModelSpec> specs_;
    DataSplit split_;
    std::vector<FeatureScaling> scaling_;
    StandardisedData data_;
    ModelBatch batch_;
    std::vector<double> grad_, m_, v_;     // flat, layout of batch_
    std::vector<ModelState> state_;        // by model index
    std::mt19937_64 shuffleRng_;
    long step_ = 0;                        // optimiser steps taken (Adam bias correction)
    int epoch_ = 0;
    int numActive_ = 0;
    int patience_ = 0;                     // effectivePatience(config_, training structures)
    std::uint64_t identity_ = 0;           // trainingRunIdentity of the table, config and models
    MiniBatch scratch_;
    // Separate buffers for the short last batch of an epoch and for evaluation, so that scratch_ keeps the
    // size of a full batch (a vector that shrinks and grows again is re-zeroed: ~10 % of a single-model epoch).
    MiniBatch tailScratch_, evalScratch_;
    std::unique_ptr<ResidentModels> device_;  // training on a device (or emulateDevice) only
};

// Between the epochs of a long run: when stopRequested (may be empty) says so and models are still training,
// writes the trainer's checkpoint (config().checkpointPath, unless empty) and throws agl::Interrupted
// ("interrupted <where>after epoch N; checkpoint P: run the same command again to continue").
void stopIfRequested(const Trainer& trainer, const std::function<bool()>& stopRequested, const std::string& where);

}  // namespace agl
