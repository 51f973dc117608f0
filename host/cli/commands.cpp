// The table of subcommands, in the order `agl --help` lists them (the pipeline order).
#include "command.hpp"

namespace agl::cli {

int runDevices(int argc, char** argv);
int runFeatures(int, char**);
int runFilter(int, char**);
int runConvert(int, char**);
int runData(int, char**);

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"devices", "show which devices this build can use", runDevices},
        {"features", "compute symmetry functions (and derivatives) for a data set", runFeatures},
        {"data", "generate training data (agl data lj: the paper's Lennard-Jones protocol)", runData},
        {"convert", "convert structures between n2p2 input.data and extended XYZ", runConvert},
        {"filter", "select features with PC, CUR or FPS (unsupervised baselines)", runFilter},
    };
    return table;
}

}  // namespace agl::cli
