#include "md_common.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/md/lattice.hpp"
#include "agl/number_text.hpp"
#include "data_source.hpp"

namespace agl::cli {

void addMdSystemOptions(cxxopts::Options& options) {
    options.add_options("system")
        ("units", "unit system: lj (sigma, epsilon, tau, k_B = 1), metal (Angstrom, eV, ps, K, g/mol) or electron "
                  "(bohr, hartree, fs, K, g/mol)",
         cxxopts::value<std::string>()->default_value("lj"))
        ("mass", "atom masses: one number, or per element as Ta=180.95,O=15.999 (lj: m, default 1; metal, electron: "
                 "g/mol, default the standard atomic weight of each element not listed)", cxxopts::value<std::string>())
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
        throw UsageError("--replicate", "expected three counts >= 1 as a,b,c, got '" + text + "'");
    return n;
}

std::map<int, double> massesOption(const cxxopts::ParseResult& args, const std::vector<int>& elements,
                                   const md::MdUnits& units) {
    std::map<int, double> mass;
    // Elements without a --mass: 1 in LJ units; otherwise the standard atomic weight (g/mol).
    auto defaults = [&] {
        std::string used;
        for (int z : elements) {
            if (mass.count(z)) continue;
            if (units.name == "lj") {
                mass[z] = 1.0;
                continue;
            }
            try {
                mass[z] = standardAtomicWeight(z);
            } catch (const Error& e) {
                throw UsageError("--mass", e.what());
            }
            used += (used.empty() ? "" : ", ") + elementSymbol(z) + " " + significant(mass[z]);
        }
        if (!used.empty()) logInfo("masses (standard atomic weights, g/mol): " + used);
        return mass;
    };
    if (!args.count("mass")) return defaults();
    const std::string text = args["mass"].as<std::string>();
    auto number = [&](const std::string& s) {
        std::size_t used = 0;
        double v = 0.0;
        try {
            v = std::stod(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != s.size() || !(v > 0.0)) throw UsageError("--mass", "expected a positive mass, got '" + s + "'");
        return v;
    };
    if (text.find('=') == std::string::npos) {
        const double m = number(text);
        for (int z : elements) mass[z] = m;
        return mass;
    }
    std::istringstream list(text);
    std::string item;
    while (std::getline(list, item, ',')) {
        const auto eq = item.find('=');
        const int z = eq == std::string::npos ? 0 : atomicNumber(item.substr(0, eq));
        if (z == 0) throw UsageError("--mass", "expected ELEMENT=MASS, got '" + item + "'");
        mass[z] = number(item.substr(eq + 1));
    }
    if (units.name == "lj")
        for (int z : elements)
            if (!mass.count(z)) throw UsageError("--mass", "no mass for " + elementSymbol(z));
    return defaults();
}

md::MdSystem mdSystemFromFile(const std::string& path, std::size_t index, const cxxopts::ParseResult& args,
                              const std::vector<int>& known) {
    const md::MdUnits units = unitsOption(args);
    // Streamed: a data set of thousands of structures is read only up to the one asked for.
    Structure start;
    std::size_t seen = 0;
    forEachStructure(dataSource(args, path), [&](Structure&& s) {
        if (seen++ < index) return true;
        start = std::move(s);
        return false;
    });
    if (seen <= index)
        throw InputError(path, 0, "has " + std::to_string(seen) + " structures, structure " + std::to_string(index) +
                                      " was asked for");
    if (!start.periodic)
        throw InputError(path, start.sourceLine, "structure " + std::to_string(index) + " is not periodic");
    const auto unknown = [&](int z) {
        return !known.empty() && std::find(known.begin(), known.end(), z) == known.end();  // empty: any element
    };
    for (std::size_t i = 0; i < start.numAtoms(); ++i)
        if (unknown(start.elements[i]))
            throw InputError(path, start.sourceLine, "structure " + std::to_string(index) + ": atom " +
                                                         std::to_string(i + 1) + " is " +
                                                         elementSymbol(start.elements[i]) +
                                                         ", an element the potential has no network for");
    const auto n = replicationOption(args);
    md::MdSystem s;
    s.atoms = md::replicate(start, n[0], n[1], n[2]);
    std::vector<int> elements(s.atoms.elements);
    std::sort(elements.begin(), elements.end());
    elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
    const std::map<int, double> mass = massesOption(args, elements, units);
    for (int z : s.atoms.elements) s.masses.push_back(mass.at(z) * units.massScale);
    return s;
}

std::string massesText(const md::MdSystem& s) {
    std::map<int, double> mass;
    for (std::size_t i = 0; i < s.numAtoms(); ++i) mass[s.atoms.elements[i]] = s.massOf(i);
    std::ostringstream out;
    out.precision(17);
    for (const auto& [z, m] : mass) out << elementSymbol(z) << "=" << m << " ";
    return out.str();
}

}  // namespace agl::cli
