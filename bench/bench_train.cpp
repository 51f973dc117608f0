// bench_train: epoch time of the CPU trainer for the paper's LJ network (22 → 10 → 10 → 1, tanh, batch 256
// structures of 256 atoms) — one model, K models batched in one ModelBatch, and K sequential single-model
// runs (the baseline), in the same process. Prints throughput ratios.
//   usage: bench_train [numStructures=600] [K=16] [epochs=2]
// Times are process CPU seconds (std::clock, all threads): on a shared machine they are steadier than wall
// time; run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 for single-core numbers.
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "agl/train/synthetic.hpp"
#include "agl/train/trainer.hpp"

using namespace agl;

namespace {

double secondsPerEpoch(const FeatureTable& table, const TrainerConfig& config, const std::vector<ModelSpec>& specs,
                       int epochs) {
    Trainer trainer(table, config, specs);
    trainer.runEpoch();  // warm-up: allocations of the workspace
    const std::clock_t t0 = std::clock();
    for (int e = 0; e < epochs; ++e) trainer.runEpoch();
    return double(std::clock() - t0) / CLOCKS_PER_SEC / epochs;
}

}  // namespace

int main(int argc, char** argv) {
    const int numStructures = argc > 1 ? std::atoi(argv[1]) : 600;
    const int K = argc > 2 ? std::atoi(argv[2]) : 16;
    const int epochs = argc > 3 ? std::atoi(argv[3]) : 2;
    SyntheticSpec spec;
    spec.elements = {1};
    spec.numFunctions = {22};
    spec.numStructures = numStructures;
    spec.minAtoms = spec.maxAtoms = 256;
    spec.teacherHidden = {10, 10};
    FeatureTable table = makeSyntheticTable(spec);

    TrainerConfig config;
    config.hiddenNodes = {10, 10};
    config.activations = "ttl";
    config.batchSize = 256;
    config.maxEpochs = 1000000;
    config.patience = 1000000;
    std::vector<ModelSpec> specs(K);
    for (int k = 0; k < K; ++k) {
        specs[k].seed = 1000 + k;
        specs[k].lambda = 1e-3 * (k + 1);
    }
    std::printf("LJ network 22-10-10-1 (ttl), %d structures x 256 atoms, batch 256 structures, fp64 CPU\n",
                numStructures);
    const double one = secondsPerEpoch(table, config, {specs[0]}, epochs);
    std::printf("  1 model            : %8.3f CPU s/epoch\n", one);
    double sequential = 0.0;
    for (int k = 0; k < K; ++k) sequential += secondsPerEpoch(table, config, {specs[k]}, epochs);
    std::printf("  %2d sequential runs : %8.3f CPU s/epoch (all models)\n", K, sequential);
    const double batched = secondsPerEpoch(table, config, specs, epochs);
    std::printf("  %2d models batched  : %8.3f CPU s/epoch (all models)\n", K, batched);
    std::printf("  throughput ratio batched/sequential: %.2fx (target >= 5x)\n", sequential / batched);
    std::printf("  cost of a batched model vs a single run: %.2f\n", batched / K / one);
    return 0;
}
