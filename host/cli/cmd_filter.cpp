// agl filter: unsupervised filter baselines (PC, CUR, FPS; include/agl/filters.hpp) on the symmetry functions
// of a data set, per element. Computes the features, optionally appends confounding noise columns, selects,
// and writes DIR/selected.json, DIR/selected.txt and DIR/selected.nn (the settings with only the picks).
#include <cmath>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/filters.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/noise_features.hpp"
#include "agl/timings.hpp"
#include "command.hpp"
#include "data_source.hpp"

namespace agl::cli {
namespace {

struct ElementResult {
    const ElementFeatures* features = nullptr;
    filters::FilterRun run;
    bool skipped = false;  // no atoms of this element in the data
};

// "--start J" (every element) or "--start H:3,O:0" (per element; 0-based columns).
std::map<int, int> parseStarts(const std::string& text, int& common) {
    std::map<int, int> perElement;
    common = -1;
    if (text.empty()) return perElement;
    if (text.find(':') == std::string::npos) {
        common = std::stoi(text);
        return perElement;
    }
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto colon = item.find(':');
        if (colon == std::string::npos) throw UsageError("--start", "expected SYMBOL:COLUMN, got '" + item + "'");
        perElement[atomicNumber(item.substr(0, colon))] = std::stoi(item.substr(colon + 1));
    }
    return perElement;
}

// cxxopts has no one-letter long options, but the documented spelling is `--n N` / `--k K`: rewrite them to
// the short form (`--n=5` to `--count=5`). The strings live as long as the call (static storage).
std::vector<char*> oneLetterLongOptions(int argc, char** argv) {
    static std::vector<std::string> storage;
    storage.assign(argv, argv + argc);
    const std::map<char, std::string> longName = {{'n', "count"}, {'k', "singular-vectors"}};
    for (std::string& a : storage) {
        if (a.size() < 3 || a[0] != '-' || a[1] != '-' || !longName.count(a[2])) continue;
        if (a.size() == 3) a = std::string("-") + a[2];
        else if (a[3] == '=') a = "--" + longName.at(a[2]) + a.substr(3);
    }
    std::vector<char*> out;
    for (std::string& a : storage) out.push_back(a.data());
    return out;
}

double finiteOr(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

nlohmann::json selectionJson(const ElementResult& r, const filters::FilterOptions& o) {
    const ElementFeatures& ef = *r.features;
    nlohmann::json e;
    e["element"] = elementSymbol(ef.element);
    e["Z"] = ef.element;
    e["numAtoms"] = ef.numAtoms();
    e["numFunctions"] = ef.numFunctions();
    if (r.skipped) {
        e["selected"] = nullptr;
        e["stopReason"] = "no atoms of this element in the data; all its functions kept";
        return e;
    }
    e["rowsUsed"] = r.run.rowsUsed;
    e["constantColumns"] = r.run.constantColumns;
    if (o.method == filters::Method::Cur) e["curSolver"] = filters::toString(r.run.curSolverUsed);
    nlohmann::json picks = nlohmann::json::array();
    const filters::Selection& s = r.run.selection;
    int noise = 0;
    for (std::size_t i = 0; i < s.picks.size(); ++i) {
        const SymmetryFunction& sf = ef.functions[static_cast<std::size_t>(s.picks[i])];
        nlohmann::json p;
        p["rank"] = i + 1;
        p["index"] = s.picks[i];        // 0-based column of this element
        p["n2p2Index"] = s.picks[i] + 1;  // 1-based, n2p2 order within the element
        p["score"] = std::isnan(s.scores[i]) || std::isinf(s.scores[i]) ? nlohmann::json(nullptr)
                                                                         : nlohmann::json(s.scores[i]);
        if (!s.residualNorm2.empty()) p["residualNorm2"] = s.residualNorm2[i];
        p["noise"] = sf.isNoise();
        p["function"] = sf.settingsLine();
        noise += sf.isNoise() ? 1 : 0;
        picks.push_back(p);
    }
    e["selected"] = picks;
    e["numSelected"] = s.picks.size();
    e["numNoiseSelected"] = noise;
    e["stopReason"] = s.stopReason;
    return e;
}

std::string scoreMeaning(filters::Method m) {
    switch (m) {
        case filters::Method::Cur: return "CUR leverage pi_j of the pick on the current residual";
        case filters::Method::Fps: return "squared distance to the nearest earlier pick (first: null = infinity)";
        case filters::Method::Pc: return "largest |Pearson rho| to the earlier picks (first: null)";
    }
    return "";
}

void writeText(std::ostream& out, const std::vector<ElementResult>& results, const filters::FilterOptions& o) {
    out << "# agl filter: method " << filters::toString(o.method) << ", preprocessing "
        << (o.method == filters::Method::Pc ? "none (Pearson rho is shift/scale invariant)"
                                            : filters::toString(o.preprocess))
        << "\n# score: " << scoreMeaning(o.method) << "\n";
    for (const ElementResult& r : results) {
        const ElementFeatures& ef = *r.features;
        out << "\n# element " << elementSymbol(ef.element) << ": " << ef.numAtoms() << " atoms, " << ef.numFunctions()
            << " functions";
        if (r.skipped) {
            out << ", no atoms: all functions kept\n";
            continue;
        }
        out << ", " << r.run.selection.picks.size() << " selected\n";
        if (o.method == filters::Method::Cur)
            out << "# CUR solver " << filters::toString(r.run.curSolverUsed) << " on " << r.run.rowsUsed << " of "
                << ef.numAtoms() << " rows" << (r.run.rowsUsed < ef.numAtoms() ? " (seeded random subset, seed " +
                                                                                   std::to_string(o.seed) + ")"
                                                                             : std::string())
                << "\n";
        if (!r.run.selection.stopReason.empty()) out << "# stopped: " << r.run.selection.stopReason << "\n";
        out << "# rank index n2p2_index score function\n";
        const filters::Selection& s = r.run.selection;
        for (std::size_t i = 0; i < s.picks.size(); ++i)
            out << std::setw(4) << i + 1 << ' ' << std::setw(5) << s.picks[i] << ' ' << std::setw(5) << s.picks[i] + 1
                << ' ' << std::setprecision(10) << std::setw(16) << finiteOr(s.scores[i], HUGE_VAL) << ' '
                << ef.functions[static_cast<std::size_t>(s.picks[i])].settingsLine() << "\n";
    }
}

// The input settings with only the selected (real) functions of each element, kept in n2p2 order.
NnSettings selectedSettings(const NnSettings& in, const std::vector<ElementResult>& results) {
    NnSettings out = in;
    out.functions.clear();
    for (const ElementResult& r : results) {
        const ElementFeatures& ef = *r.features;
        if (r.skipped) {
            for (const SymmetryFunction& sf : in.functionsOf(ef.element)) out.functions.push_back(sf);
            continue;
        }
        const std::set<int> chosen(r.run.selection.picks.begin(), r.run.selection.picks.end());
        for (int j : chosen)
            if (!ef.functions[static_cast<std::size_t>(j)].isNoise())
                out.functions.push_back(ef.functions[static_cast<std::size_t>(j)]);
    }
    return out;
}

}  // namespace

int runFilter(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Select symmetry functions per element with an unsupervised filter: pc (greedy min-max "
                             "|Pearson rho|), cur (iterative CUR, k singular vectors) or fps (farthest point "
                             "sampling). Writes OUT/selected.json, selected.txt and selected.nn.");
    options.add_options()
        ("method", "pc, cur or fps", cxxopts::value<std::string>())
        ("n,count", "functions to select per element (--n N works too; likewise --k)", cxxopts::value<int>())
        ("data", "structures (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("nn", "n2p2 settings with the candidate symmetry functions (input.nn)", cxxopts::value<std::string>())
        ("out", "output directory", cxxopts::value<std::string>())
        ("preprocess", "none, center or zscore (CUR, FPS; PC is invariant)",
         cxxopts::value<std::string>()->default_value("zscore"))
        ("start", "first pick (0-based column) for fps/pc: J for every element or H:J,O:K",
         cxxopts::value<std::string>()->default_value(""))
        ("k,singular-vectors", "CUR: singular vectors in the leverage score", cxxopts::value<int>()->default_value("1"))
        ("one-shot", "CUR: rank by the leverage of X once, no deflation")
        ("cur-solver", "CUR: auto, svd (exact, dense) or gram (d x d eigenproblem; for huge data)",
         cxxopts::value<std::string>()->default_value("auto"))
        ("max-rows", "CUR: use a seeded random subset of this many atoms per element (0 = all)",
         cxxopts::value<std::size_t>()->default_value("0"))
        ("signed", "PC: min-max signed rho instead of |rho| (reference variant)")
        ("add-noise-features", "append K |Gaussian| noise columns per element before selecting",
         cxxopts::value<int>()->default_value("0"))
        ("seed", "seed of the noise features and the CUR row subset", cxxopts::value<std::uint64_t>()->default_value("1"))
        ("force", "write into a non-empty OUT");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    cxxopts::ParseResult args;
    std::vector<char*> argvFixed = oneLetterLongOptions(argc, argv);
    if (!parseCommon(options, argc, argvFixed.data(), args)) return 0;
    for (const char* required : {"method", "n", "data", "nn", "out"})
        if (!args.count(required)) {
            logError(std::string("agl filter needs --") + required + " (see agl filter --help)");
            return 2;
        }

    filters::FilterOptions fo;
    fo.method = filters::parseMethod(args["method"].as<std::string>());
    fo.n = args["n"].as<int>();
    fo.preprocess = filters::parsePreprocess(args["preprocess"].as<std::string>());
    fo.k = args["k"].as<int>();
    fo.iterative = args.count("one-shot") == 0;
    fo.curSolver = filters::parseCurSolver(args["cur-solver"].as<std::string>());
    fo.maxRows = args["max-rows"].as<std::size_t>();
    fo.seed = args["seed"].as<std::uint64_t>();
    fo.signedPc = args.count("signed") > 0;
    if (fo.n <= 0) throw UsageError("--n", "must be positive");
    if (fo.k <= 0) throw UsageError("--k", "must be positive");
    int commonStart = -1;
    const std::map<int, int> starts = parseStarts(args["start"].as<std::string>(), commonStart);
    const int noiseCount = args["add-noise-features"].as<int>();
    const std::string outDir = args["out"].as<std::string>();
    const bool force = args.count("force") > 0;

    prepareOutputDir(outDir, force);
    const NnSettings settings = readNnSettings(args["nn"].as<std::string>());
    FeatureTable table;
    {
        ScopedPhase phase("filter features");
        const std::string dataPath = args["data"].as<std::string>();
        const Dataset data = readData(dataSource(args, dataPath));
        FeatureOptions feo;
        feo.device = resolveDevice(args["device"].as<std::string>());
        feo.precision = parsePrecision(args["precision"].as<std::string>());
        table = computeFeatures(data, settings, feo);
    }
    std::vector<NoiseColumns> noise;
    if (noiseCount > 0) {
        noise = addNoiseFeatures(table, noiseCount, fo.seed);
        logInfo("appended " + std::to_string(noiseCount) + " noise features per element (seed " +
                std::to_string(fo.seed) + ")");
    }

    std::vector<ElementResult> results;
    for (const ElementFeatures& ef : table.elements) {
        ElementResult r;
        r.features = &ef;
        if (ef.numAtoms() == 0 || ef.numFunctions() == 0) {
            logWarn("element " + elementSymbol(ef.element) + " has no atoms or no functions: nothing to select");
            r.skipped = true;
            results.push_back(std::move(r));
            continue;
        }
        filters::FilterOptions eo = fo;
        const auto it = starts.find(ef.element);
        eo.start = it != starts.end() ? it->second : commonStart;
        logInfo(filters::toString(fo.method) + " on " + elementSymbol(ef.element) + ": " +
                std::to_string(ef.numAtoms()) + " atoms x " + std::to_string(ef.numFunctions()) + " functions");
        r.run = filters::runFilter(ef.values.data(), ef.numAtoms(), ef.numFunctions(), eo);
        results.push_back(std::move(r));
    }

    nlohmann::json j;
    j["method"] = filters::toString(fo.method);
    j["preprocess"] = fo.method == filters::Method::Pc ? "none (Pearson rho is shift/scale invariant)"
                                                        : filters::toString(fo.preprocess);
    j["requested"] = fo.n;
    j["score"] = scoreMeaning(fo.method);
    j["data"] = args["data"].as<std::string>();
    j["nn"] = args["nn"].as<std::string>();
    if (fo.method == filters::Method::Cur) {
        j["cur"] = {{"k", fo.k}, {"iterative", fo.iterative}, {"solverRequested", filters::toString(fo.curSolver)},
                    {"maxRows", fo.maxRows}, {"seed", fo.seed},
                    {"note", "svd: SVD of the residual; gram: eigenvectors of R^T R (same picks, squared "
                             "condition number); rowsUsed < numAtoms means a seeded random row subset"}};
    }
    if (fo.method == filters::Method::Pc) j["pc"] = {{"signed", fo.signedPc}, {"start", args["start"].as<std::string>()}};
    if (fo.method == filters::Method::Fps) j["fps"] = {{"start", args["start"].as<std::string>()}};
    j["noiseFeatures"] = {{"perElement", noiseCount}, {"seed", fo.seed}};
    for (const NoiseColumns& nc : noise) {
        nlohmann::json laws = nlohmann::json::array();
        for (std::size_t q = 0; q < nc.imitates.size(); ++q)
            laws.push_back({{"imitates", nc.imitates[q]}, {"mu", nc.law[q].mu}, {"sigma", nc.law[q].sigma},
                            {"exact", nc.law[q].exact}});
        j["noiseFeatures"]["elements"][elementSymbol(nc.element)] = laws;
    }
    j["elements"] = nlohmann::json::array();
    for (const ElementResult& r : results) j["elements"].push_back(selectionJson(r, fo));

    AtomicFile json(outDir + "/selected.json", force), text(outDir + "/selected.txt", force),
        nn(outDir + "/selected.nn", force);
    json.stream() << j.dump(2) << "\n";
    writeText(text.stream(), results, fo);
    writeNnSettings(nn.stream(), selectedSettings(settings, results));
    json.commit();
    text.commit();
    nn.commit();
    logInfo("wrote " + outDir + "/selected.json, selected.txt, selected.nn");
    return 0;
}

}  // namespace agl::cli
