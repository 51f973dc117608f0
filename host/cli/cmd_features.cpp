// agl features: symmetry functions of a data set → per-element G_<El>.npy, scaling.data (and n2p2 function.data
// on request; sparse derivatives dGdr_<El>.npy + dGdr_<El>_index.npy with --derivatives), then features.json.
// Derivative files: dGdr_<El>.npy, float64 (entries × 3·nf), each row the (3 × nf) block of one entry (x, y, z
// rows of ∂G_f/∂r_k, agl/features.hpp), and dGdr_<El>_index.npy, int64 (entries × 2): the row of the centre
// atom in G_<El>, atom k in its structure. The folder grows chunk by chunk in OUT/state (feature_folder.hpp):
// SIGINT/SIGTERM finish the chunk and exit 130, and a rerun of the same command continues after the last
// finished chunk, also after a kill.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"
#include "agl/train/run_state.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "feature_folder.hpp"
#include "stop_signals.hpp"

namespace agl::cli {
namespace {

const char* tagName(SetTag t) { return t == SetTag::Train ? "train" : t == SetTag::Test ? "test" : ""; }

// The precision the features are computed in: the CPU engine always computes in fp64.
const char* computedPrecision(const FeatureOptions& o) {
    return o.device == Device::Gpu ? precisionName(o.precision) : "fp64";
}

// What decides the files: another data set, function set, device, precision or --derivatives is another run.
nlohmann::json runIdentity(const Dataset& data, const FeatureTable& table, const FeatureOptions& o) {
    nlohmann::json j = {{"command", "features"},
                        {"data", datasetFingerprint(data)},
                        {"device", deviceName(o.device)},
                        {"precision", computedPrecision(o)},
                        {"derivatives", o.derivatives}};
    for (const ElementFeatures& ef : table.elements)
        for (const auto& sf : ef.functions) j["functions"].push_back(sf.settingsLine());
    return j;
}

// The top-level fields of features.json (FeatureFolder::finish adds the elements).
nlohmann::json runJson(const FeatureTable& table, const std::string& data, const std::string& nn,
                       const FeatureOptions& o) {
    nlohmann::json j;
    j["data"] = data;
    j["settings"] = nn;
    j["device"] = deviceName(o.device);
    j["precision"] = computedPrecision(o);
    j["energies"] = table.energies;
    j["num_atoms"] = table.numAtoms;
    std::vector<std::string> tags;
    for (SetTag t : table.tags) tags.push_back(tagName(t));
    j["tags"] = tags;
    return j;
}

}  // namespace

int runFeatures(int argc, char** argv) {
    cxxopts::Options options(argv[0], "Compute the symmetry functions (features) of a data set. Ctrl-C finishes "
                                      "the chunk and stops; the same command again continues.");
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
        ("chunk", "structures per chunk (a GPU batch; the work an interruption can lose)",
         cxxopts::value<std::size_t>()->default_value("256"))
        ("stop-after", "stop after N chunks as if interrupted (state kept, exit 130; for tests and job limits)",
         cxxopts::value<std::size_t>()->default_value("0"))
        ("restart", "discard the unfinished run in OUT/state")
        ("force", "write into a non-empty output directory, overwrite its files");
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    for (const char* required : {"data", "nn", "out"})
        if (!args.count(required)) throw UsageError("command line", std::string("--") + required + " is required");
    const std::string dataPath = args["data"].as<std::string>(), nnPath = args["nn"].as<std::string>(),
                      out = args["out"].as<std::string>(), stateDir = FeatureFolder::stateDir(out);
    const bool force = args.count("force") > 0;

    FeatureOptions opt;
    opt.device = resolveDevice(args["device"].as<std::string>());
    opt.precision = parsePrecision(args["precision"].as<std::string>());
    opt.threads = args["threads"].as<int>();
    opt.chunkStructures = std::max<std::size_t>(1, args["chunk"].as<std::size_t>());
    opt.derivatives = args.count("derivatives") > 0;
    if (opt.device == Device::Cpu && opt.precision == Precision::Fp32)
        logVerbose("the CPU engine computes in fp64 (--precision applies to the GPU)");

    if (args.count("restart")) discardRunState(stateDir, "features_");
    const bool resuming = std::filesystem::exists(stateDir + "/config.json");
    if (!resuming) prepareOutputDir(out, force);
    const NnSettings settings = readNnSettings(nnPath);
    Dataset data;
    {
        ScopedPhase phase("read structures");
        data = readData(dataSource(args, dataPath));
    }
    const FeatureEngine engine(settings);
    FeatureTable table = engine.emptyTable();
    claimStateDir(stateDir, runIdentity(data, table, opt));
    FeatureFolder folder(out, table, opt.derivatives, force);
    const std::size_t restored = folder.open(data, engine, table);
    if (restored > 0) logInfo("resuming in " + out + ": " + std::to_string(restored) + " structures were done");
    logInfo("features of " + std::to_string(data.structures.size()) + " structures (" +
            std::to_string(data.numAtoms()) + " atoms) on " + deviceName(opt.device));

    const std::size_t stopAfter = args["stop-after"].as<std::size_t>();
    std::size_t chunks = 0;
    bool stopped = false;
    {
        StopSignals signals;
        Progress progress("structures", data.structures.size(), restored);
        const auto derivatives = [&](std::size_t s, const StructureFeatures& f) {
            ScopedPhase phase("write derivatives");
            folder.appendDerivatives(data.structures[s], f);
        };
        const auto afterChunk = [&](std::size_t n) {
            {
                ScopedPhase phase("write features");
                folder.checkpoint(table);
            }
            progress.advance(n);
            stopped = table.numStructures() < data.structures.size() &&
                      (StopSignals::requested() || ++chunks == stopAfter);
            return !stopped;
        };
        try {
            continueFeatures(data, engine, settings, opt, table, derivatives, afterChunk);
        } catch (const InputError&) {  // a refused structure; other errors (a full disk, the GPU) keep the state
            folder.discard();
            throw;
        }
    }
    if (stopped) {
        logInfo("stopped after " + std::to_string(table.numStructures()) + " structures; the same command "
                "continues the run in " + out);
        return 130;
    }
    ScopedPhase phase("write features");
    folder.finish(table, runJson(table, dataPath, nnPath, opt), args.count("write-function-data") > 0);
    logInfo("wrote " + out);
    return 0;
}

}  // namespace agl::cli
