// Writers of input.data and extended XYZ. Every number is printed in its shortest round-trip form
// (std::to_chars), so reading the text back gives bit-identical doubles, and input.data -> extxyz ->
// input.data reproduces the text exactly. (n2p2 itself prints %24.16E, which also round-trips but is longer.)
#include <cmath>

#include "agl/element.hpp"
#include "structure_readers.hpp"

namespace agl::io {
namespace {

void appendVec(std::string& out, Vec3d v) {
    for (int d = 0; d < 3; ++d) {
        out += ' ';
        appendShortest(out, v[d]);
    }
}

// -0.0 is written as "-0.0" (its own value), so only +0.0 counts as "absent".
bool isPlusZero(double v) { return v == 0.0 && !std::signbit(v); }

bool hasAtomCharges(const Structure& s) {
    for (double q : s.atomCharges)
        if (!isPlusZero(q)) return true;
    return false;
}

double atomCharge(const Structure& s, std::size_t i) { return i < s.atomCharges.size() ? s.atomCharges[i] : 0.0; }
Vec3d atomForce(const Structure& s, std::size_t i) { return i < s.forces.size() ? s.forces[i] : Vec3d{0, 0, 0}; }

// One line of text: newlines would break both formats.
std::string oneLine(const std::string& text) {
    std::string t = text;
    for (char& c : t)
        if (c == '\n' || c == '\r') c = ' ';
    return t;
}

// extxyz value: bare when it is a single plain token, else double-quoted with \" and \\ escapes.
void appendExtXyzValue(std::string& out, const std::string& value) {
    bool plain = !value.empty();
    for (char c : value)
        if (isBlank(c) || c == '"' || c == '\\' || c == '=' || c == '\n') plain = false;
    if (plain) {
        out += value;
        return;
    }
    out += '"';
    for (char c : oneLine(value)) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

}  // namespace

void appendInputData(std::string& out, const Structure& s) {
    out += "begin";
    if (s.tag == SetTag::Train) out += " set=train";
    if (s.tag == SetTag::Test) out += " set=test";
    out += '\n';
    if (!s.comment.empty()) out += "comment " + oneLine(s.comment) + '\n';
    if (s.periodic)
        for (const Vec3d& v : s.cell) {
            out += "lattice";
            appendVec(out, v);
            out += '\n';
        }
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        out += "atom";
        appendVec(out, s.positions[i]);
        out += ' ';
        out += elementSymbol(s.elements[i]);
        out += ' ';
        appendShortest(out, atomCharge(s, i));
        out += " 0.0";
        appendVec(out, atomForce(s, i));
        out += '\n';
    }
    out += "energy ";
    appendShortest(out, s.energy);
    out += "\ncharge ";
    appendShortest(out, s.charge);
    out += "\nend\n";
}

void appendExtXyz(std::string& out, const Structure& s) {
    const bool charges = hasAtomCharges(s);
    out += std::to_string(s.numAtoms());
    out += '\n';
    if (s.periodic) {
        out += "Lattice=\"";
        for (int r = 0; r < 3; ++r)
            for (int d = 0; d < 3; ++d) {
                if (r + d > 0) out += ' ';
                appendShortest(out, s.cell[r][d]);
            }
        out += "\" ";
    }
    out += "Properties=species:S:1:pos:R:3:forces:R:3";
    if (charges) out += ":initial_charges:R:1";
    out += " energy=";
    appendShortest(out, s.energy);
    if (!isPlusZero(s.charge)) {
        out += " charge=";
        appendShortest(out, s.charge);
    }
    out += s.periodic ? " pbc=\"T T T\"" : " pbc=\"F F F\"";
    if (s.tag == SetTag::Train) out += " set=train";
    if (s.tag == SetTag::Test) out += " set=test";
    if (!s.comment.empty()) {
        out += " comment=";
        appendExtXyzValue(out, s.comment);
    }
    for (const auto& [key, value] : s.metadata) {
        out += ' ';
        appendExtXyzValue(out, key);
        out += '=';
        appendExtXyzValue(out, value);
    }
    out += '\n';
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        out += elementSymbol(s.elements[i]);
        appendVec(out, s.positions[i]);
        appendVec(out, atomForce(s, i));
        if (charges) {
            out += ' ';
            appendShortest(out, atomCharge(s, i));
        }
        out += '\n';
    }
}

}  // namespace agl::io
