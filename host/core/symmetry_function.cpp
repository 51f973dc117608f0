#include "agl/symmetry_function.hpp"

#include <charconv>
#include <cmath>
#include <tuple>

#include "agl/element.hpp"

namespace agl {
namespace {
// Shortest text that reads back to the same double ("0.12755", "2.8", "1e-05").
std::string shortest(double v) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, res.ptr);
    if (s.find_first_of(".en") == std::string::npos) s += ".0";  // n2p2 style: 0.0 rather than 0
    return s;
}
}  // namespace

std::string SymmetryFunction::settingsLine() const {
    if (isNoise()) return "# agl noise feature of element " + elementSymbol(centre) + " (no n2p2 symmetry function)";
    std::string line = "symfunction_short " + elementSymbol(centre) + " " + std::to_string(type) + " " +
                       elementSymbol(e1) + " ";
    if (type == 2) return line + shortest(eta) + " " + shortest(rs) + " " + shortest(rc);
    line += elementSymbol(e2) + " " + shortest(eta) + " " + shortest(lambda) + " " + shortest(zeta) + " " +
            shortest(rc);
    if (rs != 0.0) line += " " + shortest(rs);
    return line;
}

bool n2p2Less(const SymmetryFunction& a, const SymmetryFunction& b) {
    auto key = [](const SymmetryFunction& s) {
        return std::make_tuple(s.type, static_cast<int>(s.cutoffType), s.cutoffAlpha, s.rc, s.eta, s.rs, s.zeta,
                               s.lambda, s.e1, s.e2);
    };
    return key(a) < key(b);
}

std::string validationProblem(const SymmetryFunction& sf) {
    if (sf.type != 2 && sf.type != 3 && sf.type != 9)
        return "symmetry function type " + std::to_string(sf.type) + " is not supported (use 2, 3 or 9)";
    if (!std::isfinite(sf.eta) || sf.eta < 0) return "eta must be >= 0";
    if (!std::isfinite(sf.rc) || sf.rc <= 0) return "rc must be > 0";
    if (!std::isfinite(sf.rs) || sf.rs < 0) return "rs must be >= 0";
    if (!(sf.cutoffAlpha >= 0 && sf.cutoffAlpha < 1)) return "cutoff alpha must lie in [0, 1)";
    if (sf.isAngular()) {
        // (1 + λ cos θ)^ζ reaches 2^ζ: beyond ζ = 1000 it overflows double precision (n2p2 gives inf there too).
        if (!std::isfinite(sf.zeta) || sf.zeta < 1 || sf.zeta > 1000) return "zeta must lie in [1, 1000]";
        if (sf.lambda != 1.0 && sf.lambda != -1.0) return "lambda must be +1 or -1";
    }
    return "";
}

}  // namespace agl
