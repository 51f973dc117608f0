#include "feature_folder.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>

#include "agl/atomic_file.hpp"
#include "agl/checksum.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/feature_files.hpp"
#include "agl/train/run_state.hpp"

namespace agl::cli {

namespace fs = std::filesystem;

// One matrix of the folder while it grows: state/features_<name>.part, out/<name> when finished. `sum` is
// the checksum of its rows (not the header, which finish() rewrites), recorded with the progress.
struct FeatureFolder::Part {
    std::string name, part, final;
    NpyRowWriter::Type type;
    std::size_t cols;
    std::fstream stream;
    std::unique_ptr<NpyRowWriter> rows;
    WordChecksum sum;

    Part(const std::string& out, const std::string& n, NpyRowWriter::Type t, std::size_t c)
        : name(n), part(FeatureFolder::stateDir(out) + "/features_" + n + ".part"), final(out + "/" + n), type(t),
          cols(c) {}

    void create() {
        stream.open(part, std::ios::out | std::ios::binary | std::ios::trunc);
        if (!stream) throw InputError(part, 0, "cannot open for writing");
        rows = std::make_unique<NpyRowWriter>(stream, type, cols);
    }
    template <typename T>
    void append(const T* values, std::size_t count) {
        sum.add(values, count * cols);
        rows->append(values, count);
    }
    // Cut back to `count` rows (what a killed run wrote after its last checkpoint goes), check them against
    // the recorded checksum and continue there. `into` (count × cols values, or null): the rows read back.
    void reopen(std::size_t count, std::uint64_t checksum, double* into) {
        const std::uint64_t bytes = NpyRowWriter::fileBytes(count, cols);
        std::error_code ec;
        const std::uintmax_t size = fs::file_size(part, ec);
        if (ec || size < bytes)
            throw InputError(part, 0, "shorter than the progress of the run records (" + std::to_string(bytes) +
                                          " bytes): cannot resume; --restart discards the run");
        fs::resize_file(part, bytes);
        stream.open(part, std::ios::in | std::ios::out | std::ios::binary);
        if (!stream) throw InputError(part, 0, "cannot open for writing");
        readBack(count * cols, into);
        if (sum.value() != checksum)
            throw InputError(part, 0, "damaged: its rows do not match the checksum the run recorded; --restart "
                                      "discards the run");
        stream.seekp(0, std::ios::end);
        rows = std::make_unique<NpyRowWriter>(stream, type, cols, count);
    }
    void flush() {  // to the disk: the progress written next must not record rows a power loss would lose
        stream.flush();
        if (!stream) throw Error(part + ": write failed (disk full?)");  // not the input's fault: the state is kept
        syncFile(part);
    }
    void moveToFinal() {
        rows->finish();
        stream.close();
        if (!stream) throw Error(part + ": write failed (disk full?)");  // not the input's fault: the state is kept
        fs::rename(part, final);
    }

private:
    // The `words` values after the header into sum (and into `into`, when given), a piece at a time.
    void readBack(std::size_t words, double* into) {
        std::vector<std::uint64_t> piece(std::min<std::size_t>(words, std::size_t(1) << 19));  // 4 MB
        stream.seekg(std::streamoff(NpyRowWriter::fileBytes(0, cols)));
        sum = WordChecksum{};
        for (std::size_t done = 0; done < words;) {
            const std::size_t n = std::min(piece.size(), words - done);
            char* target = into ? reinterpret_cast<char*>(into + done) : reinterpret_cast<char*>(piece.data());
            stream.read(target, std::streamsize(n * 8));
            if (!stream) throw InputError(part, 0, "cannot read the rows back");
            sum.add(target, n);
            done += n;
        }
    }
};

FeatureFolder::FeatureFolder(std::string out, const FeatureTable& table, bool derivatives, bool force)
    : out_(std::move(out)), derivatives_(derivatives), force_(force) {
    for (const ElementFeatures& ef : table.elements) {
        ElementParts e;
        e.element = ef.element;
        e.symbol = elementSymbol(ef.element);
        const std::size_t nf = ef.numFunctions();
        e.g = std::make_unique<Part>(out_, "G_" + e.symbol + ".npy", NpyRowWriter::Type::Float64, nf);
        if (derivatives_) {
            e.blocks = std::make_unique<Part>(out_, "dGdr_" + e.symbol + ".npy", NpyRowWriter::Type::Float64, 3 * nf);
            e.index = std::make_unique<Part>(out_, "dGdr_" + e.symbol + "_index.npy", NpyRowWriter::Type::Int64, 2);
        }
        elements_.push_back(std::move(e));
    }
}

FeatureFolder::~FeatureFolder() = default;

std::string FeatureFolder::progressPath() const { return stateDir(out_) + "/features_progress.json"; }

std::size_t FeatureFolder::open(const Dataset& data, const FeatureEngine& engine, FeatureTable& table) {
    AGL_CHECK(table.numStructures() == 0 && table.elements.size() == elements_.size(), "not the engine's table");
    if (!fs::exists(progressPath())) {
        for (ElementParts& e : elements_)
            for (Part* p : {e.g.get(), e.blocks.get(), e.index.get()})
                if (p) p->create();
        return 0;
    }
    nlohmann::json progress;
    std::size_t structures = 0;
    try {
        std::ifstream in(progressPath());
        in >> progress;
        const std::uint64_t checksum = progress.at("checksum").get<std::uint64_t>();
        progress.erase("checksum");
        if (checksum != fnv1a64(progress.dump()))
            throw InputError(progressPath(), 0, "damaged (its checksum does not match): --restart discards the run");
        structures = progress.at("structures").get<std::size_t>();
        finishing_ = progress.value("finishing", false);
        if (structures > data.structures.size() || progress.at("elements").size() != elements_.size())
            throw InputError(progressPath(), 0, "does not match the data or the settings");
    } catch (const nlohmann::json::exception& e) {
        throw InputError(progressPath(), 0, std::string("unreadable run progress: ") + e.what());
    }
    std::vector<const Structure*> done;
    for (std::size_t s = 0; s < structures; ++s) done.push_back(&data.structures[s]);
    engine.appendLayout(done, table);
    try {
        for (std::size_t k = 0; k < elements_.size(); ++k)
            reopenElement(elements_[k], progress["elements"][k], table.elements[k]);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(progressPath(), 0, std::string("unreadable run progress: ") + e.what());
    }
    return structures;
}

void FeatureFolder::reopenElement(ElementParts& e, const nlohmann::json& p, ElementFeatures& ef) {
    if (p.value("symbol", "") != e.symbol || p.value("rows", std::size_t(0)) != ef.numAtoms())
        throw InputError(progressPath(), 0, "does not match the data or the settings");
    const nlohmann::json& sums = p.at("checksums");
    for (Part* part : {e.g.get(), e.blocks.get(), e.index.get()}) {
        // A run killed while finish() moved the files into place: the moved ones go back into state (their
        // checksums below say whether they are the run's).
        if (part && finishing_ && !fs::exists(part->part) && fs::exists(part->final))
            fs::rename(part->final, part->part);
    }
    e.g->reopen(ef.numAtoms(), sums.at(e.g->name).get<std::uint64_t>(), ef.values.data());
    e.nextRow = std::int64_t(ef.numAtoms());
    if (derivatives_) {
        const std::size_t entries = p.at("entries").get<std::size_t>();
        e.blocks->reopen(entries, sums.at(e.blocks->name).get<std::uint64_t>(), nullptr);
        e.index->reopen(entries, sums.at(e.index->name).get<std::uint64_t>(), nullptr);
    }
}

void FeatureFolder::appendDerivatives(const Structure& s, const StructureFeatures& f) {
    AGL_CHECK(derivatives_ && f.hasDerivatives(), "derivatives without their files");
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        std::size_t k = 0;
        while (s.elements[i] != elements_[k].element) ++k;  // the table has the element
        ElementParts& e = elements_[k];
        const std::uint32_t first = f.derivativeOffsets[i], last = f.derivativeOffsets[i + 1];
        e.blocks->append(f.dGdr(i, first), last - first);
        pairs_.clear();
        for (std::uint32_t n = first; n < last; ++n) pairs_.insert(pairs_.end(), {e.nextRow, f.derivativeAtom[n]});
        e.index->append(pairs_.data(), last - first);
        ++e.nextRow;
    }
}

void FeatureFolder::checkpoint(const FeatureTable& table) {
    for (std::size_t k = 0; k < elements_.size(); ++k) {
        ElementParts& e = elements_[k];
        const ElementFeatures& ef = table.elements[k];
        const std::size_t written = e.g->rows->rows();
        e.g->append(ef.values.data() + written * ef.numFunctions(), ef.numAtoms() - written);
        AGL_CHECK(!derivatives_ || e.nextRow == std::int64_t(ef.numAtoms()), "derivatives of other rows");
        for (Part* p : {e.g.get(), e.blocks.get(), e.index.get()})
            if (p) p->flush();
    }
    writeProgress(table.numStructures(), false);
}

void FeatureFolder::writeProgress(std::size_t structures, bool finishing) const {
    nlohmann::json j;
    j["structures"] = structures;
    if (finishing) j["finishing"] = true;
    for (const ElementParts& e : elements_) {
        nlohmann::json p = {{"symbol", e.symbol}, {"rows", e.g->rows->rows()}};
        if (derivatives_) p["entries"] = e.blocks->rows->rows();
        for (const Part* part : {e.g.get(), e.blocks.get(), e.index.get()})
            if (part) p["checksums"][part->name] = part->sum.value();
        j["elements"].push_back(p);
    }
    j["checksum"] = fnv1a64(j.dump());  // of the fields above: an edited or damaged file is refused
    AtomicFile f(progressPath(), true);  // replaces the previous chunk's
    f.stream() << j.dump(1) << "\n";
    f.commit();
}

void FeatureFolder::discard() {
    for (ElementParts& e : elements_)
        for (Part* p : {e.g.get(), e.blocks.get(), e.index.get()})
            if (p) p->stream.close();
    discardRunState(stateDir(out_), "features_");
}

void FeatureFolder::finish(const FeatureTable& table, nlohmann::json run, bool functionData) {
    for (const ElementParts& e : elements_)  // every name checked before any file moves
        for (const Part* p : {e.g.get(), e.blocks.get(), e.index.get()})
            if (p) refuseOverwrite(p->final, force_);
    // From here on, the files in OUT are this run's: a rerun after a kill moves them back and replaces the rest.
    const bool replace = force_ || finishing_;
    finishing_ = true;
    writeProgress(table.numStructures(), true);
    for (std::size_t k = 0; k < elements_.size(); ++k) {
        ElementParts& e = elements_[k];
        const ElementFeatures& ef = table.elements[k];
        nlohmann::json j;
        j["symbol"] = e.symbol;
        j["atomic_number"] = ef.element;
        j["file"] = fs::path(e.g->final).filename().string();
        j["shape"] = {ef.numAtoms(), ef.numFunctions()};
        std::vector<std::string> lines;
        for (const auto& sf : ef.functions) lines.push_back(sf.settingsLine());
        j["functions"] = lines;
        j["structure"] = ef.structure;  // (rows) structure index of each row
        j["atom"] = ef.atom;            // (rows) atom index within its structure
        AGL_CHECK(e.g->rows->rows() == ef.numAtoms(), "G rows not all written");
        e.g->moveToFinal();
        if (derivatives_) {
            j["derivatives"] = {{"file", fs::path(e.blocks->final).filename().string()},
                                {"shape", {e.blocks->rows->rows(), e.blocks->cols}},
                                {"index", fs::path(e.index->final).filename().string()},
                                {"index_shape", {e.index->rows->rows(), 2}}};
            e.blocks->moveToFinal();
            e.index->moveToFinal();
        }
        run["elements"].push_back(j);
    }
    AtomicFile scaling(out_ + "/scaling.data", replace);
    writeScalingData(scaling.stream(), table);
    scaling.commit();
    if (functionData) {
        AtomicFile fd(out_ + "/function.data", replace);
        writeFunctionData(fd.stream(), table);
        fd.commit();
    }
    AtomicFile json(out_ + "/features.json", replace);
    json.stream() << run.dump(1) << "\n";
    json.commit();
    discardRunState(stateDir(out_), "features_");
}

}  // namespace agl::cli
