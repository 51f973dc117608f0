// bench_select: wall time of a 16-λ AGL path (GL, AGL, refit) on a small Lennard-Jones-like synthetic
// feature table (one element, 22 features, 2 × 10 tanh network as the paper's LJ model), trained BATCHED
// (all λ of a stage in one Trainer) against SEQUENTIAL (one λ at a time, same seeds), in the same run.
// Both give the same path (checked here: same selections); the ratio is the speed-up of batching.
// Usage: bench_select [numStructures=200] [epochCap=40] [cpu|gpu] [fp32|fp64]
// With gpu, both runs train on the GPU (TrainerConfig::device; λ resolved on the CPU first, so that both
// devices see the same path) and the selections are also compared with a CPU batched run. Without a usable
// GPU it prints "no GPU: <reason>" and exits 0 (tools/gpu-check.sh runs it on GPU machines).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "agl/device.hpp"
#include "agl/log.hpp"
#include "agl/select/lambda_path.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/train/synthetic.hpp"

using namespace agl;

int main(int argc, char** argv) {
    const int numStructures = argc > 1 ? std::atoi(argv[1]) : 200;
    const int cap = argc > 2 ? std::atoi(argv[2]) : 40;
    const std::string device = argc > 3 ? argv[3] : "cpu";
    const Precision precision = parsePrecision(argc > 4 ? argv[4] : "fp32");
    std::string why;
    if (device == "gpu" && !gpu::available(&why)) {
        std::printf("no GPU: %s\n", why.c_str());
        return 0;
    }
    setLogLevel(LogLevel::Warn);  // no per-stage progress lines
    SyntheticSpec spec;
    spec.elements = {18};
    spec.numFunctions = {22};
    spec.numStructures = numStructures;
    spec.minAtoms = 24;
    spec.maxAtoms = 40;
    spec.teacherHidden = {10};
    spec.seed = 5;
    const FeatureTable table = makeSyntheticTable(spec);

    SelectConfig c;
    c.trainer.hiddenNodes = {10, 10};
    c.trainer.activations = "ttl";
    c.trainer.batchSize = 32;
    c.trainer.schedule.baseRate = 3e-3;
    c.epochsGl = c.epochsAgl = c.epochsRefit = cap;
    LambdaPathOptions o;
    o.count = 16;
    const auto seeds = pathSeeds(1, o.count);
    const auto lambdas = resolveLambdaPath(table, c.trainer, seeds, o);
    SelectionPath cpuBatched;
    if (device == "gpu") {
        cpuBatched = runSelectionPath(table, c, lambdas, seeds);
        c.trainer.device = Device::Gpu;
        c.trainer.precision = precision;
    }

    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    const SelectionPath batched = runSelectionPath(table, c, lambdas, seeds);
    const double tBatched = std::chrono::duration<double>(clock::now() - t0).count();

    t0 = clock::now();
    int same = 0, epochs = 0;
    for (int k = 0; k < o.count; ++k) {
        const SelectionPath one = runSelectionPath(table, c, {lambdas[std::size_t(k)]}, {seeds[std::size_t(k)]});
        same += one.points[0].selected == batched.points[std::size_t(k)].selected;
        epochs += one.points[0].gl.epochs + one.points[0].agl.epochs + one.points[0].refit.epochs;
    }
    const double tSequential = std::chrono::duration<double>(clock::now() - t0).count();

    std::printf("16-lambda AGL path on %s%s, %d structures, %zu atoms, 22 features, net 22-10-10-1, batch 32, cap %d "
                "epochs per stage (%d model-epochs in all)\n",
                device.c_str(), device == "gpu" ? (precision == Precision::Fp64 ? " fp64" : " fp32") : "",
                numStructures, table.elements[0].numAtoms(), cap, epochs);
    std::printf("  sequential (one lambda at a time): %8.3f s\n", tSequential);
    std::printf("  batched (all lambdas at once):     %8.3f s\n", tBatched);
    std::printf("  speed-up: %.2fx   identical selections: %d / %d\n", tSequential / tBatched, same, o.count);
    if (device == "gpu") {
        int sameAsCpu = 0;
        for (int k = 0; k < o.count; ++k)
            sameAsCpu += cpuBatched.points[std::size_t(k)].selected == batched.points[std::size_t(k)].selected;
        std::printf("  GPU batched path selects as the CPU batched path at %d / %d lambda\n", sameAsCpu, o.count);
    }
    return 0;
}
