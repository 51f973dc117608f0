// n2p2 input.data reader. Format (../shared/reference/n2p2-conventions.md §2):
//   begin [set=train|set=test]
//   comment <free text>                   optional
//   lattice ax ay az                      0 or exactly 3 lines (3 = periodic), rows of the cell
//   atom x y z El c n fx fy fz            exactly 10 tokens; c = atomic charge, n ignored
//   energy E
//   charge Q                              optional here (default 0)
//   end
// Blank lines are allowed anywhere; any other text outside begin ... end is an error.
#include "agl/element.hpp"
#include "structure_readers.hpp"

namespace agl::io {

int ElementLookup::operator()(const LineReader& in, std::string_view symbol) {
    if (symbol == last_) return lastZ_;
    int z = atomicNumber(symbol);
    if (z == 0) in.fail("unknown element '" + std::string(symbol) + "'");
    last_ = symbol;
    lastZ_ = z;
    return z;
}

namespace {

SetTag parseBegin(const LineReader& in, const std::string_view* tok, std::size_t n) {
    if (n == 1) return SetTag::Unspecified;
    if (n == 2 && tok[1] == "set=train") return SetTag::Train;
    if (n == 2 && tok[1] == "set=test") return SetTag::Test;
    in.fail("'begin' takes nothing or one of set=train, set=test; found '" + std::string(tok[1]) + "'");
}

void expectTokens(const LineReader& in, std::string_view keyword, std::size_t n, std::size_t want,
                  const char* form) {
    if (n != want)
        in.fail("'" + std::string(keyword) + "' line has " + std::to_string(n) + " tokens, expected " +
                std::to_string(want) + ": " + form);
}

}  // namespace

bool InputDataReader::next(Structure& s) {
    const std::size_t reserve = lastNumAtoms_;
    s = Structure{};
    s.positions.reserve(reserve);
    s.elements.reserve(reserve);
    s.atomCharges.reserve(reserve);
    s.forces.reserve(reserve);
    src_.file = &in_.path();
    src_.atomLines.clear();

    std::string_view line, tok[11];
    std::size_t n = 0;
    do {
        if (!in_.next(line)) return false;
        n = splitTokens(line, tok, 11);
    } while (n == 0);
    if (tok[0] != "begin")
        in_.fail("expected 'begin', found '" + std::string(tok[0]) + "' (text outside begin ... end)");
    s.tag = parseBegin(in_, tok, n);
    src_.firstLine = s.sourceLine = in_.lineNumber();

    int numLattice = 0;
    long lastLatticeLine = 0;
    bool haveEnergy = false, haveCharge = false;
    while (true) {
        if (!in_.next(line))
            in_.fail("end of file inside the structure that begins at line " + std::to_string(src_.firstLine) +
                     " (truncated file? no 'end')");
        n = splitTokens(line, tok, 11);
        if (n == 0) continue;
        const std::string_view kw = tok[0];
        if (kw == "atom") {
            expectTokens(in_, kw, n, 10, "atom x y z element charge n fx fy fz");
            s.positions.push_back({parseDouble(in_, tok[1], "atom x"), parseDouble(in_, tok[2], "atom y"),
                                   parseDouble(in_, tok[3], "atom z")});
            s.elements.push_back(element_(in_, tok[4]));
            s.atomCharges.push_back(parseDouble(in_, tok[5], "atom charge"));
            parseDouble(in_, tok[6], "atom column n");  // unused by n2p2, still must be a number
            s.forces.push_back({parseDouble(in_, tok[7], "atom fx"), parseDouble(in_, tok[8], "atom fy"),
                                parseDouble(in_, tok[9], "atom fz")});
            src_.atomLines.push_back(in_.lineNumber());
        } else if (kw == "lattice") {
            expectTokens(in_, kw, n, 4, "lattice x y z");
            if (numLattice == 3) in_.fail("more than 3 'lattice' lines in one structure");
            s.cell[numLattice] = {parseDouble(in_, tok[1], "lattice x"), parseDouble(in_, tok[2], "lattice y"),
                                  parseDouble(in_, tok[3], "lattice z")};
            ++numLattice;
            lastLatticeLine = in_.lineNumber();
        } else if (kw == "energy") {
            expectTokens(in_, kw, n, 2, "energy E");
            if (haveEnergy) in_.fail("second 'energy' line in one structure");
            s.energy = parseDouble(in_, tok[1], "energy");
            haveEnergy = true;
        } else if (kw == "charge") {
            expectTokens(in_, kw, n, 2, "charge Q");
            if (haveCharge) in_.fail("second 'charge' line in one structure");
            s.charge = parseDouble(in_, tok[1], "charge");
            haveCharge = true;
        } else if (kw == "comment") {
            // The free text after the keyword, as written (inner spacing kept).
            const std::size_t after = static_cast<std::size_t>(tok[0].data() - line.data()) + tok[0].size();
            s.comment = std::string(trim(line.substr(after)));
        } else if (kw == "end") {
            if (n != 1) in_.fail("'end' takes no arguments");
            if (numLattice != 0 && numLattice != 3)
                in_.fail("structure has " + std::to_string(numLattice) +
                         " 'lattice' line(s); need 0 (non-periodic) or 3 (periodic)");
            if (!haveEnergy) in_.fail("'end' without 'energy' in the structure that begins at line " +
                                      std::to_string(src_.firstLine));
            s.periodic = numLattice == 3;
            if (s.periodic) checkCell(s, in_.path(), lastLatticeLine);
            finishStructure(s, src_);
            lastNumAtoms_ = s.numAtoms();
            return true;
        } else if (kw == "begin") {
            in_.fail("'begin' inside the structure that begins at line " + std::to_string(src_.firstLine) +
                     " (missing 'end')");
        } else {
            in_.fail("unknown keyword '" + std::string(kw) +
                     "' (expected atom, lattice, energy, charge, comment or end)");
        }
    }
}

}  // namespace agl::io
