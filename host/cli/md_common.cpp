#include "md_common.hpp"

#include <sstream>

#include "agl/error.hpp"
#include "agl/io.hpp"
#include "agl/md/lattice.hpp"

namespace agl::cli {

void addMdSystemOptions(cxxopts::Options& options) {
    options.add_options("system")
        ("units", "unit system: lj (sigma, epsilon, tau, k_B = 1) or metal (Angstrom, eV, ps, K, g/mol)",
         cxxopts::value<std::string>()->default_value("lj"))
        ("mass", "atom mass (lj: m, default 1; metal: g/mol, required)", cxxopts::value<double>())
        ("replicate", "repeat the start cell a,b,c times (e.g. 2,2,2)",
         cxxopts::value<std::string>()->default_value("1,1,1"));
}

md::MdUnits unitsOption(const cxxopts::ParseResult& args) { return md::mdUnits(args["units"].as<std::string>()); }

std::array<int, 3> replicationOption(const cxxopts::ParseResult& args) {
    const std::string text = args["replicate"].as<std::string>();
    std::array<int, 3> n{};
    char c1 = 0, c2 = 0;
    std::istringstream in(text);
    if (!(in >> n[0] >> c1 >> n[1] >> c2 >> n[2]) || c1 != ',' || c2 != ',' || !(in >> std::ws).eof() || n[0] < 1 ||
        n[1] < 1 || n[2] < 1)
        throw InputError("--replicate", 0, "expected three counts >= 1 as a,b,c, got '" + text + "'");
    return n;
}

md::MdSystem mdSystemFromFile(const std::string& path, std::size_t index, const cxxopts::ParseResult& args) {
    const md::MdUnits units = unitsOption(args);
    // Streamed: a data set of thousands of structures is read only up to the one asked for.
    Structure start;
    std::size_t seen = 0;
    forEachStructure(path, structureFormat(path), [&](Structure&& s) {
        if (seen++ < index) return true;
        start = std::move(s);
        return false;
    });
    if (seen <= index)
        throw InputError(path, 0, "has " + std::to_string(seen) + " structures, structure " + std::to_string(index) +
                                      " was asked for");
    if (!start.periodic) throw InputError(path, 0, "structure " + std::to_string(index) + " is not periodic");
    for (int z : start.elements)
        if (z != start.elements.front())
            throw InputError(path, 0, "agl md runs single-element systems only (one mass); structure " +
                                          std::to_string(index) + " has several elements");
    double mass = 1.0;
    if (args.count("mass")) mass = args["mass"].as<double>();
    else if (units.name != "lj") throw InputError("--mass", 0, "is required with --units " + units.name);
    if (!(mass > 0.0)) throw InputError("--mass", 0, "must be positive");
    const auto n = replicationOption(args);
    md::MdSystem s;
    s.atoms = md::replicate(start, n[0], n[1], n[2]);
    s.mass = mass * units.massScale;
    return s;
}

}  // namespace agl::cli
