// agl — Adaptive Group Lasso feature selection for HDNNPs. Dispatches to the subcommands of commands.cpp.
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "agl/atomic_file.hpp"
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

// cxxopts names the value it could not parse ("Argument ‘abc’ failed to parse"), not the option: the
// options of argv that were given exactly that value ("--name value" or "--name=value"), comma-separated.
std::string optionsGiven(int argc, char** argv, const std::string& message) {
    std::string found;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0) continue;
        const std::size_t eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        std::string value;
        if (eq != std::string::npos) value = arg.substr(eq + 1);
        else if (i + 1 < argc) value = argv[i + 1];
        else continue;
        for (const std::string& q : {"\u2018" + value + "\u2019", "'" + value + "'"})
            if (message.find(q) != std::string::npos && found.find(name) == std::string::npos)
                found += (found.empty() ? "" : ", ") + name;
    }
    return found;
}

// Runs command `c` (argv[1] is already "agl NAME") and turns its exceptions into the exit codes README.md
// lists: 2 an option, 1 an input or a run, 130 Ctrl-C (after the checkpoint).
int runCommand(const agl::cli::Command& c, int argc, char** argv) {
    try {
        return c.run(argc - 1, argv + 1);
    } catch (const cxxopts::exceptions::incorrect_argument_type& e) {
        const std::string options = optionsGiven(argc, argv, e.what());
        agl::logError((options.empty() ? "" : options + ": ") + std::string(e.what()) + ", not a value of the " +
                      "option's type (see agl " + c.name + " --help)");
        return 2;
    } catch (const cxxopts::exceptions::exception& e) {
        agl::logError(std::string(e.what()) + " (see agl " + c.name + " --help)");
        return 2;
    } catch (const agl::UsageError& e) {
        agl::logError(std::string(e.what()) + " (see agl " + c.name + " --help)");
        return 2;
    } catch (const agl::Interrupted& e) {
        agl::logError(e.what());
        return 130;
    } catch (const std::exception& e) {
        agl::logError(e.what());
        return 1;
    }
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
        const int status = runCommand(c, argc, argv);
        if (status != 0) agl::removeEmptyCreatedFolders();  // a refused run leaves no empty output folder
        return status;
    }
    agl::logError(std::string("unknown command '") + argv[1] + "' (agl --help lists the commands)");
    return 2;
}
