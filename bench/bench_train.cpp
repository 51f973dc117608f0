// bench_train: epoch time of the CPU trainer for the paper's LJ network (22 → 10 → 10 → 1, tanh, fp64,
// mini-batches of 256 structures × 256 atoms = 65 536 atom rows) — one model, K sequential single-model
// runs (the baseline) and K models batched in one ModelBatch, all in the same process and with the same
// thread count. Prints the throughput ratio batched / sequential (issue target: ≥ 5 for K = 16).
//   usage: bench_train [numStructures=300] [K=16] [epochs=2] [threads=1,2] [chunkAtoms=default]
//   threads: comma-separated list; each count sets OpenMP and OpenBLAS threads for its measurements.
// Times: process CPU seconds (std::clock, all threads; steadier than wall time on a shared machine) and wall
// seconds. Only epochs are timed (the first epoch of each trainer is a warm-up that sizes the workspace).
// Also prints one line `ours_epoch_seconds threads=T single=… batched=…` per thread count, which
// tools/bench_torch_train.py reads to compare against PyTorch in the same run.
#include <cblas.h>
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include "agl/train/synthetic.hpp"
#include "agl/train/trainer.hpp"

using namespace agl;

namespace {

struct EpochTime {
    double cpu = 0.0, wall = 0.0;
    EpochTime& operator+=(const EpochTime& o) {
        cpu += o.cpu;
        wall += o.wall;
        return *this;
    }
};

EpochTime timePerEpoch(const FeatureTable& table, const TrainerConfig& config, const std::vector<ModelSpec>& specs,
                       int epochs, int chunkAtoms) {
    TrainerConfig c = config;
    c.chunkAtoms = chunkAtoms;
    Trainer trainer(table, c, specs);
    trainer.runEpoch();  // warm-up: allocations of the workspace
    const std::clock_t c0 = std::clock();
    const auto w0 = std::chrono::steady_clock::now();
    for (int e = 0; e < epochs; ++e) trainer.runEpoch();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    return {double(std::clock() - c0) / CLOCKS_PER_SEC / epochs, wall / epochs};
}

std::vector<int> parseList(const std::string& text) {
    std::vector<int> v;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) v.push_back(std::atoi(item.c_str()));
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    const int numStructures = argc > 1 ? std::atoi(argv[1]) : 300;
    const int K = argc > 2 ? std::atoi(argv[2]) : 16;
    const int epochs = argc > 3 ? std::atoi(argv[3]) : 2;
    const std::vector<int> threadCounts = parseList(argc > 4 ? argv[4] : "1,2");
    const int chunkAtoms = argc > 5 ? std::atoi(argv[5]) : 0;
    const FeatureTable table = makeSyntheticTable(ljLikeSpec(numStructures));

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
    std::printf("LJ network 22-10-10-1 (ttl), %d structures x 256 atoms (%zu training), batch 256 structures, "
                "fp64 CPU, chunk %d atoms\n",
                numStructures, Trainer(table, config, {specs[0]}).split().train.size(),
                chunkAtoms > 0 ? chunkAtoms : ModelBatch::kDefaultChunkAtoms);
    for (int threads : threadCounts) {
        omp_set_num_threads(threads);
        openblas_set_num_threads(threads);
        std::printf("threads = %d (OpenMP and OpenBLAS)\n", threads);
        const EpochTime one = timePerEpoch(table, config, {specs[0]}, epochs, chunkAtoms);
        std::printf("  1 model            : %8.4f CPU s/epoch  %8.4f wall s/epoch\n", one.cpu, one.wall);
        EpochTime sequential;
        for (int k = 0; k < K; ++k) sequential += timePerEpoch(table, config, {specs[k]}, epochs, chunkAtoms);
        std::printf("  %2d sequential runs : %8.4f CPU s/epoch  %8.4f wall s/epoch (all models)\n", K, sequential.cpu,
                    sequential.wall);
        const EpochTime batched = timePerEpoch(table, config, specs, epochs, chunkAtoms);
        std::printf("  %2d models batched  : %8.4f CPU s/epoch  %8.4f wall s/epoch (all models)\n", K, batched.cpu,
                    batched.wall);
        std::printf("  throughput ratio batched/sequential: %.2fx CPU, %.2fx wall (target >= 5x)\n",
                    sequential.cpu / batched.cpu, sequential.wall / batched.wall);
        std::printf("  cost of a batched model vs a single run: %.2f (CPU)\n", batched.cpu / K / one.cpu);
        std::printf("ours_epoch_seconds threads=%d K=%d single_cpu=%.6f single_wall=%.6f sequential_cpu=%.6f "
                    "batched_cpu=%.6f batched_wall=%.6f\n",
                    threads, K, one.cpu, one.wall, sequential.cpu, batched.cpu, batched.wall);
    }
    return 0;
}
