#include "agl/train/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "agl/error.hpp"
#include "agl/gpu_train.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"
#include "agl/train/run_state.hpp"

namespace agl {

namespace {

// Σ over the set of ((E − E_ref)/N)² for the first numActive slots (weights as they are), in chunks of
// batchSize structures; predict(structures, count, energies) fills energies (count × numActive).
template <class Predict>
std::vector<double> sumSquaredErrors(int numActive, const StandardisedData& data,
                                     const std::vector<std::uint32_t>& set, int batchSize, Predict predict) {
    std::vector<double> sum(numActive, 0.0), e;
    for (std::size_t from = 0; from < set.size(); from += std::size_t(batchSize)) {
        const int n = int(std::min<std::size_t>(std::size_t(batchSize), set.size() - from));
        predict(set.data() + from, n, e);
        for (int s = 0; s < n; ++s) {
            const std::uint32_t id = set[from + std::size_t(s)];
            for (int k = 0; k < numActive; ++k) {
                const double d = (e[std::size_t(s) * numActive + k] - data.energies[id]) / data.numAtoms[id];
                sum[k] += d * d;
            }
        }
    }
    return sum;
}

// The CPU predictor of sumSquaredErrors: gathers each chunk into `scratch` and runs the ModelBatch.
auto cpuPredictor(ModelBatch& mb, int numActive, const StandardisedData& data, MiniBatch& scratch) {
    return [&mb, numActive, &data, &scratch](const std::uint32_t* structures, int n, std::vector<double>& e) {
        gatherBatch(data, structures, n, scratch);
        mb.predict(scratch, numActive, e);
    };
}

// Copies a per-element spec vector into the slot's part of a flat group array.
template <class T>
void setGroupValues(const std::vector<std::vector<T>>& perElement, const GroupSettings& groups, int slot,
                    std::vector<T>& target, const char* what) {
    if (perElement.empty()) return;
    const std::size_t ne = groups.groupOffset.size() - 1;
    AGL_CHECK(perElement.size() == ne, std::string(what) + ": one vector per element expected");
    for (std::size_t e = 0; e < ne; ++e) {
        const std::size_t n = groups.groupOffset[e + 1] - groups.groupOffset[e];
        AGL_CHECK(perElement[e].size() == n, std::string(what) + ": one value per feature expected");
        std::copy(perElement[e].begin(), perElement[e].end(),
                  target.begin() + std::size_t(slot) * groups.numGroups() + groups.groupOffset[e]);
    }
}

}  // namespace

bool setNetwork(TrainerConfig& config, const NnSettings& settings) {
    if (settings.network.activations.empty()) return false;
    config.hiddenNodes = settings.network.hiddenNodes;
    config.activations = settings.network.activations;
    config.elementNetworks = settings.elementNetworks;
    return true;
}

std::vector<ElementArch> networkArchs(const FeatureTable& table, const TrainerConfig& config) {
    std::vector<ElementArch> archs;
    for (const ElementFeatures& el : table.elements) {
        const auto it = config.elementNetworks.find(el.element);
        const NetworkShape shape = it != config.elementNetworks.end()
                                       ? it->second
                                       : NetworkShape{config.hiddenNodes, config.activations};
        archs.push_back(makeElementArch(el.element, int(el.numFunctions()), shape.hiddenNodes, shape.activations));
    }
    return archs;
}

int autoBatchSize(std::size_t numTrainStructures) {
    const std::size_t perBatch = (numTrainStructures + kAutoBatchesPerEpoch - 1) / kAutoBatchesPerEpoch;
    return int(std::clamp<std::size_t>(perBatch, 1, kAutoBatchMax));
}

int effectivePatience(const TrainerConfig& config, std::size_t numTrainStructures) {
    AGL_CHECK(config.batchSize >= 1 && config.minPatienceSteps >= 0, "batch size and patience steps out of range");
    const std::size_t batches = std::max<std::size_t>(
        1, (numTrainStructures + std::size_t(config.batchSize) - 1) / std::size_t(config.batchSize));
    const std::size_t fromSteps = (std::size_t(config.minPatienceSteps) + batches - 1) / batches;
    return int(std::max<std::size_t>(std::size_t(config.patience), fromSteps));
}

DataSplit trainerSplit(const FeatureTable& table, const TrainerConfig& config) {
    if (config.folds >= 2)
        return crossValidationSplit(table, config.testFraction, config.splitSeed, config.folds, config.fold);
    return splitStructures(table, config.validationFraction, config.testFraction, config.splitSeed);
}

Trainer::Trainer(const FeatureTable& table, TrainerConfig config, std::vector<ModelSpec> models)
    : config_(std::move(config)), specs_(std::move(models)) {
    ScopedPhase phase("training setup");
    AGL_CHECK(!specs_.empty(), "at least one model to train");
    AGL_CHECK(config_.batchSize >= 1 && config_.patience >= 1 && config_.maxEpochs >= 1 &&
                  config_.minPatienceSteps >= 0,
              "batch size, patience and epoch cap must be positive");
    AGL_CHECK(!table.elements.empty(), "the feature table has no element");
    split_ = trainerSplit(table, config_);
    patience_ = effectivePatience(config_, split_.train.size());
    identity_ = trainingRunIdentity(table, config_, specs_);
    scaling_ = computeScaling(table, split_.train);
    data_ = standardise(table, scaling_);
    const std::vector<ElementArch> archs = networkArchs(table, config_);
    const int K = int(specs_.size());
    batch_ = ModelBatch(archs, K);
    if (config_.chunkAtoms > 0) batch_.setChunkAtoms(config_.chunkAtoms);
    // Output bias: mean reference energy per atom over the training structures (mean of E_s/N_s, the
    // constant that minimises the per-atom MSE).
    double bias = 0.0;
    for (std::uint32_t s : split_.train) bias += data_.energies[s] / data_.numAtoms[s];
    bias /= double(split_.train.size());
    GroupSettings& g = batch_.groups();
    for (int k = 0; k < K; ++k) {
        const ModelSpec& spec = specs_[k];
        AGL_CHECK(spec.lambda >= 0.0, "λ must be >= 0");
        g.lambda[k] = spec.lambda;
        setGroupValues(spec.mask, g, k, g.mask, "feature mask");
        setGroupValues(spec.adaptive, g, k, g.adaptive, "adaptive weights");
        batch_.initialise(k, spec.seed, bias);
        if (!spec.initialWeights.empty()) {
            batch_.setSlotParams(k, spec.initialWeights);
            batch_.applyMask(k);
        }
    }
    grad_.assign(batch_.layout().size(), 0.0);
    m_.assign(batch_.layout().size(), 0.0);
    v_.assign(batch_.layout().size(), 0.0);
    state_.assign(K, ModelState{});
    for (auto& s : state_) s.bestObjective = std::numeric_limits<double>::infinity();
    shuffleRng_.seed(config_.shuffleSeed);
    numActive_ = K;
    if (config_.device == Device::Gpu) {
        std::string why;
        if (!gpu::available(&why)) throw Error("GPU training requested, but no GPU is usable: " + why);
        device_ = std::make_unique<gpu::GpuModelBatch>(batch_.layout(), config_.precision);
    } else if (config_.emulateDevice) {
        device_ = makeHostResidentModels(batch_.layout(), config_.chunkAtoms);
    }
    if (device_) {
        device_->setData(data_);  // once: the features stay on the device for every epoch
        pushToDevice();
    }
}

Trainer::~Trainer() = default;
Trainer::Trainer(Trainer&&) noexcept = default;
Trainer& Trainer::operator=(Trainer&&) noexcept = default;

void Trainer::pushToDevice() {
    device_->setParams(batch_.params());
    device_->setMoments(m_, v_);
    device_->setGroups(batch_.groups());
}

void Trainer::pullFromDevice() {
    batch_.params() = device_->params();
    device_->moments(m_, v_);
}

std::vector<double> Trainer::validationErrors(int na) {
    if (!device_)
        return sumSquaredErrors(na, data_, split_.validation, config_.batchSize,
                                cpuPredictor(batch_, na, data_, evalScratch_));
    return sumSquaredErrors(na, data_, split_.validation, config_.batchSize,
                            [this, na](const std::uint32_t* structures, int n, std::vector<double>& e) {
                                device_->predict(structures, n, na, e);
                            });
}

void Trainer::train(int epochs) {
    for (int n = 0; (epochs < 0 || n < epochs) && runEpoch(); ++n) {
    }
}

bool Trainer::runEpoch() {
    if (numActive_ == 0) return false;
    ScopedPhase phase("training epoch");
    const int na = numActive_;
    std::vector<std::uint32_t> order = split_.train;
    shuffleIndices(order, shuffleRng_);
    const std::size_t bs = std::size_t(config_.batchSize);
    const std::size_t numBatches = (order.size() + bs - 1) / bs;
    std::vector<double> trainSum(na, 0.0), mse;
    double lr = 0.0;
    for (std::size_t b = 0; b < numBatches; ++b) {
        const int n = int(std::min(bs, order.size() - b * bs));
        lr = config_.schedule.rate(double(epoch_) + double(b) / double(numBatches));
        mse = step(order.data() + b * bs, n, lr);
        for (int k = 0; k < na; ++k) trainSum[k] += mse[k] * n;
    }
    ++epoch_;
    if (device_) pullFromDevice();  // the host decides early stopping, keeps the best weights and checkpoints
    const bool haveValidation = !split_.validation.empty();
    std::vector<double> valSum;
    if (haveValidation) valSum = validationErrors(na);
    std::vector<char> finished(na, 0);
    for (int k = 0; k < na; ++k) {
        ModelState& st = state_[batch_.modelOfSlot()[k]];
        EpochMetrics m;
        m.epoch = epoch_;
        m.learningRate = lr;
        const double trainMse = trainSum[k] / double(order.size());
        m.trainRmse = std::sqrt(trainMse);
        const double valMse = haveValidation ? valSum[k] / double(split_.validation.size()) : trainMse;
        m.validationRmse = std::sqrt(valMse);
        m.penalty = groupPenalty(batch_.layout(), k, batch_.groups(), batch_.params().data());
        m.validationObjective = valMse + m.penalty;
        st.history.push_back(m);
        st.epochs = epoch_;
        if (m.validationObjective < st.bestObjective - config_.minImprovement) {
            st.bestObjective = m.validationObjective;
            st.bestEpoch = epoch_;
            st.bestWeights = batch_.slotParams(k);
            st.sinceImprovement = 0;
        } else {
            ++st.sinceImprovement;
        }
        if (st.sinceImprovement >= patience_ || epoch_ >= config_.maxEpochs) finished[k] = 1;
    }
    bool anyFinished = false;
    for (int k = na - 1; k >= 0; --k)  // compaction: finished slots go behind the active ones
        if (finished[k]) {
            finishModel(k);
            anyFinished = true;
        }
    if (device_ && anyFinished) pushToDevice();  // the swapped slots
    const bool due = config_.checkpointEvery > 0 && epoch_ % config_.checkpointEvery == 0;
    if (!config_.checkpointPath.empty() && (due || numActive_ == 0)) saveCheckpoint(config_.checkpointPath);
    return true;
}

std::vector<double> Trainer::trainStep(const std::uint32_t* structures, int count, double lr) {
    std::vector<double> mse = step(structures, count, lr);
    if (device_) pullFromDevice();
    return mse;
}

std::vector<double> Trainer::step(const std::uint32_t* structures, int count, double lr) {
    AGL_CHECK(numActive_ > 0, "no model left to train");
    AGL_CHECK(count >= 1, "an optimiser step needs at least one training structure");
    const int na = numActive_;
    std::vector<double> mse;
    if (device_) {  // the same four steps as below, on the device's buffers
        device_->lossAndGradient(structures, count, na, mse);
        device_->maskGradient(na);
        ++step_;
        device_->adamwStep(na, step_, lr, config_.adamw);
        device_->proximalStep(na, lr);
        return mse;
    }
    MiniBatch& batch = count == config_.batchSize ? scratch_ : tailScratch_;
    gatherBatch(data_, structures, count, batch);
    batch_.lossAndGradient(batch, na, mse, grad_);
    maskFirstLayerGradient(batch_.layout(), na, batch_.groups(), grad_.data());
    ++step_;
    adamwStep(batch_.layout(), na, step_, lr, config_.adamw, grad_.data(), batch_.params().data(), m_.data(),
              v_.data());
    proximalGroupStep(batch_.layout(), na, lr, batch_.groups(), batch_.params().data());
    return mse;
}

void Trainer::finishModel(int slot) {
    ModelState& st = state_[batch_.modelOfSlot()[slot]];
    st.finished = true;
    if (st.bestWeights.empty()) st.bestWeights = batch_.slotParams(slot);  // objective never finite
    logVerbose("model " + std::to_string(batch_.modelOfSlot()[slot]) + " finished after " +
               std::to_string(st.epochs) + " epochs (best epoch " + std::to_string(st.bestEpoch) + ")");
    batch_.swapSlots(slot, numActive_ - 1, {&m_, &v_});
    --numActive_;
}

std::vector<double> Trainer::currentWeights(int model) const {
    const auto& slots = batch_.modelOfSlot();
    for (int k = 0; k < batch_.numSlots(); ++k)
        if (slots[k] == model) return batch_.slotParams(k);
    throw Error("no model " + std::to_string(model));
}

namespace {
const std::vector<double>& bestOrCurrent(const ModelState& st, const std::vector<double>& current) {
    return st.bestWeights.empty() ? current : st.bestWeights;
}
}  // namespace

std::vector<double> Trainer::bestGroupNorms(int model) const {
    AGL_CHECK(model >= 0 && model < int(state_.size()), "model index out of range");
    ModelBatch one(batch_.layout().archs(), 1);
    one.setSlotParams(0, bestOrCurrent(state_[model], currentWeights(model)));
    return groupNorms(one.layout(), 0, one.groups(), one.params().data());
}

double Trainer::rmse(int model, const std::vector<std::uint32_t>& structures) const {
    AGL_CHECK(model >= 0 && model < int(state_.size()), "model index out of range");
    if (structures.empty()) return 0.0;
    ModelBatch one(batch_.layout().archs(), 1);
    one.setSlotParams(0, bestOrCurrent(state_[model], currentWeights(model)));
    MiniBatch scratch;
    const auto sum = sumSquaredErrors(1, data_, structures, config_.batchSize, cpuPredictor(one, 1, data_, scratch));
    return std::sqrt(sum[0] / double(structures.size()));
}

Potential Trainer::potential(int model) const {
    AGL_CHECK(model >= 0 && model < int(state_.size()), "model index out of range");
    const std::vector<double> current = currentWeights(model);
    const std::vector<double>& w = bestOrCurrent(state_[model], current);
    Potential p;
    const auto& archs = batch_.layout().archs();
    for (std::size_t e = 0; e < archs.size(); ++e) {
        const std::size_t from = batch_.layout().canonicalElementOffset(int(e));
        p.elements.push_back({archs[e], scaling_[e],
                              std::vector<double>(w.begin() + from, w.begin() + from + archs[e].numParams())});
    }
    return p;
}

}  // namespace agl
