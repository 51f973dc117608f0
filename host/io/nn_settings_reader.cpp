// n2p2 input.nn reader (../shared/reference/n2p2-conventions.md §3). Keywords may come in any order (n2p2
// reads the file as a keyword table), so symmetry functions, element overrides and atom energies are parsed
// line by line but checked against `elements` and `cutoff_type` once the whole file is read.
#include <algorithm>
#include <set>

#include "agl/element.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "text_scan.hpp"

namespace agl {
namespace {

using io::LineReader;

struct SettingsParser {
    LineReader& in;
    NnSettings out;
    std::vector<std::string_view> tok;
    std::vector<SymmetryFunction> functions;  // as read, each with its sourceLine
    struct ElementNodes { int z, layer, nodes; long line; };
    std::vector<ElementNodes> elementNodes;
    std::vector<std::pair<long, int>> atomEnergyLines;  // (line, z)
    long numElements = -1;
    long declaredLayers = -1;
    std::map<std::string, long> seen;  // keyword -> first line, for keywords that may appear once
    std::set<std::string> trainingKeywords;  // n2p2 training options found (summarised once)

    explicit SettingsParser(LineReader& r) : in(r) {}

    void split(std::string_view line) {
        tok.clear();
        std::string_view t[1];
        std::size_t n = io::splitTokens(line, t, 0);
        tok.resize(n);
        io::splitTokens(line, tok.data(), n);
    }
    void expectCount(std::size_t want, const char* form) {
        if (tok.size() != want)
            in.fail("'" + std::string(tok[0]) + "' has " + std::to_string(tok.size() - 1) +
                    " arguments, expected: " + form);
    }
    void once() {
        auto [it, inserted] = seen.emplace(std::string(tok[0]), in.lineNumber());
        if (!inserted) in.fail("'" + it->first + "' given twice (first at line " + std::to_string(it->second) + ")");
    }
    int element(std::string_view sym) {
        int z = atomicNumber(sym);
        if (z == 0) in.fail("unknown element '" + std::string(sym) + "'");
        return z;
    }
    int integer(std::string_view t, const char* what) { return static_cast<int>(io::parseInteger(in, t, what)); }
    double real(std::string_view t, const char* what) { return io::parseDouble(in, t, what); }

    void parseLine(std::string_view line);
    void parseSymmetryFunction();
    void finish();
};

void SettingsParser::parseLine(std::string_view raw) {
    std::string_view line = raw.substr(0, raw.find_first_of("#!"));  // n2p2 (Settings::parseLines) cuts both
    split(line);
    if (tok.empty()) return;
    const std::string_view kw = tok[0];
    if (kw == "number_of_elements") {
        once();
        expectCount(2, "number_of_elements <n>");
        numElements = integer(tok[1], "number_of_elements");
    } else if (kw == "elements") {
        once();
        if (tok.size() < 2) in.fail("'elements' lists no element");
        for (std::size_t k = 1; k < tok.size(); ++k) {
            int z = element(tok[k]);
            if (std::count(out.elements.begin(), out.elements.end(), z))
                in.fail("element '" + std::string(tok[k]) + "' listed twice");
            out.elements.push_back(z);
        }
        std::sort(out.elements.begin(), out.elements.end());
    } else if (kw == "cutoff_type") {
        once();
        if (tok.size() != 2 && tok.size() != 3) in.fail("'cutoff_type' takes <type> [<alpha>]");
        int type = integer(tok[1], "cutoff_type");
        if (type < 0 || type > 8) in.fail("cutoff_type " + std::to_string(type) + " is not one of 0..8");
        out.cutoffType = static_cast<CutoffType>(type);
        out.cutoffAlpha = tok.size() == 3 ? real(tok[2], "cutoff alpha") : 0.0;
        if (!(out.cutoffAlpha >= 0.0 && out.cutoffAlpha < 1.0))
            in.fail("cutoff alpha " + std::string(tok[2]) + " must lie in [0, 1)");
    } else if (kw == "symfunction_short") {
        parseSymmetryFunction();
    } else if (kw == "global_hidden_layers_short") {
        once();
        expectCount(2, "global_hidden_layers_short <layers>");
        declaredLayers = integer(tok[1], "global_hidden_layers_short");
        if (declaredLayers < 0) in.fail("global_hidden_layers_short must be >= 0");
    } else if (kw == "global_nodes_short") {
        once();
        out.network.hiddenNodes.clear();
        for (std::size_t k = 1; k < tok.size(); ++k) {
            int nodes = integer(tok[k], "global_nodes_short");
            if (nodes <= 0) in.fail("global_nodes_short entries must be > 0");
            out.network.hiddenNodes.push_back(nodes);
        }
    } else if (kw == "global_activation_short") {
        once();
        out.network.activations.clear();
        for (std::size_t k = 1; k < tok.size(); ++k) {
            if (tok[k].size() != 1) in.fail("activation '" + std::string(tok[k]) + "' is not a single letter");
            out.network.activations += tok[k][0];
        }
    } else if (kw == "element_nodes_short") {
        expectCount(4, "element_nodes_short <element> <hidden layer (1-based)> <nodes>");
        elementNodes.push_back({element(tok[1]), integer(tok[2], "layer"), integer(tok[3], "nodes"), in.lineNumber()});
    } else if (kw == "center_symmetry_functions" || kw == "scale_symmetry_functions" ||
               kw == "scale_symmetry_functions_sigma") {
        once();
        expectCount(1, "no arguments");
        if (kw == "center_symmetry_functions") out.scaling.center = true;
        else if (kw == "scale_symmetry_functions") out.scaling.scale = true;
        else out.scaling.scaleSigma = true;
    } else if (kw == "scale_min_short" || kw == "scale_max_short") {
        once();
        expectCount(2, "<value>");
        (kw == "scale_min_short" ? out.scaling.scaleMin : out.scaling.scaleMax) = real(tok[1], "scale limit");
    } else if (kw == "atom_energy") {
        expectCount(3, "atom_energy <element> <energy>");
        int z = element(tok[1]);
        if (out.atomEnergy.count(z)) in.fail("atom_energy for '" + std::string(tok[1]) + "' given twice");
        out.atomEnergy[z] = real(tok[2], "atom_energy");
        atomEnergyLines.emplace_back(in.lineNumber(), z);
    } else if (kw == "random_seed") {
        once();
        expectCount(2, "random_seed <integer>");
        out.randomSeed = io::parseInteger(in, tok[1], "random_seed");
        out.hasRandomSeed = true;
    } else {
        out.unknown.push_back({static_cast<int>(in.lineNumber()), std::string(io::trim(line))});
        switch (n2p2KeywordKind(out.unknown.back())) {
            case N2p2KeywordKind::Normalisation: once(); break;  // read by the potential reader when it evaluates
            case N2p2KeywordKind::Evaluation: break;     // refused where it would matter (potential_files.cpp)
            case N2p2KeywordKind::Agreeing: break;
            case N2p2KeywordKind::Training: trainingKeywords.emplace(kw); break;
            case N2p2KeywordKind::Other:
                logWarn(in.path() + ":" + std::to_string(in.lineNumber()) + ": keyword '" + std::string(kw) +
                        "' is not used by agl; kept verbatim");
        }
    }
}

// symfunction_short <ec> 2 <e1> <eta> <rs> <rc>
// symfunction_short <ec> 3|9 <e1> <e2> <eta> <lambda> <zeta> <rc> [<rs>]
void SettingsParser::parseSymmetryFunction() {
    if (tok.size() < 3) in.fail("symfunction_short needs <centre> <type> ...");
    SymmetryFunction sf;
    sf.centre = element(tok[1]);
    sf.type = integer(tok[2], "symmetry function type");
    if (sf.type == 2) {
        expectCount(7, "symfunction_short <ec> 2 <e1> <eta> <rs> <rc>");
        sf.e1 = element(tok[3]);
        sf.eta = real(tok[4], "eta");
        sf.rs = real(tok[5], "rs");
        sf.rc = real(tok[6], "rc");
    } else if (sf.type == 3 || sf.type == 9) {
        if (tok.size() != 9 && tok.size() != 10)  // keyword + 8 or 9 arguments
            in.fail("symfunction_short type " + std::to_string(sf.type) + " has " + std::to_string(tok.size() - 1) +
                    " arguments, expected: <ec> " + std::to_string(sf.type) +
                    " <e1> <e2> <eta> <lambda> <zeta> <rc> [<rs>]");
        sf.e1 = element(tok[3]);
        sf.e2 = element(tok[4]);
        sf.eta = real(tok[5], "eta");
        sf.lambda = real(tok[6], "lambda");
        sf.zeta = real(tok[7], "zeta");
        sf.rc = real(tok[8], "rc");
        sf.rs = tok.size() == 10 ? real(tok[9], "rs") : 0.0;
        if (sf.e1 > sf.e2) std::swap(sf.e1, sf.e2);  // n2p2 normalises the neighbour pair by atomic number
    } else {
        in.fail("symmetry function type " + std::to_string(sf.type) + " is not supported (use 2, 3 or 9)");
    }
    sf.sourceLine = in.lineNumber();
    functions.push_back(sf);
}

void SettingsParser::finish() {
    const std::string& file = in.path();
    auto failAt = [&](long line, const std::string& msg) { in.failAt(line, msg); };
    auto lineOf = [&](const char* kw) { auto it = seen.find(kw); return it == seen.end() ? 0L : it->second; };
    if (!trainingKeywords.empty()) {
        std::string names;
        for (const std::string& k : trainingKeywords) names += (names.empty() ? "" : ", ") + k;
        logWarn(file + ": n2p2 training options not used by agl (its command-line options set the training; "
                       "kept verbatim): " + names);
    }
    if (out.elements.empty()) throw InputError(file, 0, "no 'elements' keyword");
    if (numElements < 0) throw InputError(file, 0, "no 'number_of_elements' keyword");
    if (numElements != static_cast<long>(out.elements.size()))
        failAt(lineOf("number_of_elements"), "number_of_elements is " + std::to_string(numElements) + " but 'elements' lists " +
                                           std::to_string(out.elements.size()));
    if (!seen.count("cutoff_type")) throw InputError(file, 0, "no 'cutoff_type' keyword (n2p2 requires it; e.g. cutoff_type 6 0.0)");
    auto known = [&](int z) { return std::count(out.elements.begin(), out.elements.end(), z) > 0; };

    // Network shape: layers, nodes and activations must agree.
    const bool hasLayers = seen.count("global_hidden_layers_short"), hasNodes = seen.count("global_nodes_short"),
               hasAct = seen.count("global_activation_short");
    if (hasLayers || hasNodes || hasAct) {
        if (!hasLayers || !hasNodes || !hasAct)
            throw InputError(file, 0, "global_hidden_layers_short, global_nodes_short and global_activation_short must be given together");
        if (static_cast<long>(out.network.hiddenNodes.size()) != declaredLayers)
            failAt(lineOf("global_nodes_short"), "global_nodes_short has " +
                                                     std::to_string(out.network.hiddenNodes.size()) +
                                                     " entries, global_hidden_layers_short says " +
                                                     std::to_string(declaredLayers));
        if (static_cast<long>(out.network.activations.size()) != declaredLayers + 1)
            failAt(lineOf("global_activation_short"),
                   "global_activation_short has " + std::to_string(out.network.activations.size()) +
                       " letters, expected one per hidden layer plus the output (" +
                       std::to_string(declaredLayers + 1) + ")");
    }
    for (const auto& [line, z] : atomEnergyLines)
        if (!known(z)) failAt(line, "atom_energy for " + elementSymbol(z) + ", which is not in 'elements'");
    for (const auto& e : elementNodes) {
        if (!known(e.z)) failAt(e.line, "element_nodes_short for " + elementSymbol(e.z) + ", which is not in 'elements'");
        NetworkShape& shape = out.elementNetworks.try_emplace(e.z, out.network).first->second;
        if (e.layer < 1 || e.layer > static_cast<int>(shape.hiddenNodes.size()))
            failAt(e.line, "element_nodes_short layer " + std::to_string(e.layer) + " is not a hidden layer (1.." +
                               std::to_string(shape.hiddenNodes.size()) + ")");
        if (e.nodes <= 0) failAt(e.line, "element_nodes_short nodes must be > 0");
        shape.hiddenNodes[static_cast<std::size_t>(e.layer - 1)] = e.nodes;
    }

    for (SymmetryFunction& f : functions) {
        f.cutoffType = out.cutoffType;
        f.cutoffAlpha = out.cutoffAlpha;
        for (int z : {f.centre, f.e1, f.e2})
            if (z != 0 && !known(z))
                failAt(f.sourceLine,
                       "symmetry function names element " + elementSymbol(z) + ", which is not in 'elements'");
        std::string problem = validationProblem(f);
        if (!problem.empty()) failAt(f.sourceLine, "symmetry function: " + problem);
    }
    // Group by centre (ascending Z), n2p2 order within a group; stable so equal keys keep file order.
    std::stable_sort(functions.begin(), functions.end(), [](const SymmetryFunction& a, const SymmetryFunction& b) {
        if (a.centre != b.centre) return a.centre < b.centre;
        return n2p2Less(a, b);
    });
    for (std::size_t k = 1; k < functions.size(); ++k) {
        const SymmetryFunction &a = functions[k - 1], &b = functions[k];
        if (a.centre == b.centre && !n2p2Less(a, b) && !n2p2Less(b, a))
            failAt(std::max(a.sourceLine, b.sourceLine), "duplicate symmetry function (same as line " +
                                                 std::to_string(std::min(a.sourceLine, b.sourceLine)) + ")");
    }
    out.functions = std::move(functions);
}

}  // namespace

NnSettings readNnSettings(const std::string& path) {
    LineReader in(path);
    SettingsParser parser(in);
    std::string_view line;
    while (in.next(line)) parser.parseLine(line);
    parser.finish();
    parser.out.source = path;
    return std::move(parser.out);
}

}  // namespace agl
