// n2p2 potential files: exact round trip, file layout, prediction from a loaded potential; range test.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "agl/error.hpp"
#include "agl/train/lr_finder.hpp"
#include "agl/train/potential.hpp"
#include "agl/train/synthetic.hpp"
#include "agl/train/trainer.hpp"

namespace agl {
namespace {

namespace fs = std::filesystem;

FeatureTable table() {
    SyntheticSpec spec;
    spec.elements = {1, 8};
    spec.numFunctions = {3, 5};
    spec.numStructures = 40;
    spec.seed = 4;
    return makeSyntheticTable(spec);
}

Trainer trained(const FeatureTable& t) {
    TrainerConfig c;
    c.hiddenNodes = {4, 3};
    c.activations = "tsl";
    c.batchSize = 8;
    c.maxEpochs = 3;
    ModelSpec m;
    m.seed = 3;
    Trainer tr(t, c, {m});
    tr.train();
    return tr;
}

std::string freshDir(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("agl_train_pot_" + name);
    fs::remove_all(p);
    fs::create_directories(p);
    return p.string();
}

TEST(TrainPotential, ExportImportIsExactAndPredicts) {
    const FeatureTable t = table();
    const Trainer tr = trained(t);
    const Potential p = tr.potential(0);
    const std::string dir = freshDir("roundtrip");
    writePotential(dir, p, false);
    EXPECT_THROW(writePotential(dir, p, false), InputError);  // no silent overwrite
    std::vector<ElementArch> archs = {p.elements[0].arch, p.elements[1].arch};
    const Potential q = readPotential(dir, archs);
    for (int e = 0; e < 2; ++e) {
        EXPECT_EQ(q.elements[e].weights, p.elements[e].weights);
        EXPECT_EQ(q.elements[e].scaling.mean, p.elements[e].scaling.mean);
        EXPECT_EQ(q.elements[e].scaling.sigma, p.elements[e].scaling.sigma);
        EXPECT_EQ(q.elements[e].scaling.min, p.elements[e].scaling.min);
        EXPECT_EQ(q.elements[e].scaling.max, p.elements[e].scaling.max);
    }
    // Energies of the loaded potential give the trainer's test RMSE.
    const auto energies = q.predict(t);
    double sum = 0;
    for (std::uint32_t s : tr.split().validation) sum += std::pow((energies[s] - t.energies[s]) / t.numAtoms[s], 2);
    EXPECT_NEAR(std::sqrt(sum / tr.split().validation.size()), tr.rmse(0, tr.split().validation), 1e-13);
    fs::remove_all(dir);
}

TEST(TrainPotential, WeightsFileLayout) {
    // 2 inputs → 2 hidden → 1: weights (source outer, target inner) then biases, per layer.
    ElementPotential e;
    e.arch = makeElementArch(14, 2, {2}, "tl");
    e.weights = {11, 12, 21, 22, 0.1, 0.2, 31, 32, 0.5};  // W¹[i][o], b¹, W²[i][0], b²
    const std::string dir = freshDir("layout");
    writeWeights(dir + "/weights.014.data", e, false);
    std::ifstream in(dir + "/weights.014.data");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);)
        if (l[0] != '#') lines.push_back(l);
    ASSERT_EQ(lines.size(), 9u);
    EXPECT_EQ(lines[1], "  1.2000000000000000E+01 a         2     0     1     1     2");
    EXPECT_EQ(lines[2], "  2.1000000000000000E+01 a         3     0     2     1     1");
    EXPECT_EQ(lines[4], "  1.0000000000000001E-01 b         5     1     1");
    EXPECT_EQ(lines[7], "  3.2000000000000000E+01 a         8     1     2     2     1");
    EXPECT_EQ(lines[8], "  5.0000000000000000E-01 b         9     2     1");
    EXPECT_EQ(readWeights(dir + "/weights.014.data", e.arch), e.weights);
    // A file with a missing value names the problem.
    { std::ofstream(dir + "/bad.data") << "# header\n1.0 a 1 0 1 1 1\nxyz\n"; }
    try {
        readWeights(dir + "/bad.data", e.arch);
        FAIL() << "expected InputError";
    } catch (const InputError& err) {
        EXPECT_EQ(err.line(), 3);
    }
    fs::remove_all(dir);
}

TEST(TrainPotential, ScalingDataLineFormat) {
    Potential p;
    ElementPotential e;
    e.arch = makeElementArch(1, 1, {1}, "tl");
    e.scaling.min = {0.5};
    e.scaling.max = {2.0};
    e.scaling.mean = {1.25};
    e.scaling.sigma = {0.125};
    e.weights.assign(e.arch.numParams(), 0.0);
    p.elements.push_back(e);
    const std::string dir = freshDir("scaling");
    writeScalingData(dir + "/scaling.data", p, false);
    std::ifstream in(dir + "/scaling.data");
    std::string last;
    for (std::string l; std::getline(in, l);) last = l;
    EXPECT_EQ(last, "         1          1   5.0000000000000000E-01   2.0000000000000000E+00   1.2500000000000000E+00   "
                    "1.2500000000000000E-01");
    fs::remove_all(dir);
}

// Values no potential can use: (G − mean)/σ would be inf or NaN for every structure.
TEST(TrainPotential, ScalingDataWithUnusableValuesIsRefused) {
    const std::vector<ElementArch> archs = {makeElementArch(1, 2, {1}, "tl")};
    const std::string dir = freshDir("bad-scaling");
    const auto refusedAtLine = [&](const std::string& second) {
        { std::ofstream(dir + "/scaling.data") << "1 1 0.0 1.0 0.5 0.25\n" << second << "\n"; }
        try {
            readScalingData(dir + "/scaling.data", archs);
        } catch (const InputError& err) {
            return err.line();
        }
        return 0L;
    };
    EXPECT_EQ(refusedAtLine("1 2 0.0 1.0 0.5 0.25"), 0L);  // valid: read
    EXPECT_EQ(refusedAtLine("1 2 0.0 1.0 0.5 1e-320"), 2L);  // 1/σ overflows
    EXPECT_EQ(refusedAtLine("1 2 0.0 1.0 0.5 -0.1"), 2L);
    EXPECT_EQ(refusedAtLine("1 2 2.0 1.0 0.5 0.25"), 2L);   // min > max
    EXPECT_EQ(refusedAtLine("1 2 0.0 1.0 0.5 0.0"), 0L);    // a constant function: σ = 0 is n2p2's convention
    EXPECT_EQ(refusedAtLine("1 2 0.0 1.0 0.5 0.25\n1 2 0.0 1.0 0.5 0.25"), 3L);  // listed twice
    // A missing function names the element (n2p2's index and its symbol) and the count input.nn gives.
    { std::ofstream(dir + "/scaling.data") << "1 1 0.0 1.0 0.5 0.25\n"; }
    try {
        readScalingData(dir + "/scaling.data", archs);
        ADD_FAILURE() << "expected an InputError";
    } catch (const InputError& err) {
        EXPECT_NE(std::string(err.what()).find("no line for element 1 (H) function 2 (input.nn gives it 2 functions)"),
                  std::string::npos) << err.what();
    }
    fs::remove_all(dir);
}

TEST(TrainLrFinder, RuleOnKnownCurve) {
    // Loss ∝ 1/(1 + (r/1e-3)²) until it blows up past 0.1: steepest descent (in log–log) near r = 1e-3…1e-2.
    LrRangeTestResult r;
    for (int i = 0; i < 200; ++i) {
        const double rate = 1e-6 * std::pow(10.0, 6.0 * i / 199.0);
        r.rates.push_back(rate);
        r.losses.push_back(rate < 0.1 ? 1.0 / (1.0 + std::pow(rate / 1e-3, 2)) : 1e3);
    }
    LrRangeTestConfig cfg;
    cfg.smoothing = 0.0;  // no smoothing: the rule alone
    analyseLrCurve(r, cfg);
    EXPECT_GT(r.suggestedRate, 1e-3);
    EXPECT_LT(r.suggestedRate, 0.1);
    EXPECT_NEAR(std::log10(r.divergenceRate), -1.0, 0.05);
}

// Real batch losses scatter (tantalum's, by tens of per cent: a few compressed cells per batch carry the
// loss). A plateau up to 1e-2 with ±35 % noise, then a shallow 25 % descent around 5e-2: the windowed slope
// finds the descent for every noise seed; the earlier neighbour-difference rule proposed ~1e-6 (plateau noise)
// for 15 of these 16, and took the jump from an easy first batch to the next for a divergence.
TEST(TrainLrFinder, RuleFindsAShallowDescentUnderNoise) {
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
        std::uint64_t x = seed;
        const auto uniform = [&x] {  // a fixed LCG: the same noise on every platform
            x = 6364136223846793005ull * x + 1442695040888963407ull;
            return double(x >> 11) / double(1ull << 53);
        };
        LrRangeTestResult r;
        for (int i = 0; i < 300; ++i) {
            const double rate = 1e-7 * std::exp(std::log(1e7) * i / 299.0);
            const double descent = 1.0 - 0.25 / (1.0 + std::exp(-2.0 * std::log10(rate / 0.05)));
            r.rates.push_back(rate);
            r.losses.push_back(descent * std::exp(0.35 * (2.0 * uniform() - 1.0)));
        }
        r.losses[0] /= 8.0;  // a first batch of easy structures: the next one is 8× it, which is no divergence
        analyseLrCurve(r, LrRangeTestConfig{});
        EXPECT_GT(r.suggestedRate, 1e-3) << "noise seed " << seed;
        EXPECT_EQ(r.divergenceRate, r.rates.back()) << "noise seed " << seed;
        EXPECT_EQ(r.smoothed.size(), r.losses.size());
    }
}

TEST(TrainLrFinder, RunsOnData) {
    const FeatureTable t = table();
    TrainerConfig c;
    c.hiddenNodes = {5};
    c.activations = "tl";
    c.batchSize = 8;
    LrRangeTestConfig cfg;
    cfg.numBatches = 60;
    cfg.minRate = 1e-5;
    cfg.maxRate = 10.0;
    const LrRangeTestResult r = lrRangeTest(t, c, ModelSpec{}, cfg);
    EXPECT_GE(r.suggestedRate, cfg.minRate);
    EXPECT_LE(r.suggestedRate, r.divergenceRate);
    EXPECT_FALSE(r.smoothed.empty());
}

}  // namespace
}  // namespace agl

namespace agl {
namespace {
// A constant training column (σ = 0) is input 0 in agl; the written files (σ = 1, zero weights of that input,
// as n2p2 cannot use σ = 0) predict the same energies as the potential in memory, also for data where the
// column varies. Per-atom energies sum to the structure energies.
TEST(TrainPotential, ConstantColumnAndAtomicEnergiesConsistent) {
    SyntheticSpec spec;
    spec.elements = {1};
    spec.numFunctions = {3};
    spec.numStructures = 12;
    spec.seed = 3;
    FeatureTable table = makeSyntheticTable(spec);
    std::vector<std::uint32_t> all(table.numStructures());
    std::iota(all.begin(), all.end(), 0u);
    for (std::size_t r = 0; r < table.elements[0].numAtoms(); ++r) table.elements[0].values[r * 3 + 1] = 2.5;
    Potential p;
    ElementPotential ep;
    ep.arch = makeElementArch(1, 3, {4}, "tl");
    ep.scaling = computeScaling(table, all)[0];
    ASSERT_EQ(ep.scaling.sigma[1], 0.0);
    std::mt19937_64 rng(9);
    for (std::size_t i = 0; i < ep.arch.numParams(); ++i) ep.weights.push_back(double(rng() % 1000) / 500.0 - 1.0);
    p.elements.push_back(ep);
    for (std::size_t r = 0; r < table.elements[0].numAtoms(); ++r) table.elements[0].values[r * 3 + 1] = 2.0 + 0.1 * r;
    const std::vector<double> inMemory = p.predict(table);
    const std::string dir = (std::filesystem::temp_directory_path() / "agl_potential_sigma0").string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    writePotential(dir, p, false);
    const Potential back = readPotential(dir, {ep.arch});
    EXPECT_EQ(back.elements[0].scaling.sigma[1], 1.0);
    const std::vector<double> fromFiles = back.predict(table);
    ASSERT_EQ(fromFiles.size(), inMemory.size());
    for (std::size_t s = 0; s < inMemory.size(); ++s) EXPECT_NEAR(fromFiles[s], inMemory[s], 1e-12 * (1 + std::fabs(inMemory[s])));
    const auto atomic = p.atomicEnergies(table);
    std::vector<double> sums(table.numStructures(), 0.0);
    for (std::size_t r = 0; r < atomic[0].size(); ++r) sums[table.elements[0].structure[r]] += atomic[0][r];
    for (std::size_t s = 0; s < sums.size(); ++s) EXPECT_NEAR(sums[s], inMemory[s], 1e-12 * (1 + std::fabs(inMemory[s])));
    std::filesystem::remove_all(dir);
}
}  // namespace
}  // namespace agl
