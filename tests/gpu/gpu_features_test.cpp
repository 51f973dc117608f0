// GPU feature engine (cuda/, include/agl/gpu_features.hpp) against the CPU engine (FeatureEngine, double).
//
// Tolerances (why they are what they are):
//   fp64  values 1e-10 relative. Both sides are double; only the summation order differs.
//   fp32  values 1e-5 relative, with a floor of 1e-6 × the largest value of that column in the structure:
//         every term is computed in float (≈1e-6 relative: exp arguments up to ~20 lose 20 ulp), the sums are
//         double, and G is a sum of non-negative terms, so the sum keeps the terms' relative error. The floor
//         covers a G made only of terms with 1 + λcosθ → 0, whose float error grows as ζ·ε/base while their
//         weight base^ζ vanishes much faster.
//   Derivatives: entries cancel (∂G_i/∂r_i = −Σ others), so each entry of ∂G_i,f/∂r is compared relative to
//         the L1 norm of all of ∂G_i,f/∂r (which bounds the rounding error of every entry): 1e-10 fp64,
//         1e-5 fp32. Entries are matched by atom (as maps); an entry missing on one side must be zero.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>

#include "agl/error.hpp"
#include "agl/features.hpp"
#include "agl/gpu_features.hpp"
#include "gpu_test_support.hpp"

namespace {

using agl::CutoffType;
using agl::Precision;
using gputest::Rng;

struct Counts {
    std::size_t values = 0, nonZeroValues = 0, derivatives = 0;
};

void expectSameValues(const agl::Structure& s, const agl::StructureFeatures& cpu, const agl::StructureFeatures& gpu,
                      double tol, double floorFraction, const std::string& what, Counts& n) {
    ASSERT_EQ(gpu.numAtoms(), cpu.numAtoms()) << what;
    std::map<std::pair<int, int>, double> columnMax;  // (element, column) → max |G|
    for (std::size_t i = 0; i < cpu.numAtoms(); ++i)
        for (int c = 0; c < cpu.numFunctions[i]; ++c) {
            double& m = columnMax[{s.elements[i], c}];
            m = std::max(m, std::abs(cpu.g(i)[c]));
        }
    for (std::size_t i = 0; i < cpu.numAtoms(); ++i) {
        ASSERT_EQ(gpu.numFunctions[i], cpu.numFunctions[i]) << what << " atom " << i;
        for (int c = 0; c < cpu.numFunctions[i]; ++c) {
            const double ref = cpu.g(i)[c], got = gpu.g(i)[c];
            const double scale = std::max(std::abs(ref), floorFraction * columnMax[{s.elements[i], c}]);
            EXPECT_NEAR(got, ref, tol * scale + 1e-300) << what << " atom " << i << " column " << c;
            ++n.values;
            n.nonZeroValues += ref != 0.0;
        }
    }
}

// ∂G_i,f/∂r_k of atom i as map k → (3 × nf) block.
std::map<std::uint32_t, std::vector<double>> blocksOf(const agl::StructureFeatures& f, std::size_t i) {
    std::map<std::uint32_t, std::vector<double>> blocks;
    const std::size_t width = 3 * static_cast<std::size_t>(f.numFunctions[i]);
    for (std::uint32_t e = f.derivativeOffsets[i]; e < f.derivativeOffsets[i + 1]; ++e) {
        auto& b = blocks[f.derivativeAtom[e]];
        b.resize(width, 0.0);
        const double* d = f.dGdr(i, e);
        for (std::size_t c = 0; c < width; ++c) b[c] += d[c];
    }
    return blocks;
}

void expectSameDerivatives(const agl::StructureFeatures& cpu, const agl::StructureFeatures& gpu, double tol,
                           const std::string& what, Counts& n) {
    ASSERT_TRUE(cpu.hasDerivatives() && gpu.hasDerivatives()) << what;
    for (std::size_t i = 0; i < cpu.numAtoms(); ++i) {
        EXPECT_EQ(gpu.derivativeAtom[gpu.derivativeOffsets[i]], i) << what << ": entry 0 must be the atom itself";
        const auto a = blocksOf(cpu, i), b = blocksOf(gpu, i);
        const int nf = cpu.numFunctions[i];
        std::vector<double> l1(nf, 0.0);
        for (const auto& [k, block] : a)
            for (int x = 0; x < 3; ++x)
                for (int f = 0; f < nf; ++f) l1[f] += std::abs(block[x * nf + f]);
        std::map<std::uint32_t, bool> atoms;
        for (const auto& e : a) atoms[e.first] = true;
        for (const auto& e : b) atoms[e.first] = true;
        for (const auto& [k, unused] : atoms) {
            (void)unused;
            const auto ia = a.find(k), ib = b.find(k);
            for (int x = 0; x < 3; ++x)
                for (int f = 0; f < nf; ++f) {
                    const double ref = ia == a.end() ? 0.0 : ia->second[x * nf + f];
                    const double got = ib == b.end() ? 0.0 : ib->second[x * nf + f];
                    EXPECT_NEAR(got, ref, tol * l1[f] + 1e-300)
                        << what << " atom " << i << " wrt atom " << k << " axis " << x << " column " << f;
                    ++n.derivatives;
                }
        }
    }
}

// Compares GPU and CPU on every structure, in one GPU chunk; returns the counts (so no test passes vacuously).
Counts compare(const std::vector<agl::Structure>& structures, const agl::NnSettings& settings, Precision precision,
               bool derivatives) {
    const agl::FeatureEngine engine(settings);
    std::vector<const agl::Structure*> ptrs;
    for (const auto& s : structures) ptrs.push_back(&s);
    const auto gpu = agl::gpu::computeFeatures(ptrs, engine.groups(), precision, derivatives);
    EXPECT_EQ(gpu.size(), structures.size());
    const bool fp64 = precision == Precision::Fp64;
    Counts n;
    for (std::size_t s = 0; s < std::min(gpu.size(), structures.size()); ++s) {
        const auto cpu = engine.compute(structures[s], derivatives);
        const std::string what = std::string(agl::precisionName(precision)) + " structure " + std::to_string(s);
        expectSameValues(structures[s], cpu, gpu[s], fp64 ? 1e-10 : 1e-5, fp64 ? 0.0 : 1e-6, what, n);
        if (derivatives) {
            expectSameDerivatives(cpu, gpu[s], fp64 ? 1e-10 : 1e-5, what, n);
        } else {
            EXPECT_FALSE(gpu[s].hasDerivatives());
        }
    }
    return n;
}

void expectMeaningful(const Counts& n, bool derivatives) {
    EXPECT_GT(n.values, 100u);
    EXPECT_GT(n.nonZeroValues, n.values / 2) << "test structures too sparse to be meaningful";
    if (derivatives) {
        EXPECT_GT(n.derivatives, 1000u);
    }
}

class GpuFeatures : public ::testing::TestWithParam<std::tuple<Precision, bool>> {};

TEST_P(GpuFeatures, TinyTriclinicCellsTwoElements) {
    AGL_REQUIRE_GPU();
    const auto [precision, derivatives] = GetParam();
    Rng rng(201);
    std::vector<agl::Structure> structures;
    for (int atoms : {1, 2, 3, 4})
        structures.push_back(gputest::randomStructure(rng, gputest::triclinicCell(rng, 2.6), true, atoms, {1, 8}, 0.9));
    const auto settings = gputest::settingsOf(gputest::functionSet({1, 8}, 5.0, CutoffType::Poly2, 0.0));
    expectMeaningful(compare(structures, settings, precision, derivatives), derivatives);
}

TEST_P(GpuFeatures, LargeCellAndClusterInOneChunk) {
    AGL_REQUIRE_GPU();
    const auto [precision, derivatives] = GetParam();
    Rng rng(202);
    std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 11.0), true, 90, {13, 29}, 1.7),
        gputest::randomStructure(rng, gputest::cubicCell(7.0), false, 40, {13, 29}, 1.5),
        gputest::randomStructure(rng, gputest::cubicCell(9.0), true, 50, {29}, 1.6)};  // one element only
    const auto settings = gputest::settingsOf(gputest::functionSet({13, 29}, 4.6, CutoffType::Cos, 0.0));
    expectMeaningful(compare(structures, settings, precision, derivatives), derivatives);
}

// Structures without any pair (one atom; two atoms farther apart than the cutoff) between ordinary ones in one
// chunk: their rows are zero, their only derivative entry is the atom itself, and the offsets of the
// structures after them stay right.
TEST_P(GpuFeatures, StructuresWithoutPairsInAChunk) {
    AGL_REQUIRE_GPU();
    const auto [precision, derivatives] = GetParam();
    Rng rng(206);
    agl::Structure single, apart;
    single.positions = {agl::Vec3d{0.3, -1.0, 2.0}};
    single.elements = {8};
    apart.positions = {agl::Vec3d{0, 0, 0}, agl::Vec3d{0, 0, 9.5}};
    apart.elements = {1, 8};
    const std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 7.0), true, 30, {1, 8}, 1.0), single, apart,
        gputest::randomStructure(rng, gputest::cubicCell(6.0), false, 25, {1, 8}, 1.0), single};
    const auto settings = gputest::settingsOf(gputest::functionSet({1, 8}, 4.0, CutoffType::Poly2, 0.0));
    expectMeaningful(compare(structures, settings, precision, derivatives), derivatives);
}

TEST_P(GpuFeatures, EveryCutoffType) {
    AGL_REQUIRE_GPU();
    const auto [precision, derivatives] = GetParam();
    Rng rng(203);
    const std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 6.0), true, 24, {18}, 1.1)};
    for (int type = 0; type <= 8; ++type) {
        const double alpha = type == 2 || type == 3 ? 0.0 : 0.25;  // tanh types ignore α
        const auto settings =
            gputest::settingsOf(gputest::functionSet({18}, 3.8, static_cast<CutoffType>(type), alpha));
        SCOPED_TRACE("cutoff type " + std::to_string(type));
        expectMeaningful(compare(structures, settings, precision, derivatives), derivatives);
    }
}

INSTANTIATE_TEST_SUITE_P(PrecisionAndDerivatives, GpuFeatures,
                         ::testing::Combine(::testing::Values(Precision::Fp64, Precision::Fp32),
                                            ::testing::Bool()),
                         [](const auto& info) {
                             return std::string(agl::precisionName(std::get<0>(info.param))) +
                                    (std::get<1>(info.param) ? "_derivatives" : "_values");
                         });

// The public data-set API dispatches Device::Gpu to the backend and fills the same table as the CPU.
TEST(GpuFeatureTable, DatasetThroughPublicApi) {
    AGL_REQUIRE_GPU();
    Rng rng(204);
    agl::Dataset data;
    for (int k = 0; k < 7; ++k)
        data.structures.push_back(gputest::randomStructure(rng, gputest::triclinicCell(rng, 7.0), true, 20 + k, {1, 8}, 1.0));
    const auto settings = gputest::settingsOf(gputest::functionSet({1, 8}, 3.5, CutoffType::Poly2, 0.0));
    agl::FeatureOptions cpuOptions, gpuOptions;
    gpuOptions.device = agl::Device::Gpu;
    gpuOptions.precision = Precision::Fp64;
    gpuOptions.chunkStructures = 3;  // several chunks
    const auto cpu = agl::computeFeatures(data, settings, cpuOptions);
    const auto gpu = agl::computeFeatures(data, settings, gpuOptions);
    ASSERT_EQ(gpu.elements.size(), cpu.elements.size());
    std::size_t compared = 0;
    for (std::size_t e = 0; e < cpu.elements.size(); ++e) {
        ASSERT_EQ(gpu.elements[e].values.size(), cpu.elements[e].values.size());
        EXPECT_EQ(gpu.elements[e].structure, cpu.elements[e].structure);
        EXPECT_EQ(gpu.elements[e].atom, cpu.elements[e].atom);
        for (std::size_t k = 0; k < cpu.elements[e].values.size(); ++k, ++compared)
            EXPECT_NEAR(gpu.elements[e].values[k], cpu.elements[e].values[k],
                        1e-10 * std::abs(cpu.elements[e].values[k]) + 1e-300);
    }
    EXPECT_GT(compared, 1000u);
}

// With the plannable memory capped (AGL_GPU_FEATURE_MEMORY_MIB = 4, of which 80 % is planned with), 64
// structures of 40 atoms (~0.3 MiB each for values) do not fit in one chunk: the chunk is halved until they do,
// and the results are the CPU's. A structure that cannot fit even alone is refused, naming the cap; a cap that
// is not a positive number is refused, naming the variable.
TEST(GpuFeatureMemory, CappedMemoryHalvesTheChunk) {
    AGL_REQUIRE_GPU();
    struct Unset {
        ~Unset() { unsetenv("AGL_GPU_FEATURE_MEMORY_MIB"); }
    } unset;
    Rng rng(207);
    std::vector<agl::Structure> structures;
    for (int k = 0; k < 64; ++k)
        structures.push_back(gputest::randomStructure(rng, gputest::cubicCell(7.0), true, 40, {1, 8}, 1.0));
    const auto settings = gputest::settingsOf(gputest::functionSet({1, 8}, 4.0, CutoffType::Poly2, 0.0));
    setenv("AGL_GPU_FEATURE_MEMORY_MIB", "4", 1);
    expectMeaningful(compare(structures, settings, Precision::Fp64, false), false);

    const agl::FeatureEngine engine(settings);
    agl::Structure big = gputest::randomStructure(rng, gputest::cubicCell(30.0), true, 3000, {1, 8}, 1.0);
    setenv("AGL_GPU_FEATURE_MEMORY_MIB", "1", 1);
    try {
        agl::gpu::computeFeatures({&big}, engine.groups(), Precision::Fp64, true);
        ADD_FAILURE() << "a structure of 3000 atoms with derivatives fitted in 0.8 MiB";
    } catch (const agl::Error& e) {
        EXPECT_NE(std::string(e.what()).find("capped by AGL_GPU_FEATURE_MEMORY_MIB"), std::string::npos) << e.what();
    }
    setenv("AGL_GPU_FEATURE_MEMORY_MIB", "lots", 1);
    EXPECT_THROW(agl::gpu::computeFeatures({&structures[0]}, engine.groups(), Precision::Fp64, false), agl::Error);
}

// Two runs give bit-identical results (fixed pair order, fixed reduction order, no atomics).
TEST(GpuFeatureDeterminism, RerunIsBitIdentical) {
    AGL_REQUIRE_GPU();
    Rng rng(205);
    const std::vector<agl::Structure> structures{
        gputest::randomStructure(rng, gputest::triclinicCell(rng, 8.0), true, 60, {1, 8}, 1.0)};
    const auto settings = gputest::settingsOf(gputest::functionSet({1, 8}, 4.0, CutoffType::Poly2, 0.0));
    const agl::FeatureEngine engine(settings);
    const std::vector<const agl::Structure*> ptrs{&structures[0]};
    for (Precision p : {Precision::Fp32, Precision::Fp64}) {
        const auto a = agl::gpu::computeFeatures(ptrs, engine.groups(), p, true);
        const auto b = agl::gpu::computeFeatures(ptrs, engine.groups(), p, true);
        EXPECT_EQ(a[0].values, b[0].values);
        EXPECT_EQ(a[0].derivatives, b[0].derivatives);
        EXPECT_EQ(a[0].derivativeAtom, b[0].derivativeAtom);
    }
}

}  // namespace
