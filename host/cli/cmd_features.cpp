// agl features: symmetry functions of a data set → per-element G_<El>.npy, features.json, scaling.data
// (and n2p2 function.data on request; sparse derivatives dGdr_<El>.npy with --derivatives).
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/feature_files.hpp"
#include "agl/features.hpp"
#include "agl/gpu_features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"
#include "command.hpp"
#include "data_source.hpp"

namespace agl::cli {
namespace {

const char* tagName(SetTag t) { return t == SetTag::Train ? "train" : t == SetTag::Test ? "test" : ""; }

void writeJson(const std::string& path, const FeatureTable& table, const std::string& data, const std::string& nn,
               const FeatureOptions& options, bool force) {
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
    for (const auto& ef : table.elements) {
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

// Sparse derivatives per element: dGdr_<El>.npy (entries × 3·nf; row = the (3 × nf) block of one entry) and
// dGdr_<El>_index.npy (entries × 2: row of the centre atom in G_<El>, atom k in its structure).
void writeDerivatives(const std::string& dir, const Dataset& data, const FeatureEngine& engine,
                      const FeatureTable& table, const FeatureOptions& options, bool force) {
    std::vector<std::vector<double>> blocks(table.elements.size()), index(table.elements.size());
    std::vector<std::size_t> rowOf(table.elements.size(), 0);
    Progress progress("structures (derivatives)", data.structures.size());
    for (const Structure& s : data.structures) {
        StructureFeatures f;
        {
            ScopedPhase phase("feature kernels");
            f = options.device == Device::Gpu
                    ? std::move(gpu::computeFeatures({&s}, engine.groups(), options.precision, true)[0])
                    : engine.compute(s, true, options.threads);
        }
        for (std::size_t i = 0; i < s.numAtoms(); ++i) {
            std::size_t e = 0;
            while (table.elements[e].element != s.elements[i]) ++e;
            const std::size_t nf = static_cast<std::size_t>(f.numFunctions[i]);
            for (std::size_t k = f.derivativeOffsets[i]; k < f.derivativeOffsets[i + 1]; ++k) {
                blocks[e].insert(blocks[e].end(), f.dGdr(i, k), f.dGdr(i, k) + 3 * nf);
                index[e].push_back(static_cast<double>(rowOf[e]));
                index[e].push_back(static_cast<double>(f.derivativeAtom[k]));
            }
            ++rowOf[e];
        }
        progress.advance();
    }
    for (std::size_t e = 0; e < table.elements.size(); ++e) {
        const std::string el = elementSymbol(table.elements[e].element);
        const std::size_t nf = table.elements[e].numFunctions();
        writeMatrix(dir + "/dGdr_" + el + ".npy", blocks[e], index[e].size() / 2, 3 * nf, force);
        writeMatrix(dir + "/dGdr_" + el + "_index.npy", index[e], index[e].size() / 2, 2, force);
    }
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
        writeJson(out + "/features.json", table, dataPath, nnPath, opt, force);
        AtomicFile scaling(out + "/scaling.data", force);
        writeScalingData(scaling.stream(), table);
        scaling.commit();
        if (args.count("write-function-data")) {
            AtomicFile fd(out + "/function.data", force);
            writeFunctionData(fd.stream(), table);
            fd.commit();
        }
    }
    if (args.count("derivatives")) writeDerivatives(out, data, engine, table, opt, force);
    logInfo("wrote " + out);
    return 0;
}

}  // namespace agl::cli
