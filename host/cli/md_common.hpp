// What `agl md` and `agl bench-potential` share: the start structure, the unit system and the masses.
#pragma once
#include <map>
#include <string>
#include <vector>

#include <cxxopts.hpp>

#include "agl/md/md_units.hpp"
#include "agl/md/system.hpp"

namespace agl::cli {

// --units, --mass and --replicate options.
void addMdSystemOptions(cxxopts::Options& options);
md::MdUnits unitsOption(const cxxopts::ParseResult& args);
// Structure `index` of `path`, replicated by --replicate "a,b,c", as an MdSystem with the masses of --mass
// (converted to the integrator's unit; see md_units.hpp). Periodic structures only, and with `known` non-empty
// (the potential's elements) only of those elements: InputError naming the file and the structure's line.
md::MdSystem mdSystemFromFile(const std::string& path, std::size_t index, const cxxopts::ParseResult& args,
                              const std::vector<int>& known = {});
// --mass: one number (every atom) or per element "Ta=180.95,O=15.999", in the user's unit (lj: m, default 1;
// metal: g/mol, required). Every element of `elements` must get one (InputError naming --mass otherwise).
std::map<int, double> massesOption(const cxxopts::ParseResult& args, const std::vector<int>& elements,
                                   const md::MdUnits& units);
// "Ar=1 " — the masses of each element (integrator units), for run signatures.
std::string massesText(const md::MdSystem& s);
// "a,b,c" → three counts ≥ 1 (InputError naming the option otherwise).
std::array<int, 3> replicationOption(const cxxopts::ParseResult& args);

}  // namespace agl::cli
