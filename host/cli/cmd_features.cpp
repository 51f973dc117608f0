// agl features: symmetry functions of a data set → per-element G_<El>.npy, scaling.data (and n2p2 function.data
// on request; sparse derivatives dGdr_<El>.npy + dGdr_<El>_index.npy with --derivatives), then features.json.
#include <cstdint>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/feature_files.hpp"
#include "agl/features.hpp"
#include "agl/gpu_features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/npy.hpp"
#include "agl/timings.hpp"
#include "command.hpp"
#include "data_source.hpp"

namespace agl::cli {
namespace {

const char* tagName(SetTag t) { return t == SetTag::Train ? "train" : t == SetTag::Test ? "test" : ""; }

// Sparse derivatives of one element, written structure by structure (memory: one structure's, not the data
// set's): dGdr_<El>.npy, float64 (entries × 3·nf), each row the (3 × nf) block of one entry (x, y, z rows of
// ∂G_f/∂r_k, agl/features.hpp), and dGdr_<El>_index.npy, int64 (entries × 2): the row of the centre atom in
// G_<El>, atom k in its structure. An interrupted run leaves neither (AtomicFile).
class DerivativeFiles {
public:
    DerivativeFiles(const std::string& dir, int element, std::size_t numFunctions, bool force)
        : blocks_(dir + "/" + blocksName(element), force),
          index_(dir + "/" + indexName(element), force),
          blockRows_(blocks_.stream(), NpyRowWriter::Type::Float64, 3 * numFunctions),
          indexRows_(index_.stream(), NpyRowWriter::Type::Int64, 2) {}
    static std::string blocksName(int element) { return "dGdr_" + elementSymbol(element) + ".npy"; }
    static std::string indexName(int element) { return "dGdr_" + elementSymbol(element) + "_index.npy"; }

    // The entries of centre atom i of f (contiguous in f), whose row in G_<El> is `row`.
    void append(const StructureFeatures& f, std::size_t i, std::int64_t row) {
        const std::uint32_t first = f.derivativeOffsets[i], last = f.derivativeOffsets[i + 1];
        blockRows_.append(f.dGdr(i, first), last - first);
        pairs_.clear();
        for (std::uint32_t e = first; e < last; ++e) pairs_.insert(pairs_.end(), {row, f.derivativeAtom[e]});
        indexRows_.append(pairs_.data(), last - first);
    }
    std::size_t entries() const { return blockRows_.rows(); }
    void commit() {
        blockRows_.finish();
        indexRows_.finish();
        blocks_.commit();
        index_.commit();
    }

private:
    AtomicFile blocks_, index_;
    NpyRowWriter blockRows_, indexRows_;
    std::vector<std::int64_t> pairs_;  // scratch: one atom's index rows
};

// Computes the derivatives once more, structure by structure, and writes them; the entries per element.
std::vector<std::size_t> writeDerivatives(const std::string& dir, const Dataset& data, const FeatureEngine& engine,
                                          const FeatureTable& table, const FeatureOptions& options, bool force) {
    std::vector<std::unique_ptr<DerivativeFiles>> files;
    for (const auto& ef : table.elements)
        files.push_back(std::make_unique<DerivativeFiles>(dir, ef.element, ef.numFunctions(), force));
    std::vector<std::int64_t> rowOf(table.elements.size(), 0);
    Progress progress("structures (derivatives)", data.structures.size());
    StructureFeatures f;
    for (const Structure& s : data.structures) {
        {
            ScopedPhase phase("feature kernels");
            if (options.device == Device::Gpu)
                f = std::move(gpu::computeFeatures({&s}, engine.groups(), options.precision, true)[0]);
            else
                engine.compute(s, true, options.threads, f);
        }
        ScopedPhase phase("write derivatives");
        for (std::size_t i = 0; i < s.numAtoms(); ++i) {
            std::size_t e = 0;
            while (table.elements[e].element != s.elements[i]) ++e;
            files[e]->append(f, i, rowOf[e]++);
        }
        progress.advance();
    }
    std::vector<std::size_t> entries;
    for (auto& file : files) {
        file->commit();
        entries.push_back(file->entries());
    }
    return entries;
}

// features.json, written last: its presence says the folder is complete. `entries` (per element; empty without
// --derivatives) describes the derivative files.
void writeJson(const std::string& path, const FeatureTable& table, const std::vector<std::size_t>& entries,
               const std::string& data, const std::string& nn, const FeatureOptions& options, bool force) {
    nlohmann::json j;
    j["data"] = data;
    j["settings"] = nn;
    j["device"] = deviceName(options.device);
    j["precision"] = options.device == Device::Gpu ? precisionName(options.precision) : "fp64";
    j["energies"] = table.energies;
    j["num_atoms"] = table.numAtoms;
    std::vector<std::string> tags;
    for (SetTag t : table.tags) tags.push_back(tagName(t));
    j["tags"] = tags;
    for (std::size_t k = 0; k < table.elements.size(); ++k) {
        const ElementFeatures& ef = table.elements[k];
        nlohmann::json e;
        e["symbol"] = elementSymbol(ef.element);
        e["atomic_number"] = ef.element;
        e["file"] = "G_" + elementSymbol(ef.element) + ".npy";
        e["shape"] = {ef.numAtoms(), ef.numFunctions()};
        std::vector<std::string> lines;
        for (const auto& sf : ef.functions) lines.push_back(sf.settingsLine());
        e["functions"] = lines;
        e["structure"] = ef.structure;  // (rows) structure index of each row
        e["atom"] = ef.atom;            // (rows) atom index within its structure
        if (!entries.empty()) {
            e["derivatives"] = {{"file", DerivativeFiles::blocksName(ef.element)},
                                {"shape", {entries[k], 3 * ef.numFunctions()}},
                                {"index", DerivativeFiles::indexName(ef.element)},
                                {"index_shape", {entries[k], 2}}};
        }
        j["elements"].push_back(e);
    }
    AtomicFile f(path, force);
    f.stream() << j.dump(1) << "\n";
    f.commit();
}

void writeMatrix(const std::string& path, const std::vector<double>& values, std::size_t rows, std::size_t cols,
                 bool force) {
    AtomicFile f(path, force);
    writeNpy(f.stream(), values.data(), rows, cols);
    f.commit();
}

}  // namespace

int runFeatures(int argc, char** argv) {
    cxxopts::Options options(argv[0], "Compute the symmetry functions (features) of a data set.");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    options.add_options()
        ("data", "structures (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("nn", "settings with the symmetry functions (n2p2 input.nn)", cxxopts::value<std::string>())
        ("out", "output directory", cxxopts::value<std::string>())
        ("derivatives", "also write the sparse derivatives dG/dr (dGdr_<El>.npy)")
        ("write-function-data", "also write n2p2's function.data")
        ("threads", "CPU threads (0 = all)", cxxopts::value<int>()->default_value("0"))
        ("chunk", "structures per chunk", cxxopts::value<std::size_t>()->default_value("256"))
        ("force", "overwrite an existing output directory");
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    for (const char* required : {"data", "nn", "out"})
        if (!args.count(required)) throw UsageError("command line", std::string("--") + required + " is required");
    const std::string dataPath = args["data"].as<std::string>(), nnPath = args["nn"].as<std::string>(),
                      out = args["out"].as<std::string>();
    const bool force = args.count("force") > 0;

    FeatureOptions opt;
    opt.device = resolveDevice(args["device"].as<std::string>());
    opt.precision = parsePrecision(args["precision"].as<std::string>());
    opt.threads = args["threads"].as<int>();
    opt.chunkStructures = std::max<std::size_t>(1, args["chunk"].as<std::size_t>());
    if (opt.device == Device::Cpu && opt.precision == Precision::Fp32)
        logVerbose("the CPU engine computes in fp64 (--precision applies to the GPU)");

    const NnSettings settings = readNnSettings(nnPath);
    prepareOutputDir(out, force);
    Dataset data;
    {
        ScopedPhase phase("read structures");
        data = readData(dataSource(args, dataPath));
    }
    logInfo("features of " + std::to_string(data.structures.size()) + " structures (" +
            std::to_string(data.numAtoms()) + " atoms) on " + deviceName(opt.device));

    const FeatureEngine engine(settings);
    FeatureTable table;
    {
        Progress progress("structures", data.structures.size());
        table = computeFeatures(data, engine, settings, opt, [&](std::size_t n) { progress.advance(n); });
    }
    {
        ScopedPhase phase("write features");
        for (const auto& ef : table.elements)
            writeMatrix(out + "/G_" + elementSymbol(ef.element) + ".npy", ef.values, ef.numAtoms(), ef.numFunctions(),
                        force);
        AtomicFile scaling(out + "/scaling.data", force);
        writeScalingData(scaling.stream(), table);
        scaling.commit();
        if (args.count("write-function-data")) {
            AtomicFile fd(out + "/function.data", force);
            writeFunctionData(fd.stream(), table);
            fd.commit();
        }
    }
    std::vector<std::size_t> entries;
    if (args.count("derivatives")) entries = writeDerivatives(out, data, engine, table, opt, force);
    writeJson(out + "/features.json", table, entries, dataPath, nnPath, opt, force);
    logInfo("wrote " + out);
    return 0;
}

}  // namespace agl::cli
