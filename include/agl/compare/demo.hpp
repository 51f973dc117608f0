// `agl demo`: the whole method end to end on the small Lennard-Jones data, in minutes on a laptop:
//   1 data      DIR/lj-small.data (agl data lj --states small: 21 state points × 16 samples of 256 atoms),
//               reused when present
//   2 features  the paper's 22 LJ candidates (compiled in, paper_sets.hpp) → DIR/input.nn, feature table
//   3 AGL       the λ path (GL, AGL, refit; all λ batched), each set's cost, the suggested set →
//               DIR/select/ (path.csv, path.json, rmse_vs_features.png, rmse_vs_cost.png, selection_matrix.png,
//               selected.nn, potential/ = the refit potential of the suggested set in n2p2's files)
//   4 filters   PC, CUR and FPS with the suggested number of features per element (non-test rows)
//   5 compare   all, AGL, PC, CUR, FPS: M models each, test RMSE and cost → DIR/compare/ (compare.md, .csv,
//               compare_box.png, selection_matrix.png)
// The epoch caps and sizes (DemoPlan) are far below the paper's (1000/10000 epochs, 8191-epoch final
// training, 28 000 structures): a demonstration that runs in minutes, not a reproduction of its numbers.
//
// Output folder: created fresh. An existing folder holding anything but the data file (and its parts folder
// of an interrupted generation) is refused unless `force`.
#pragma once
#include <cstdint>
#include <string>

namespace agl {

struct DemoOptions {
    std::string out = "agl-demo";
    bool force = false;
    bool quick = false;              // smaller data, fewer λ, epochs and models (a smoke run)
    std::string device = "auto";     // features and training: auto, cpu or gpu
    std::string precision = "fp32";  // on the GPU: fp32 or fp64
    std::uint64_t seed = 1;
};

// Sizes of each stage (documented in demoPlan()).
struct DemoPlan {
    int samplesPerState = 32;        // LJ data: 21 × 32 = 672 structures
    int lambdas = 16;
    int probeEpochs = 10;            // λ_max refinement
    int batchSize = 16;              // structures per mini-batch (~30 optimiser steps per epoch)
    double learningRate = 5e-3;
    int patience = 10;
    int epochsGl = 300, epochsAgl = 300, epochsRefit = 300;
    double tolerance = 0.1;          // suggestion rule
    int models = 3;                  // per compared set
    int restarts = 8;                // warm restarts of the final training (Σ 2^i = 511 epochs)
    double testFraction = 0.2, validationFraction = 0.1;
    int costStructures = 3;
};
DemoPlan demoPlan(bool quick);

// Throws agl::InputError when `dir` holds anything but lj-small.data (and lj-small.data.parts) and not force.
void checkDemoOutputDir(const std::string& dir, bool force);

struct DemoResult {
    std::string table;               // compare.md
    std::string selectDir, compareDir, potentialDir, dataPath;
    int suggestedFeatures = 0;
};

DemoResult runDemo(const DemoOptions& options);

}  // namespace agl
