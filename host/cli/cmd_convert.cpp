// agl convert: structures between n2p2 input.data and extended XYZ, streamed one structure at a time.
// The output is written atomically (no partial file on error) and never overwrites without --force.
#include <iostream>
#include <string>
#include <vector>

#include "agl/atomic_file.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"
#include "command.hpp"

namespace agl::cli {

int runConvert(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Convert structures between n2p2 input.data and extended XYZ (ASE). Formats follow the "
                             "file extension (.xyz/.extxyz = extended XYZ, anything else = input.data) unless "
                             "given. Numbers are written in shortest round-trip form, so nothing is lost.");
    options.positional_help("IN OUT");
    options.add_options()
        ("in", "input file", cxxopts::value<std::string>())
        ("out", "output file", cxxopts::value<std::string>())
        ("format-in", "auto, n2p2 or extxyz", cxxopts::value<std::string>()->default_value("auto"))
        ("format-out", "auto, n2p2 or extxyz", cxxopts::value<std::string>()->default_value("auto"))
        ("energy-key", "extxyz: the info key holding the reference energy (e.g. REF_energy, free_energy)",
         cxxopts::value<std::string>()->default_value("energy"))
        ("forces-key", "extxyz: the per-atom property holding the reference forces (e.g. REF_forces)",
         cxxopts::value<std::string>()->default_value("forces"))
        ("drop", "extxyz: info keys and per-atom properties to leave out, comma-separated (e.g. energy,magmoms); "
                 "any other property agl does not read is an error",
         cxxopts::value<std::vector<std::string>>())
        ("force", "replace OUT if it exists");
    options.parse_positional({"in", "out"});
    addCommonOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    if (!args.count("in") || !args.count("out")) {
        logError("agl convert needs IN and OUT (see agl convert --help)");
        return 2;
    }
    const std::string in = args["in"].as<std::string>(), out = args["out"].as<std::string>();
    const StructureFormat formatIn = structureFormat(in, args["format-in"].as<std::string>());
    const StructureFormat formatOut = structureFormat(out, args["format-out"].as<std::string>());
    ReadOptions read;
    read.energyKey = args["energy-key"].as<std::string>();
    read.forcesKey = args["forces-key"].as<std::string>();
    if (args.count("drop")) read.drop = args["drop"].as<std::vector<std::string>>();
    if (const std::string problem = readOptionsProblem(read); !problem.empty()) {
        logError("agl convert: " + problem);
        return 2;
    }
    const bool chosen = read.energyKey != "energy" || read.forcesKey != "forces" || !read.drop.empty();
    if (chosen && formatIn != StructureFormat::ExtXyz) {
        logError("agl convert: --energy-key, --forces-key and --drop apply to extxyz input only");
        return 2;
    }

    ScopedPhase phase("convert");
    AtomicFile file(out, args.count("force") > 0);
    std::size_t structures = 0, atoms = 0;
    forEachStructure(in, formatIn, [&](Structure&& s) {
        writeStructure(file.stream(), s, formatOut);
        ++structures;
        atoms += s.numAtoms();
        return true;
    }, read);
    file.commit();
    logInfo("converted " + std::to_string(structures) + " structures (" + std::to_string(atoms) + " atoms): " + in +
            " -> " + out);
    if (chosen) {
        std::string left;
        for (const std::string& name : read.drop) left += (left.empty() ? "" : ", ") + name;
        logInfo("energies from " + read.energyKey + "=, forces from " + read.forcesKey +
                (left.empty() ? "" : "; left out: " + left));
    }
    return 0;
}

}  // namespace agl::cli
