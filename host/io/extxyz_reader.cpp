// Extended XYZ reader, ASE convention. Per frame:
//   line 1: number of atoms
//   line 2: key=value pairs; values bare, "double quoted" (\" and \\ escapes) or {braced}; a bare key means T
//   N atom lines, columns as declared by Properties (default species:S:1:pos:R:3)
// Interpreted keys: Lattice (9 numbers, rows a b c), Properties, energy, charge (total), pbc ("T T T" or
// "F F F"; partial periodicity is an error; absent = T T T when a Lattice is given), set (train|test),
// comment. Every other key is kept in Structure::metadata (unquoted value) and written back.
// Per-atom properties: species, pos, forces (required), initial_charges or charges (R:1, → atomCharges).
// Any other per-atom property is an error rather than being dropped silently (see docs of io.hpp).
// ReadOptions choose other keys for the energy and the forces, and name keys and properties to leave out.
#include <algorithm>
#include <cctype>

#include "structure_readers.hpp"

namespace agl::io {
namespace {

struct KeyValue {
    std::string key, value;
};

// Reads a bare, quoted or braced item starting at line[i]; advances i past it.
std::string readItem(const LineReader& in, std::string_view line, std::size_t& i, bool stopAtEquals) {
    std::string out;
    if (line[i] == '"') {
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) ++i;
            out += line[i];
        }
        if (i == line.size()) in.fail("unterminated quoted value on the extxyz comment line");
        ++i;
        return out;
    }
    if (line[i] == '{') {
        std::size_t close = line.find('}', i);
        if (close == std::string_view::npos) in.fail("unterminated {...} value on the extxyz comment line");
        out = std::string(line.substr(i, close + 1 - i));
        i = close + 1;
        return out;
    }
    while (i < line.size() && !isBlank(line[i]) && !(stopAtEquals && line[i] == '=')) out += line[i++];
    return out;
}

std::vector<KeyValue> parseInfoLine(const LineReader& in, std::string_view line) {
    std::vector<KeyValue> kv;
    std::size_t i = 0;
    while (true) {
        while (i < line.size() && isBlank(line[i])) ++i;
        if (i == line.size()) return kv;
        if (line[i] == '=') in.fail("'=' without a key on the extxyz comment line");
        KeyValue item;
        item.key = readItem(in, line, i, true);
        if (i < line.size() && line[i] == '=') {
            ++i;
            if (i == line.size() || isBlank(line[i])) in.fail("key '" + item.key + "' has '=' but no value");
            item.value = readItem(in, line, i, false);
        } else {
            item.value = "T";  // ASE: a bare key is a true flag
        }
        for (const auto& prev : kv)
            if (prev.key == item.key) in.fail("key '" + item.key + "' appears twice on the extxyz comment line");
        kv.push_back(std::move(item));
    }
}

// Names the reader interprets itself: an energy or forces key cannot be one of them, nor can they be dropped
// (pbc neither: without it a Lattice alone would decide the periodicity).
constexpr std::string_view kInfoKeys[] = {"Lattice", "Properties", "pbc", "charge", "set", "comment"};
constexpr std::string_view kColumns[] = {"species", "pos", "initial_charges", "charges"};

template <std::size_t N>
bool isOneOf(std::string_view name, const std::string_view (&names)[N]) {
    return std::find(names, names + N, name) != names + N;
}

bool dropped(const ReadOptions& o, std::string_view name) {
    return std::find(o.drop.begin(), o.drop.end(), name) != o.drop.end();
}

bool mentions(std::string name, const char* word) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return name.find(word) != std::string::npos;
}

enum class Column { Species, Pos, Forces, Charges };
struct Property {
    Column what;
    std::size_t offset;  // first token of this property on an atom line
};

struct AtomLayout {
    std::vector<Property> properties;
    std::size_t numColumns = 0;
    bool has(Column c) const {
        return std::any_of(properties.begin(), properties.end(), [c](const Property& p) { return p.what == c; });
    }
};

// A property's column count: a positive integer (ASE writes 1 to 9; a dropped property may have more).
std::size_t columnCount(const LineReader& in, const std::string& triple, const std::string& count) {
    const bool digits = !count.empty() && count.size() <= 4 &&
                        std::all_of(count.begin(), count.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits || std::stoi(count) == 0) in.fail("property '" + triple + "' has no positive column count");
    return static_cast<std::size_t>(std::stoi(count));
}

[[noreturn]] void refuseProperty(const LineReader& in, const std::string& name, const std::string& triple,
                                 const ReadOptions& o) {
    if (name == "forces")  // only reached when another property was chosen for the forces
        in.fail("property 'forces' is given besides '" + o.forcesKey +
                "', which was chosen for the forces: leave it out with --drop forces");
    std::string hint = "--drop " + name + " leaves it out";
    if (mentions(name, "force")) hint = "--forces-key " + name + " reads the forces from it, --drop " + name +
                                        " leaves it out";
    in.fail("per-atom property '" + triple + "' is not supported (supported: species, pos, " + o.forcesKey +
            ", initial_charges or charges); " + hint);
}

AtomLayout parseProperties(const LineReader& in, const std::string& spec, const ReadOptions& o) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t colon = spec.find(':', start);
        parts.push_back(spec.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (parts.size() % 3 != 0) in.fail("Properties='" + spec + "' is not a list of name:type:count triples");
    AtomLayout layout;
    for (std::size_t p = 0; p < parts.size(); p += 3) {
        const std::string &name = parts[p], &type = parts[p + 1], &count = parts[p + 2];
        const std::string triple = name + ":" + type + ":" + count;
        const std::size_t columns = columnCount(in, triple, count);
        if (dropped(o, name)) {  // its columns are skipped
            layout.numColumns += columns;
            continue;
        }
        Column what;
        std::string want;
        if (name == "species") what = Column::Species, want = "S:1";
        else if (name == "pos") what = Column::Pos, want = "R:3";
        else if (name == o.forcesKey) what = Column::Forces, want = "R:3";
        else if (name == "initial_charges" || name == "charges") what = Column::Charges, want = "R:1";
        else refuseProperty(in, name, triple, o);
        if (type + ":" + count != want) in.fail("property '" + triple + "' must be " + name + ":" + want);
        if (layout.has(what)) in.fail("property '" + name + "' given twice in Properties");
        layout.properties.push_back({what, layout.numColumns});
        layout.numColumns += columns;
    }
    if (!layout.has(Column::Species)) in.fail("Properties has no species:S:1 column");
    if (!layout.has(Column::Pos)) in.fail("Properties has no pos:R:3 column");
    if (!layout.has(Column::Forces))
        in.fail("Properties has no " + o.forcesKey + ":R:3 column (reference forces are required)");
    return layout;
}

bool parseFlag(const LineReader& in, std::string_view t) {
    if (t == "T" || t == "True" || t == "true" || t == "t") return true;
    if (t == "F" || t == "False" || t == "false" || t == "f") return false;
    in.fail("pbc entry '" + std::string(t) + "' is not T or F");
}

}  // namespace

bool ExtXyzReader::next(Structure& s) {
    s = Structure{};
    src_.file = &in_.path();
    src_.atomLines.clear();

    std::string_view line, tok[16];
    std::size_t n = 0;
    do {
        if (!in_.next(line)) return false;
        n = splitTokens(line, tok, 16);
    } while (n == 0);
    if (n != 1) in_.fail("expected the number of atoms of an extxyz frame, found '" + std::string(trim(line)) + "'");
    const long long numAtoms = parseInteger(in_, tok[0], "number of atoms");
    if (numAtoms <= 0) in_.fail("extxyz frame with " + std::to_string(numAtoms) + " atoms");
    src_.firstLine = s.sourceLine = in_.lineNumber();

    if (!in_.next(line)) in_.fail("end of file after the atom count (truncated extxyz frame)");
    AtomLayout layout;
    bool haveLayout = false, haveEnergy = false, haveLattice = false, havePbc = false, pbc = false;
    std::string energyLike;  // other keys that may hold the energy, for the error when the chosen one is absent
    for (auto& [key, value] : parseInfoLine(in_, line)) {
        if (dropped(options_, key)) continue;
        if (key == "Lattice") {
            std::size_t m = splitTokens(value, tok, 16);
            if (m != 9) in_.fail("Lattice has " + std::to_string(m) + " numbers, expected 9 (a, b, c as rows)");
            for (int k = 0; k < 9; ++k) s.cell[k / 3][k % 3] = parseDouble(in_, tok[k], "Lattice entry");
            haveLattice = true;
        } else if (key == "Properties") {
            layout = parseProperties(in_, value, options_);
            haveLayout = true;
        } else if (key == options_.energyKey) {
            s.energy = parseDouble(in_, value, "energy");
            haveEnergy = true;
        } else if (key == "energy") {  // another key was chosen: this one must not pass for the reference
            in_.fail("energy= is given besides " + options_.energyKey +
                     "=, which was chosen for the energy: leave it out with --drop energy");
        } else if (key == "charge") {
            s.charge = parseDouble(in_, value, "charge");
        } else if (key == "pbc") {
            std::size_t m = splitTokens(value, tok, 16);
            if (m != 3) in_.fail("pbc='" + value + "' must have 3 entries");
            bool a = parseFlag(in_, tok[0]), b = parseFlag(in_, tok[1]), c = parseFlag(in_, tok[2]);
            if (a != b || b != c)
                in_.fail("partial periodicity pbc=\"" + value + "\" is not supported (use \"T T T\" or \"F F F\")");
            havePbc = true;
            pbc = a;
        } else if (key == "set") {
            if (value == "train") s.tag = SetTag::Train;
            else if (value == "test") s.tag = SetTag::Test;
            else in_.fail("set='" + value + "' must be train or test");
        } else if (key == "comment") {
            s.comment = value;
        } else {
            if (mentions(key, "energy")) energyLike += (energyLike.empty() ? "" : ", ") + key + "=";
            s.metadata.emplace_back(std::move(key), std::move(value));
        }
    }
    if (!haveLayout)
        in_.fail("no Properties= key (ASE's default species:S:1:pos:R:3 has no forces, which are required)");
    if (!haveEnergy)
        in_.fail("no " + options_.energyKey + "= key (reference energies are required)" +
                 (energyLike.empty() ? std::string()
                                     : "; this frame has " + energyLike +
                                           ": --energy-key KEY reads the energy from one of them"));
    s.periodic = havePbc ? pbc : haveLattice;
    if (s.periodic && !haveLattice) in_.fail("pbc=\"T T T\" without a Lattice");
    if (s.periodic) checkCell(s, in_.path(), in_.lineNumber());
    if (!s.periodic) s.cell = {};

    // The arrays grow with the atoms actually read, not to the declared count: a wrong count of 10¹⁰ must
    // end in "truncated file", not in a failed allocation.
    const std::size_t count = static_cast<std::size_t>(numAtoms);
    std::vector<std::string_view> columns(layout.numColumns);  // dropped properties can make more than 16
    for (std::size_t a = 0; a < count; ++a) {
        if (a == s.positions.size()) {
            const std::size_t grown = std::min(count, std::max<std::size_t>(4096, 2 * a));
            s.positions.resize(grown);
            s.elements.resize(grown);
            s.forces.resize(grown);
            s.atomCharges.resize(grown, 0.0);
            src_.atomLines.resize(grown);
        }
        if (!in_.next(line))
            in_.fail("end of file after " + std::to_string(a) + " of " + std::to_string(count) +
                     " atoms of the frame that begins at line " + std::to_string(src_.firstLine) +
                     " (truncated file?)");
        n = splitTokens(line, columns.data(), columns.size());
        if (n != layout.numColumns)
            in_.fail("atom line has " + std::to_string(n) + " columns, Properties declares " +
                     std::to_string(layout.numColumns));
        for (const Property& p : layout.properties) {
            const std::string_view* t = columns.data() + p.offset;
            switch (p.what) {
            case Column::Species: s.elements[a] = element_(in_, t[0]); break;
            case Column::Pos:
                s.positions[a] = {parseDouble(in_, t[0], "x"), parseDouble(in_, t[1], "y"),
                                  parseDouble(in_, t[2], "z")};
                break;
            case Column::Forces:
                s.forces[a] = {parseDouble(in_, t[0], "fx"), parseDouble(in_, t[1], "fy"),
                               parseDouble(in_, t[2], "fz")};
                break;
            case Column::Charges: s.atomCharges[a] = parseDouble(in_, t[0], "charge"); break;
            }
        }
        src_.atomLines[a] = in_.lineNumber();
    }
    finishStructure(s, src_);
    return true;
}

}  // namespace agl::io

namespace agl {

std::string readOptionsProblem(const ReadOptions& o) {
    if (o.energyKey.empty() || io::isOneOf(o.energyKey, io::kInfoKeys))
        return "'" + o.energyKey + "' cannot hold the energy (the extxyz reader interprets it otherwise)";
    if (o.forcesKey.empty() || io::isOneOf(o.forcesKey, io::kColumns))
        return "'" + o.forcesKey + "' cannot hold the forces (the extxyz reader interprets it otherwise)";
    for (const std::string& name : o.drop) {
        if (name.empty()) return "an empty name among the keys to drop";
        if (name == o.energyKey || name == o.forcesKey)
            return "'" + name + "' holds the energy or the forces and cannot be dropped";
        if (name == "species" || name == "pos" || name == "Lattice" || name == "Properties" || name == "pbc")
            return "'" + name + "' is needed and cannot be dropped";
    }
    return "";
}

}  // namespace agl
