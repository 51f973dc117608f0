// The table of subcommands, in the order `agl --help` lists them (the pipeline order).
#include "command.hpp"

namespace agl::cli {

int runDevices(int argc, char** argv);

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"devices", "show which devices this build can use", runDevices},
    };
    return table;
}

}  // namespace agl::cli
