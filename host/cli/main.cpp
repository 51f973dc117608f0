// agl — Adaptive Group Lasso feature selection for HDNNPs. Dispatches to the subcommands of commands.cpp.
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "agl/error.hpp"
#include "agl/log.hpp"
#include "command.hpp"

namespace {

void printUsage() {
    std::cout << "agl " AGL_VERSION " — Adaptive Group Lasso feature selection for neural network potentials\n\n"
                 "usage: agl <command> [options]     (agl <command> --help for its options)\n\ncommands:\n";
    for (const auto& c : agl::cli::commands()) std::printf("  %-16s %s\n", c.name, c.summary);
    std::cout << "\nglobal: agl --help, agl --version\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        printUsage();
        return argc < 2 ? 1 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::cout << "agl " AGL_VERSION << std::endl;
        return 0;
    }
    for (const auto& c : agl::cli::commands()) {
        if (c.name != std::string(argv[1])) continue;
        std::string self = std::string("agl ") + c.name;
        argv[1] = self.data();
        try {
            return c.run(argc - 1, argv + 1);
        } catch (const cxxopts::exceptions::exception& e) {
            agl::logError(std::string(e.what()) + " (see agl " + c.name + " --help)");
            return 2;
        } catch (const std::exception& e) {
            agl::logError(e.what());
            return 1;
        }
    }
    agl::logError(std::string("unknown command '") + argv[1] + "' (agl --help lists the commands)");
    return 2;
}
