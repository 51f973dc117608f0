// agl demo: the whole method on the small Lennard-Jones data in minutes (include/agl/compare/demo.hpp).
#include <iostream>

#include "agl/compare/demo.hpp"
#include "agl/log.hpp"
#include "command.hpp"

namespace agl::cli {

int runDemo(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Run the method end to end on small Lennard-Jones data: generate the data (or reuse "
                             "OUT/lj-small.data), compute the paper's 22 LJ symmetry functions, run the AGL path, "
                             "run PC/CUR/FPS at the suggested size, train a few models on each set and print the "
                             "paper-style table. A demonstration (short epoch caps), not a reproduction.");
    options.add_options()
        ("out", "output directory", cxxopts::value<std::string>()->default_value("agl-demo"))
        ("quick", "smaller run (fewer lambda, epochs and models): a smoke test")
        ("seed", "seed of the data, the path and the models", cxxopts::value<std::uint64_t>()->default_value("1"))
        ("force", "write into an existing non-empty OUT");
    addCommonOptions(options);
    addDeviceOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    DemoOptions o;
    o.out = args["out"].as<std::string>();
    o.force = args.count("force") > 0;
    o.quick = args.count("quick") > 0;
    o.device = args["device"].as<std::string>();
    o.precision = args["precision"].as<std::string>();
    o.seed = args["seed"].as<std::uint64_t>();
    const DemoResult r = agl::runDemo(o);
    std::cout << "\n" << r.table << "\n"
              << "plots:     " << r.compareDir << "/compare_box.png, " << r.compareDir << "/selection_matrix.png, "
              << r.selectDir << "/rmse_vs_features.png, " << r.selectDir << "/rmse_vs_cost.png, " << r.selectDir
              << "/selection_matrix.png\n"
              << "tables:    " << r.compareDir << "/compare.md, " << r.compareDir << "/compare.csv, " << r.selectDir
              << "/path.csv\n"
              << "potential: " << r.potentialDir << "/ (n2p2: input.nn, scaling.data, weights.NNN.data; "
              << r.suggestedFeatures << " features)\n"
              << "data:      " << r.dataPath << "\n";
    return 0;
}

}  // namespace agl::cli
