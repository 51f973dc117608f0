// Subcommands of the `agl` binary. Each lives in its own cmd_<name>.cpp and is listed once in commands.cpp.
// A command parses its own options (cxxopts), adding the common ones with addCommonOptions().
#pragma once
#include <string>
#include <vector>

#include <cxxopts.hpp>

namespace agl::cli {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(int argc, char** argv);  // argv[0] is "agl <name>"
};

const std::vector<Command>& commands();

// -q/-v/--timings/--help on every subcommand; --device/--precision where the work runs on a device.
void addCommonOptions(cxxopts::Options& options);
void addDeviceOptions(cxxopts::Options& options);
// An option's older spelling, still accepted: {"learning-rate", "lr"} reads --learning-rate X as --lr X. The
// training commands share one spelling (--lr, --batch, --validation-fraction, --test-fraction); the older
// ones of a command keep its scripts working.
struct OptionSpelling {
    std::string older, name;
};
// Parses, handles --help (prints and returns false), applies -q/-v/--timings. Throws on bad options.
bool parseCommon(cxxopts::Options& options, int argc, char** argv, cxxopts::ParseResult& result,
                 const std::vector<OptionSpelling>& older = {});

}  // namespace agl::cli
