// The paper's confounding-feature experiment (§III.E, Fig. 9; issue 6) at unit-test scale: the 22 LJ
// candidates plus 10 |Gaussian| noise columns. AGL's suggested set must hold no noise column, while PC, which
// only looks for uncorrelated columns, picks several (noise is uncorrelated with everything by construction).
//
// Scale (measured, Release): 21 state points × 16 samples = 336 structures of 256 atoms (86 016 atoms), an
// 8-λ path with GL/AGL/refit caps 150/300/150 epochs, batch 8, lr 5e-3: ~22 s CPU on one core (MD and
// features ~1/3, the path ~2/3). Noise seeds 1, 2 and 3 all pass (suggested 4, 3, 3 features, 0 noise; PC at
// 7 picks 6 noise columns each time). Smaller data do NOT support the claim: with 64 or 168 structures the
// suggested set kept 1–7 noise columns (a few hundred structure energies can be fitted with per-structure
// noise averages, and the refit errors the suggestion compares are too noisy); lr 2e-3 at this size fails
// too (GL ends at its epoch cap with noise groups as large as the redundant real ones).
//
// Why this can fail (the test is not vacuous): with AdamW + proximal step a group whose gradient is pure noise
// moves by ≈ 0.7 η per step (Adam normalises the step) and the prox shrinks it by η λ a/N, so GL (a = 1)
// keeps noise wherever it keeps most real features: at the suggested λ (2.48) the GL stage kept all 32
// columns, noise included. Only AGL's a_j = 1/‖ŵ_j‖ (large for GL's small noise groups) removes them; with a
// broken adaptive step (a = 1) the AGL stage would be GL again at that λ, which kept all 10 noise columns.
// Below that λ every column is kept (checked: the path does keep noise somewhere).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "agl/compare/feature_set.hpp"
#include "agl/noise_features.hpp"
#include "agl/select/lambda_path.hpp"
#include "agl/select/selection_path.hpp"
#include "agl/select/suggestion.hpp"
#include "agl/train/thread_limit.hpp"
#include "agl/train/training_data.hpp"
#include "compare_fixtures.hpp"

namespace agl {
namespace {

constexpr int kNoiseColumns = 10;
constexpr std::uint64_t kNoiseSeed = 1;  // also passes with 2 and 3 (checked when the test was written)
constexpr std::uint64_t kPathSeed = 1;

// All 21 state points of the LJ protocol, short runs (the noise test needs many structures and a wide energy
// range, not equilibrated ones): 0.5 τ equilibration/melt, 16 samples 50 steps apart.
Dataset noiseExperimentData() {
    md::LjProtocol p = md::ljProtocol("small");
    p.meltTime = 0.5;
    p.equilibrationTime = 0.5;
    p.samplesPerState = 16;
    p.sampleInterval = 50;
    Dataset d;
    for (std::size_t i = 0; i < p.states.size(); ++i)
        md::runLjStatePoint(p, i, 7, [&](Structure&& s) { d.structures.push_back(std::move(s)); });
    return d;
}

// The candidates' table plus kNoiseColumns noise columns.
FeatureTable noisyTable(FeatureTable t, std::uint64_t noiseSeed) {
    addNoiseFeatures(t, kNoiseColumns, noiseSeed);
    return t;
}

TrainerConfig noiseTrainer() {
    TrainerConfig c;
    const NnSettings s = testing::ljCandidates();
    c.hiddenNodes = s.network.hiddenNodes;
    c.activations = s.network.activations;
    c.batchSize = 8;
    c.validationFraction = 0.1;
    c.splitSeed = kPathSeed;
    c.shuffleSeed = kPathSeed + 1;
    c.schedule.baseRate = 5e-3;
    return c;
}

// PC at n picks per element, on the non-test structures (as agl compare runs it).
FeatureSet pcSet(const FeatureTable& t, const TrainerConfig& c, int n) {
    const DataSplit split = splitStructures(t, c.validationFraction, c.testFraction, c.splitSeed);
    std::vector<std::uint32_t> seen = split.train;
    seen.insert(seen.end(), split.validation.begin(), split.validation.end());
    return filterFeatureSet(t, filters::Method::Pc, {n}, seen, kPathSeed);
}

// The tables of the experiment: the 22 candidates of noiseExperimentData(), and the same plus noise.
struct NoisyLj {
    std::size_t numStructures = 0;
    FeatureTable table;
};

NoisyLj noisyLj() {
    const Dataset data = noiseExperimentData();
    return {data.structures.size(), noisyTable(computeFeatures(data, testing::ljCandidates(), FeatureOptions{}), kNoiseSeed)};
}

// Cheap (the 24-structure fixture): the noise and therefore PC's picks are fixed by the seed.
TEST(NoiseExperiment, SameSeedGivesTheSameNoiseAndTheSamePcPicks) {
    const FeatureTable real = computeFeatures(testing::tinyLjData(), testing::ljCandidates(), FeatureOptions{});
    const FeatureTable a = noisyTable(real, kNoiseSeed), b = noisyTable(real, kNoiseSeed);
    EXPECT_EQ(a.elements[0].values, b.elements[0].values);
    const TrainerConfig c = noiseTrainer();
    EXPECT_EQ(pcSet(a, c, 7).columns, pcSet(b, c, 7).columns);
    const FeatureTable other = noisyTable(real, kNoiseSeed + 1);
    EXPECT_NE(other.elements[0].values, a.elements[0].values) << "the noise seed must change the noise";
}

// The paper: PC "beyond the manually selected feature ... only picked out fake features", while "the AGL
// managed to discard the fakes, and select a set of features" (Fig. 9). One test, so that ctest (one process
// per test) generates the data once.
TEST(NoiseExperiment, AglSuggestsNoNoiseFeatureWhilePcKeepsSeveral) {
    const NoisyLj lj = noisyLj();
    const FeatureTable& t = lj.table;
    ASSERT_EQ(lj.numStructures, 21u * 16u);
    ASSERT_EQ(t.elements.size(), 1u);
    ASSERT_EQ(t.elements[0].numFunctions(), 22u + kNoiseColumns);
    for (std::size_t j = 0; j < t.elements[0].numFunctions(); ++j)
        ASSERT_EQ(t.elements[0].functions[j].isNoise(), j >= 22) << j;
    const TrainerConfig c = noiseTrainer();

    const FeatureSet pc7 = pcSet(t, c, 7);
    ASSERT_EQ(pc7.numFeatures(), 7);
    EXPECT_GE(countNoise(t, pc7), 3) << "PC picked " << countNoise(t, pc7) << " noise columns of 7";

    // One thread: the path is the same for any thread count (checked: 1 and 2 give identical numbers), and
    // mini-batches of 8 structures are too small to gain from threads; on a busy 2-core machine two OpenMP
    // threads made the path 3× slower (133 s vs 43 s wall).
    const ThreadLimit oneThread(1);
    LambdaPathOptions o;
    o.count = 8;
    const std::vector<std::uint64_t> seeds = pathSeeds(kPathSeed, o.count);
    const std::vector<double> lambdas = resolveLambdaPath(t, c, seeds, o);
    SelectConfig sc;
    sc.trainer = c;
    sc.epochsGl = 150;
    sc.epochsAgl = 300;
    sc.epochsRefit = 150;
    const SelectionPath path = runSelectionPath(t, sc, lambdas, seeds);
    ASSERT_EQ(path.completedStage, "refit");
    const int suggested = suggestPoint(path.points, 0.1);
    int maxNoise = 0;
    for (std::size_t k = 0; k < path.points.size(); ++k) {
        const PathPoint& p = path.points[k];
        maxNoise = std::max(maxNoise, p.numNoise);
        std::printf("%s lambda %-8.4g N %2d (noise %2d)  refit RMSE %.4g\n", int(k) == suggested ? "*" : " ", p.lambda,
                    p.numSelected, p.numNoise, p.refit.validationRmse);
    }
    ASSERT_GE(suggested, 0) << "the path suggested no set";
    const PathPoint& best = path.points[std::size_t(suggested)];
    EXPECT_EQ(best.numNoise, 0) << "AGL's suggested set holds noise columns";
    EXPECT_GE(best.numSelected, 2) << "a set of real features, not a trivial one";
    // Non-vacuous: noise was there to be kept (the small-λ end of the path keeps it), so the suggestion
    // excluded it by the λ path and the adaptive weights, not because noise columns were unreachable.
    EXPECT_GE(maxNoise, kNoiseColumns / 2);
    // At AGL's own size at least half of PC's picks are noise (Fig. 9 compares the sets at the same N).
    const FeatureSet pc = pcSet(t, c, best.numSelected);
    EXPECT_GE(2 * countNoise(t, pc), best.numSelected)
        << "PC at N = " << best.numSelected << " picked " << countNoise(t, pc) << " noise columns";
}

}  // namespace
}  // namespace agl
