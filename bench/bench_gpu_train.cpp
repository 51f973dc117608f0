// bench_gpu_train: epoch time of the GPU training engine (include/agl/gpu_train.hpp) against the CPU engine
// (ModelBatch + optimizer.hpp loops) in the same run, for the paper's LJ network (22 → 10 → 10 → 1, "ttl"),
// mini-batches of 256 structures × 256 atoms = 65 536 rows, K = 1 and K = 16 models.
// One epoch = every batch: loss + gradient → gradient mask → AdamW → proximal group step (λ > 0), then the
// per-model penalty (what agl::Trainer does per batch, without validation). Both sides use the same batches
// in the same order. The GPU keeps the features resident (uploaded once, outside the timing).
// Also counts the GEMM flops of an epoch (agl::gpu::trainGemmFlops) and prints the achieved fraction of a
// STATED peak: H100 SXM5 data-sheet numbers, 67 TFLOP/s FP32 (CUDA cores; cuBLAS runs without TF32 here)
// and 67 TFLOP/s FP64 (tensor cores) — pass other peaks (TFLOP/s) for another card.
//   usage: bench_gpu_train [numStructures=1024] [epochs=3] [peakFp32=67] [peakFp64=67]
// Without a usable GPU (or in a CPU-only build) it prints "no GPU: <reason>" and exits 0.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "agl/device.hpp"
#include "agl/gpu_train.hpp"
#include "agl/train/model_batch.hpp"
#include "agl/train/synthetic.hpp"

using namespace agl;

namespace {

constexpr int kBatch = 256;

double seconds(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Setup {
    StandardisedData data;
    std::vector<std::vector<std::uint32_t>> batches;
    std::vector<ElementArch> archs;
};

void configureGroups(GroupSettings& g, int K) {
    for (int k = 0; k < K; ++k) g.lambda[k] = 1e-3 * (k + 1);  // every model penalised: the prox does work
}

// Initialised models of the CPU engine (the GPU copies their parameters and groups).
ModelBatch makeModels(const Setup& s, int K) {
    ModelBatch mb(s.archs, K);
    configureGroups(mb.groups(), K);
    for (int k = 0; k < K; ++k) mb.initialise(k, 1000 + k, 0.0);
    return mb;
}

// Seconds per epoch of the CPU engine (a warm-up epoch first, which sizes the workspaces).
double cpuEpoch(const Setup& s, int K, int epochs) {
    ModelBatch mb = makeModels(s, K);
    const std::size_t n = mb.layout().size();
    std::vector<double> grad(n, 0.0), m(n, 0.0), v(n, 0.0), mse;
    const AdamWSettings settings;
    MiniBatch batch;
    long step = 0;
    double penalty = 0.0;
    auto epoch = [&] {
        for (const auto& b : s.batches) {
            gatherBatch(s.data, b.data(), int(b.size()), batch);
            mb.lossAndGradient(batch, K, mse, grad);
            maskFirstLayerGradient(mb.layout(), K, mb.groups(), grad.data());
            adamwStep(mb.layout(), K, ++step, 1e-3, settings, grad.data(), mb.params().data(), m.data(), v.data());
            proximalGroupStep(mb.layout(), K, 1e-3, mb.groups(), mb.params().data());
        }
        for (int k = 0; k < K; ++k) penalty += groupPenalty(mb.layout(), k, mb.groups(), mb.params().data());
    };
    epoch();
    const auto t0 = std::chrono::steady_clock::now();
    for (int e = 0; e < epochs; ++e) epoch();
    const double t = seconds(t0) / epochs;
    if (!(penalty >= 0.0)) std::printf("warning: CPU penalty is not a number\n");
    return t;
}

double gpuEpoch(const Setup& s, int K, int epochs, Precision precision) {
    ModelBatch mb = makeModels(s, K);
    gpu::GpuModelBatch g(mb.layout(), precision);
    g.setParams(mb.params());
    g.setGroups(mb.groups());
    g.setData(s.data);  // once: the features stay on the GPU
    const AdamWSettings settings;
    std::vector<double> mse;
    long step = 0;
    double penalty = 0.0;
    auto epoch = [&] {
        for (const auto& b : s.batches) {
            g.lossAndGradient(b.data(), int(b.size()), K, mse);
            g.maskGradient(K);
            g.adamwStep(K, ++step, 1e-3, settings);
            g.proximalStep(K, 1e-3);
        }
        for (double p : g.penalties(K)) penalty += p;  // downloads: the epoch's work is finished
    };
    epoch();
    const auto t0 = std::chrono::steady_clock::now();
    for (int e = 0; e < epochs; ++e) epoch();
    const double t = seconds(t0) / epochs;
    if (!(penalty >= 0.0)) std::printf("warning: GPU penalty is not a number\n");
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    std::string why;
    if (!gpu::available(&why)) {
        std::printf("no GPU: %s\n", why.c_str());
        return 0;
    }
    const int numStructures = argc > 1 ? std::atoi(argv[1]) : 1024;
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 3;
    const double peakFp32 = (argc > 3 ? std::atof(argv[3]) : 67.0) * 1e12;
    const double peakFp64 = (argc > 4 ? std::atof(argv[4]) : 67.0) * 1e12;
    if (numStructures < kBatch || epochs < 1) {
        std::printf("usage: bench_gpu_train [numStructures>=%d] [epochs>=1] [peakFp32] [peakFp64]\n", kBatch);
        return 1;
    }

    const FeatureTable table = makeSyntheticTable(ljLikeSpec(numStructures));
    std::vector<std::uint32_t> all(numStructures);
    std::iota(all.begin(), all.end(), 0u);
    Setup s;
    s.data = standardise(table, computeScaling(table, all));
    for (int b = 0; b + kBatch <= numStructures; b += kBatch)
        s.batches.emplace_back(all.begin() + b, all.begin() + b + kBatch);
    s.archs = {makeElementArch(1, 22, {10, 10}, "ttl")};

    std::printf("bench_gpu_train: %s; CPU %u hardware threads\n", gpu::describe().c_str(),
                std::thread::hardware_concurrency());
    std::printf("LJ network 22-10-10-1 ttl, %zu batches/epoch of %d structures x 256 atoms, %d timed epochs\n",
                s.batches.size(), kBatch, epochs);
    std::printf("stated peaks: fp32 %.0f TFLOP/s, fp64 %.0f TFLOP/s\n", peakFp32 / 1e12, peakFp64 / 1e12);
    std::printf("%4s %12s %12s %12s %10s %10s %12s %12s\n", "K", "cpu_s", "gpu32_s", "gpu64_s", "cpu/gpu32",
                "cpu/gpu64", "fp32_peak%", "fp64_peak%");
    for (int K : {1, 16}) {
        const ParamLayout layout(s.archs, K);
        const double flops = gpu::trainGemmFlops(gpu::describeLayout(layout), {long(kBatch) * 256}, K) *
                             double(s.batches.size());
        const double cpu = cpuEpoch(s, K, epochs);
        const double g32 = gpuEpoch(s, K, epochs, Precision::Fp32);
        const double g64 = gpuEpoch(s, K, epochs, Precision::Fp64);
        std::printf("%4d %12.5f %12.5f %12.5f %10.1f %10.1f %12.3f %12.3f\n", K, cpu, g32, g64, cpu / g32, cpu / g64,
                    100.0 * flops / g32 / peakFp32, 100.0 * flops / g64 / peakFp64);
        std::printf("     GEMM flops per epoch %.3e; achieved fp32 %.1f GFLOP/s, fp64 %.1f GFLOP/s\n", flops,
                    flops / g32 / 1e9, flops / g64 / 1e9);
    }
    return 0;
}
