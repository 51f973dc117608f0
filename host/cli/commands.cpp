// The table of subcommands, in the order `agl --help` lists them (the pipeline order).
#include "command.hpp"

namespace agl::cli {

int runDevices(int argc, char** argv);
int runFeatures(int, char**);
int runFilter(int, char**);
int runConvert(int, char**);
int runSelect(int, char**);
int runEvaluate(int, char**);
int runData(int, char**);
int runCompare(int, char**);
int runAnalyze(int, char**);
int runDemo(int, char**);
int runTrain(int, char**);
int runPredict(int, char**);
int runLrFind(int, char**);
int runMd(int, char**);
int runBenchPotential(int, char**);

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"devices", "show which devices this build can use", runDevices},
        {"data", "generate training data (agl data lj: the paper's Lennard-Jones protocol)", runData},
        {"convert", "convert structures between n2p2 input.data and extended XYZ", runConvert},
        {"features", "compute symmetry functions (and derivatives) for a data set", runFeatures},
        {"filter", "select features with PC, CUR or FPS (unsupervised baselines)", runFilter},
        {"lr-find", "learning-rate range test: propose a learning rate", runLrFind},
        {"train", "train neural network potentials on the energies of a data set (n2p2 potential out)", runTrain},
        {"predict", "energies of a data set from a trained potential", runPredict},
        {"md", "molecular dynamics with a trained potential (NVT/NVE, trajectory, restart)", runMd},
        {"bench-potential", "MD speed of potentials side by side (timesteps/s, 1 core, all cores) and NVE drift",
         runBenchPotential},
        {"select", "select features with the Adaptive Group Lasso along a lambda path", runSelect},
        {"evaluate", "test a feature set: M models, test RMSE mean and std", runEvaluate},
        {"compare", "train M models per feature set and write the paper's comparison table", runCompare},
        {"analyze", "g(r), MSD and diffusion coefficient of MD trajectories (several potentials side by side)",
         runAnalyze},
        {"demo", "the whole method on small Lennard-Jones data, in minutes", runDemo},
    };
    return table;
}

}  // namespace agl::cli
