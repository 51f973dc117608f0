#include "feature_folder.hpp"

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

// One matrix of the folder while it grows: state/features_<name>.part, out/<name> when finished.
struct FeatureFolder::Part {
    std::string part, final;
    NpyRowWriter::Type type;
    std::size_t cols;
    std::fstream stream;
    std::unique_ptr<NpyRowWriter> rows;

    Part(const std::string& out, const std::string& name, NpyRowWriter::Type t, std::size_t c)
        : part(FeatureFolder::stateDir(out) + "/features_" + name + ".part"), final(out + "/" + name), type(t),
          cols(c) {}

    void create() {
        stream.open(part, std::ios::out | std::ios::binary | std::ios::trunc);
        if (!stream) throw InputError(part, 0, "cannot open for writing");
        rows = std::make_unique<NpyRowWriter>(stream, type, cols);
    }
    // Cut back to `count` rows (what a killed run wrote after its last checkpoint goes) and continue there.
    void reopen(std::size_t count) {
        const std::uint64_t bytes = NpyRowWriter::fileBytes(count, cols);
        std::error_code ec;
        const std::uintmax_t size = fs::file_size(part, ec);
        if (ec || size < bytes)
            throw InputError(part, 0, "shorter than the progress of the run records (" + std::to_string(bytes) +
                                          " bytes): cannot resume; --restart discards the run");
        fs::resize_file(part, bytes);
        stream.open(part, std::ios::in | std::ios::out | std::ios::binary);
        if (!stream) throw InputError(part, 0, "cannot open for writing");
        stream.seekp(0, std::ios::end);
        rows = std::make_unique<NpyRowWriter>(stream, type, cols, count);
    }
    void flush() {
        stream.flush();
        if (!stream) throw Error(part + ": write failed (disk full?)");  // not the input's fault: the state is kept
    }
    void moveToFinal() {
        rows->finish();
        stream.close();
        if (!stream) throw Error(part + ": write failed (disk full?)");  // not the input's fault: the state is kept
        fs::rename(part, final);
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
        if (structures > data.structures.size() || progress.at("elements").size() != elements_.size())
            throw InputError(progressPath(), 0, "does not match the data or the settings");
    } catch (const nlohmann::json::exception& e) {
        throw InputError(progressPath(), 0, std::string("unreadable run progress: ") + e.what());
    }
    std::vector<const Structure*> done;
    for (std::size_t s = 0; s < structures; ++s) done.push_back(&data.structures[s]);
    engine.appendLayout(done, table);
    for (std::size_t k = 0; k < elements_.size(); ++k) {
        ElementParts& e = elements_[k];
        ElementFeatures& ef = table.elements[k];
        const nlohmann::json& p = progress["elements"][k];
        if (p.value("symbol", "") != e.symbol || p.value("rows", std::size_t(0)) != ef.numAtoms())
            throw InputError(progressPath(), 0, "does not match the data or the settings");
        e.g->reopen(ef.numAtoms());
        e.g->stream.seekg(std::streamoff(NpyRowWriter::fileBytes(0, ef.numFunctions())));
        e.g->stream.read(reinterpret_cast<char*>(ef.values.data()), std::streamsize(ef.values.size() * 8));
        if (!e.g->stream) throw InputError(e.g->part, 0, "cannot read the rows back");
        e.g->stream.seekp(0, std::ios::end);
        e.nextRow = std::int64_t(ef.numAtoms());
        if (derivatives_) {
            const std::size_t entries = p.value("entries", std::size_t(0));
            e.blocks->reopen(entries);
            e.index->reopen(entries);
        }
    }
    return structures;
}

void FeatureFolder::appendDerivatives(const Structure& s, const StructureFeatures& f) {
    AGL_CHECK(derivatives_ && f.hasDerivatives(), "derivatives without their files");
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        std::size_t k = 0;
        while (s.elements[i] != elements_[k].element) ++k;  // the table has the element
        ElementParts& e = elements_[k];
        const std::uint32_t first = f.derivativeOffsets[i], last = f.derivativeOffsets[i + 1];
        e.blocks->rows->append(f.dGdr(i, first), last - first);
        pairs_.clear();
        for (std::uint32_t n = first; n < last; ++n) pairs_.insert(pairs_.end(), {e.nextRow, f.derivativeAtom[n]});
        e.index->rows->append(pairs_.data(), last - first);
        ++e.nextRow;
    }
}

void FeatureFolder::checkpoint(const FeatureTable& table) {
    for (std::size_t k = 0; k < elements_.size(); ++k) {
        ElementParts& e = elements_[k];
        const ElementFeatures& ef = table.elements[k];
        const std::size_t written = e.g->rows->rows();
        e.g->rows->append(ef.values.data() + written * ef.numFunctions(), ef.numAtoms() - written);
        AGL_CHECK(!derivatives_ || e.nextRow == std::int64_t(ef.numAtoms()), "derivatives of other rows");
        for (Part* p : {e.g.get(), e.blocks.get(), e.index.get()})
            if (p) p->flush();
    }
    writeProgress(table.numStructures());
}

void FeatureFolder::writeProgress(std::size_t structures) const {
    nlohmann::json j;
    j["structures"] = structures;
    for (const ElementParts& e : elements_) {
        nlohmann::json p = {{"symbol", e.symbol}, {"rows", e.g->rows->rows()}};
        if (derivatives_) p["entries"] = e.blocks->rows->rows();
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
    AtomicFile scaling(out_ + "/scaling.data", force_);
    writeScalingData(scaling.stream(), table);
    scaling.commit();
    if (functionData) {
        AtomicFile fd(out_ + "/function.data", force_);
        writeFunctionData(fd.stream(), table);
        fd.commit();
    }
    AtomicFile json(out_ + "/features.json", force_);
    json.stream() << run.dump(1) << "\n";
    json.commit();
    discardRunState(stateDir(out_), "features_");
}

}  // namespace agl::cli
