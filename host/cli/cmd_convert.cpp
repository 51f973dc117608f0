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
#include "data_source.hpp"

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
        ("format-out", "auto, n2p2 or extxyz", cxxopts::value<std::string>()->default_value("auto"))
        ("force", "replace OUT if it exists");
    addDataOptions(options, "format-in");
    options.parse_positional({"in", "out"});
    addCommonOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    if (!args.count("in") || !args.count("out")) {
        logError("agl convert needs IN and OUT (see agl convert --help)");
        return 2;
    }
    const std::string in = args["in"].as<std::string>(), out = args["out"].as<std::string>();
    const DataSource source = dataSource(args, in, "format-in");
    const StructureFormat formatOut = structureFormat(out, args["format-out"].as<std::string>());
    const ReadOptions& read = source.read;
    const bool chosen = hasChosenKeys(read);

    ScopedPhase phase("convert");
    AtomicFile file(out, args.count("force") > 0);
    std::size_t structures = 0, atoms = 0;
    forEachStructure(source, [&](Structure&& s) {
        writeStructure(file.stream(), s, formatOut);
        ++structures;
        atoms += s.numAtoms();
        return true;
    });
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
