// Extended XYZ reader, ASE convention. Per frame:
//   line 1: number of atoms
//   line 2: key=value pairs; values bare, "double quoted" (\" and \\ escapes) or {braced}; a bare key means T
//   N atom lines, columns as declared by Properties (default species:S:1:pos:R:3)
// Interpreted keys: Lattice (9 numbers, rows a b c), Properties, energy, charge (total), pbc ("T T T" or
// "F F F"; partial periodicity is an error; absent = T T T when a Lattice is given), set (train|test),
// comment. Every other key is kept in Structure::metadata (unquoted value) and written back.
// Per-atom properties: species, pos, forces (required), initial_charges or charges (R:1, → atomCharges).
// Any other per-atom property is an error rather than being dropped silently (see docs of io.hpp).
#include <algorithm>

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

AtomLayout parseProperties(const LineReader& in, const std::string& spec) {
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
        Column what;
        std::string want;
        if (name == "species") what = Column::Species, want = "S:1";
        else if (name == "pos") what = Column::Pos, want = "R:3";
        else if (name == "forces") what = Column::Forces, want = "R:3";
        else if (name == "initial_charges" || name == "charges") what = Column::Charges, want = "R:1";
        else
            in.fail("per-atom property '" + triple +
                    "' is not supported (supported: species, pos, forces, initial_charges or charges); "
                    "remove that column before converting");
        if (type + ":" + count != want) in.fail("property '" + triple + "' must be " + name + ":" + want);
        if (layout.has(what)) in.fail("property '" + name + "' given twice in Properties");
        layout.properties.push_back({what, layout.numColumns});
        layout.numColumns += static_cast<std::size_t>(count[0] - '0');
    }
    if (!layout.has(Column::Species)) in.fail("Properties has no species:S:1 column");
    if (!layout.has(Column::Pos)) in.fail("Properties has no pos:R:3 column");
    if (!layout.has(Column::Forces))
        in.fail("Properties has no forces:R:3 column (reference forces are required)");
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
    src_.firstLine = in_.lineNumber();

    if (!in_.next(line)) in_.fail("end of file after the atom count (truncated extxyz frame)");
    AtomLayout layout;
    bool haveLayout = false, haveEnergy = false, haveLattice = false, havePbc = false, pbc = false;
    for (auto& [key, value] : parseInfoLine(in_, line)) {
        if (key == "Lattice") {
            std::size_t m = splitTokens(value, tok, 16);
            if (m != 9) in_.fail("Lattice has " + std::to_string(m) + " numbers, expected 9 (a, b, c as rows)");
            for (int k = 0; k < 9; ++k) s.cell[k / 3][k % 3] = parseDouble(in_, tok[k], "Lattice entry");
            haveLattice = true;
        } else if (key == "Properties") {
            layout = parseProperties(in_, value);
            haveLayout = true;
        } else if (key == "energy") {
            s.energy = parseDouble(in_, value, "energy");
            haveEnergy = true;
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
            s.metadata.emplace_back(std::move(key), std::move(value));
        }
    }
    if (!haveLayout)
        in_.fail("no Properties= key (ASE's default species:S:1:pos:R:3 has no forces, which are required)");
    if (!haveEnergy) in_.fail("no energy= key (reference energies are required)");
    s.periodic = havePbc ? pbc : haveLattice;
    if (s.periodic && !haveLattice) in_.fail("pbc=\"T T T\" without a Lattice");
    if (s.periodic) checkCell(s, in_.path(), in_.lineNumber());
    if (!s.periodic) s.cell = {};

    // The arrays grow with the atoms actually read, not to the declared count: a wrong count of 10¹⁰ must
    // end in "truncated file", not in a failed allocation.
    const std::size_t count = static_cast<std::size_t>(numAtoms);
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
        n = splitTokens(line, tok, 16);
        if (n != layout.numColumns)
            in_.fail("atom line has " + std::to_string(n) + " columns, Properties declares " +
                     std::to_string(layout.numColumns));
        for (const Property& p : layout.properties) {
            const std::string_view* t = tok + p.offset;
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
