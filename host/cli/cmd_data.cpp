// agl data lj: generate the paper's Lennard-Jones training data (include/agl/md/lj_data.hpp documents the
// protocol, the state points and the part files).
#include <cstring>
#include <iostream>

#include "agl/error.hpp"
#include "agl/log.hpp"
#include "agl/md/lj_data.hpp"
#include "command.hpp"

namespace agl::cli {
namespace {

int runDataLj(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Generate Lennard-Jones training data by NVT molecular dynamics (the paper's "
                             "protocol: 256 atoms, T 0.5-1.5, rho 0.9-1.1, 21 runs, a sample every 300 steps). "
                             "Each run is written to <out>.parts/ first; a rerun resumes there.");
    options.add_options()
        ("o,out", "output file (n2p2 input.data; .xyz/.extxyz: extended XYZ)", cxxopts::value<std::string>())
        ("states", "protocol preset: paper (21 x 1333 = 27993 structures, 500 tau equilibration) or small "
                   "(21 x 16 = 336, 4 tau)", cxxopts::value<std::string>()->default_value("paper"))
        ("samples", "samples per state point (overrides the preset)", cxxopts::value<int>())
        ("equilibration", "equilibration time per state point in tau (overrides the preset)",
         cxxopts::value<double>())
        ("melt", "melting time of the molten starts in tau (overrides the preset)", cxxopts::value<double>())
        ("seed", "random seed (same seed: identical file)", cxxopts::value<unsigned long long>()->default_value("1"))
        ("threads", "state points run in parallel (0: all cores)", cxxopts::value<int>()->default_value("0"))
        ("force", "overwrite the output and discard parts of another protocol or seed");
    addCommonOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    if (!args.count("out")) throw UsageError("agl data lj", "--out FILE is required");

    md::LjProtocol protocol = md::ljProtocol(args["states"].as<std::string>());
    if (args.count("samples")) {
        protocol.samplesPerState = args["samples"].as<int>();
        if (protocol.samplesPerState < 1) throw UsageError("--samples", "must be at least 1");
    }
    if (args.count("equilibration")) {
        protocol.equilibrationTime = args["equilibration"].as<double>();
        if (!(protocol.equilibrationTime >= 0)) throw UsageError("--equilibration", "must not be negative");
    }
    if (args.count("melt")) {
        protocol.meltTime = args["melt"].as<double>();
        if (!(protocol.meltTime >= 0)) throw UsageError("--melt", "must not be negative");
    }
    const int threads = args["threads"].as<int>();
    if (threads < 0) throw UsageError("--threads", "must not be negative");
    const std::string out = args["out"].as<std::string>();
    logInfo("lj data: protocol " + protocol.name + ", " + std::to_string(protocol.states.size()) +
            " state points x " + std::to_string(protocol.samplesPerState) + " samples -> " + out);
    md::generateLjData(protocol, out, args["seed"].as<unsigned long long>(), args.count("force") > 0, threads);
    return 0;
}

void printDataUsage() {
    std::cout << "usage: agl data <generator> [options]   (agl data <generator> --help)\n\ngenerators:\n"
                 "  lj    the paper's Lennard-Jones protocol (NVT molecular dynamics, 256 atoms)\n";
}

}  // namespace

int runData(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        printDataUsage();
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "lj") != 0) {
        logError(std::string("unknown data generator '") + argv[1] + "' (agl data --help lists them)");
        return 2;
    }
    std::string self = std::string(argv[0]) + " lj";
    argv[1] = self.data();
    return runDataLj(argc - 1, argv + 1);
}

}  // namespace agl::cli
