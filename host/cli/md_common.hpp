// What `agl md` and `agl bench-potential` share: the start structure, the unit system and the masses.
#pragma once
#include <string>

#include <cxxopts.hpp>

#include "agl/md/md_units.hpp"
#include "agl/md/system.hpp"

namespace agl::cli {

// --units, --mass and --replicate options.
void addMdSystemOptions(cxxopts::Options& options);
md::MdUnits unitsOption(const cxxopts::ParseResult& args);
// Structure `index` of `path`, replicated by --replicate "a,b,c", as an MdSystem with the mass of --mass
// (converted to the integrator's unit; see md_units.hpp). Only single-element periodic structures: anything
// else is an InputError naming the file.
md::MdSystem mdSystemFromFile(const std::string& path, std::size_t index, const cxxopts::ParseResult& args);
// "a,b,c" → three counts ≥ 1 (InputError naming the option otherwise).
std::array<int, 3> replicationOption(const cxxopts::ParseResult& args);

}  // namespace agl::cli
