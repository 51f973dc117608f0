// Trainer checkpoints: the whole state in a little-endian binary file, so that a resumed run continues
// bit-identically. Layout (all sizes uint64, values raw IEEE doubles):
//   "AGLTRN03", payload, FNV-1a 64 checksum of the payload (uint64), where payload =
//   run identity (trainingRunIdentity), layout size, K, model size, params, Adam m, Adam v, step, epoch, numActive,
//   slot → model (K), λ (K), a (K·groups), mask (K·groups), shuffle RNG state (text of operator<<),
//   per model: finished, epochs, bestEpoch, sinceImprovement, bestObjective, bestWeights, history.
// The checksum is verified before anything is parsed: a damaged file is refused instead of resuming with
// altered weights (the files are written atomically, so only something outside agl damages them).
// The identity is checked next: a checkpoint of another run (other data, settings or models) is refused
// even where the shapes agree. Older files are still read, without that check: "AGLTRN02" (no identity) and
// "AGLTRN01" (no identity, no checksum; agl before 2026-12-02).
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "agl/atomic_file.hpp"
#include "agl/checksum.hpp"
#include "agl/error.hpp"
#include "agl/train/resident_models.hpp"
#include "agl/train/trainer.hpp"

namespace agl {

namespace {

constexpr char kMagic[9] = "AGLTRN03";
constexpr char kMagicWithoutIdentity[9] = "AGLTRN02";
constexpr char kMagicWithoutChecksum[9] = "AGLTRN01";

struct Writer {
    std::ostream& out;
    void u64(std::uint64_t v) { out.write(reinterpret_cast<const char*>(&v), sizeof v); }
    void f64(double v) { out.write(reinterpret_cast<const char*>(&v), sizeof v); }
    void doubles(const std::vector<double>& v) {
        u64(v.size());
        out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(double)));
    }
    void bytes(const std::string& s) {
        u64(s.size());
        out.write(s.data(), std::streamsize(s.size()));
    }
};

struct Reader {
    std::istream& in;
    const std::string& path;
    void fail(const std::string& what) const { throw InputError(path, 0, "corrupt or truncated checkpoint: " + what); }
    std::uint64_t u64() {
        std::uint64_t v = 0;
        if (!in.read(reinterpret_cast<char*>(&v), sizeof v)) fail("unexpected end");
        return v;
    }
    double f64() {
        double v = 0;
        if (!in.read(reinterpret_cast<char*>(&v), sizeof v)) fail("unexpected end");
        return v;
    }
    std::vector<double> doubles(std::size_t expected = std::size_t(-1)) {
        const std::uint64_t n = u64();
        if (expected != std::size_t(-1) && n != expected) fail("array length does not match this trainer");
        if (n > std::uint64_t(in.rdbuf()->in_avail()) / sizeof(double)) fail("array length beyond the end");
        std::vector<double> v(n);
        if (!in.read(reinterpret_cast<char*>(v.data()), std::streamsize(n * sizeof(double)))) fail("unexpected end");
        return v;
    }
    std::string bytes() {
        const std::uint64_t n = u64();
        if (n > std::uint64_t(in.rdbuf()->in_avail())) fail("string length beyond the end");
        std::string s(n, '\0');
        if (!in.read(s.data(), std::streamsize(n))) fail("unexpected end");
        return s;
    }
};

}  // namespace

void Trainer::saveCheckpoint(const std::string& path) const {
    std::ostringstream payload;
    Writer w{payload};
    const std::size_t K = std::size_t(batch_.numSlots());
    w.u64(identity_);
    w.u64(batch_.layout().size());
    w.u64(K);
    w.u64(batch_.layout().modelSize());
    w.doubles(batch_.params());
    w.doubles(m_);
    w.doubles(v_);
    w.u64(std::uint64_t(step_));
    w.u64(std::uint64_t(epoch_));
    w.u64(std::uint64_t(numActive_));
    for (int m : batch_.modelOfSlot()) w.u64(std::uint64_t(m));
    const GroupSettings& g = batch_.groups();
    w.doubles(g.lambda);
    w.doubles(g.adaptive);
    w.bytes(std::string(g.mask.begin(), g.mask.end()));
    std::ostringstream rng;
    rng << shuffleRng_;
    w.bytes(rng.str());
    for (const ModelState& st : state_) {
        w.u64(st.finished);
        w.u64(std::uint64_t(st.epochs));
        w.u64(std::uint64_t(st.bestEpoch));
        w.u64(std::uint64_t(st.sinceImprovement));
        w.f64(st.bestObjective);
        w.doubles(st.bestWeights);
        w.u64(st.history.size());
        for (const EpochMetrics& m : st.history) {
            w.u64(std::uint64_t(m.epoch));
            for (double v : {m.learningRate, m.trainRmse, m.validationRmse, m.penalty, m.validationObjective}) w.f64(v);
        }
    }
    const std::string bytes = payload.str();
    AtomicFile file(path, true);
    file.stream().write(kMagic, 8);
    file.stream().write(bytes.data(), std::streamsize(bytes.size()));
    Writer{file.stream()}.u64(fnv1a64(bytes));
    file.commit();
}

namespace {

struct CheckpointPayload {
    std::string bytes;
    bool hasIdentity = true;  // false: a file of an older format, payload without the run identity
};

// The payload of the checkpoint at `path`, its checksum verified.
CheckpointPayload checkpointPayload(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, "cannot open checkpoint");
    std::ostringstream all;
    all << in.rdbuf();
    const std::string file = all.str();
    const auto fail = [&](const std::string& what) {
        throw InputError(path, 0, "corrupt or truncated checkpoint: " + what);
    };
    if (file.size() < 8) fail("not an agl trainer checkpoint");
    if (file.compare(0, 8, kMagicWithoutChecksum, 8) == 0) return {file.substr(8), false};
    const bool hasIdentity = file.compare(0, 8, kMagic, 8) == 0;
    if (!hasIdentity && file.compare(0, 8, kMagicWithoutIdentity, 8) != 0) fail("not an agl trainer checkpoint");
    if (file.size() < 16) fail("unexpected end");
    std::string payload = file.substr(8, file.size() - 16);
    std::uint64_t stored = 0;
    std::memcpy(&stored, file.data() + file.size() - 8, sizeof stored);
    if (stored != fnv1a64(payload)) fail("checksum mismatch (the file was damaged or changed after agl wrote it)");
    return {std::move(payload), hasIdentity};
}

}  // namespace

void Trainer::loadCheckpoint(const std::string& path) {
    const CheckpointPayload payload = checkpointPayload(path);
    std::istringstream in(payload.bytes);
    Reader r{in, path};
    const std::size_t K = std::size_t(batch_.numSlots());
    if (payload.hasIdentity && r.u64() != identity_)
        throw InputError(path, 0,
                         "checkpoint of another run: the data, the training settings or the models differ from "
                         "this one's (start again without it, or use the run's own folder)");
    if (r.u64() != batch_.layout().size() || r.u64() != K || r.u64() != batch_.layout().modelSize())
        throw InputError(path, 0, "checkpoint is for a different network shape or number of models");
    batch_.params() = r.doubles(batch_.layout().size());
    m_ = r.doubles(batch_.layout().size());
    v_ = r.doubles(batch_.layout().size());
    step_ = long(r.u64());
    epoch_ = int(r.u64());
    numActive_ = int(r.u64());
    if (numActive_ > int(K)) r.fail("number of active models");
    std::vector<int> slots(K);
    for (int& m : slots) {
        m = int(r.u64());
        if (m < 0 || m >= int(K)) r.fail("slot assignment");
    }
    batch_.setModelOfSlot(slots);
    GroupSettings& g = batch_.groups();
    g.lambda = r.doubles(K);
    g.adaptive = r.doubles(K * g.numGroups());
    const std::string mask = r.bytes();
    if (mask.size() != K * g.numGroups()) r.fail("mask size");
    g.mask.assign(mask.begin(), mask.end());
    std::istringstream rng(r.bytes());
    rng >> shuffleRng_;
    if (!rng) r.fail("random generator state");
    for (ModelState& st : state_) {
        st.finished = r.u64() != 0;
        st.epochs = int(r.u64());
        st.bestEpoch = int(r.u64());
        st.sinceImprovement = int(r.u64());
        st.bestObjective = r.f64();
        st.bestWeights = r.doubles();
        if (!st.bestWeights.empty() && st.bestWeights.size() != batch_.layout().modelSize()) r.fail("best weights");
        const std::uint64_t epochs = r.u64();
        if (epochs > std::uint64_t(in.rdbuf()->in_avail()) / 48) r.fail("history length beyond the end");
        st.history.resize(epochs);
        for (EpochMetrics& m : st.history) {
            m.epoch = int(r.u64());
            m.learningRate = r.f64();
            m.trainRmse = r.f64();
            m.validationRmse = r.f64();
            m.penalty = r.f64();
            m.validationObjective = r.f64();
        }
    }
    if (in.peek() != std::char_traits<char>::eof()) r.fail("bytes after the last model");
    if (device_) pushToDevice();
}

void stopIfRequested(const Trainer& trainer, const std::function<bool()>& stopRequested, const std::string& where) {
    if (!stopRequested || !stopRequested() || trainer.allFinished()) return;
    const std::string& path = trainer.config().checkpointPath;
    if (!path.empty()) trainer.saveCheckpoint(path);
    throw Interrupted("interrupted " + where + "after epoch " + std::to_string(trainer.epoch()) +
                      (path.empty() ? std::string(" (no checkpoint: nothing saved)")
                                    : "; checkpoint " + path + ": run the same command again to continue"));
}

}  // namespace agl
