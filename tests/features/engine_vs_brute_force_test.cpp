// The grouped CPU engine against the independent brute-force reference (brute_force.hpp), fp64, relative 1e-12.
#include <gtest/gtest.h>

#include <algorithm>

#include "agl/error.hpp"
#include "agl/features.hpp"
#include "brute_force.hpp"
#include "test_structures.hpp"

namespace {

using testdata::Rng;

// Relative 1e-12, plus 1e-14 of the sum with cutoff factors set to 1: fc close to rc is computed as a
// difference of O(1) numbers, so its absolute (not relative) error is ~1e-16 — see brute_force.hpp.
double tolerance(double ref, double scale) { return 1e-12 * std::abs(ref) + 1e-14 * scale; }

// Every value of every atom; returns how many values were compared (so a test cannot pass vacuously).
std::size_t expectMatchesBruteForce(const agl::Structure& s, const agl::NnSettings& settings) {
    const agl::FeatureEngine engine(settings);
    const agl::StructureFeatures f = engine.compute(s, false);
    std::size_t compared = 0, nonZero = 0, possible = 0;
    auto present = [&](int z) { return std::count(s.elements.begin(), s.elements.end(), z) > 0; };
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        const auto functions = settings.functionsOf(s.elements[i]);
        EXPECT_EQ(static_cast<std::size_t>(f.numFunctions[i]), functions.size());
        for (std::size_t c = 0; c < functions.size(); ++c) {
            double scale = 0.0;
            const double ref = bf::symmetryFunction(s, static_cast<int>(i), functions[c], &scale);
            const double got = f.g(i)[c];
            EXPECT_NEAR(got, ref, tolerance(ref, scale))
                << "atom " << i << " function " << c << ": " << functions[c].settingsLine();
            ++compared;
            nonZero += ref != 0.0;
            possible += present(functions[c].e1) && (!functions[c].isAngular() || present(functions[c].e2));
        }
    }
    EXPECT_GT(nonZero, possible / 2) << "test structure too sparse to be meaningful";
    return compared;
}

TEST(EngineVsBruteForce, TinyTriclinicCellsSmallerThanCutoff) {
    Rng rng(11);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 6.0, 6, 0.0));
    for (int atoms : {1, 2, 3}) {
        const auto s = testdata::periodic(rng, testdata::triclinic(rng, 2.7), atoms, {1, 8}, 1.0);
        EXPECT_GT(expectMatchesBruteForce(s, settings), 0u);
    }
}

TEST(EngineVsBruteForce, LargeTriclinicCell) {
    Rng rng(12);
    const auto settings = testdata::settingsOf(testdata::mixedSet(13, 29, 4.5, 6, 0.0));
    const auto s = testdata::periodic(rng, testdata::triclinic(rng, 11.0), 70, {13, 29}, 1.6);
    EXPECT_GT(expectMatchesBruteForce(s, settings), 0u);
}

TEST(EngineVsBruteForce, ZetaChains) {
    Rng rng(14);
    const auto settings = testdata::settingsOf(testdata::zetaChainSet(1, 8, 4.5));
    const auto s = testdata::periodic(rng, testdata::triclinic(rng, 6.0), 24, {1, 8}, 1.0);
    EXPECT_GT(expectMatchesBruteForce(s, settings), 0u);
}

TEST(EngineVsBruteForce, Cluster) {
    Rng rng(13);
    const auto settings = testdata::settingsOf(testdata::mixedSet(6, 8, 5.0, 1, 0.0));
    const auto s = testdata::cluster(rng, 6.0, 30, {6, 8});
    EXPECT_GT(expectMatchesBruteForce(s, settings), 0u);
}

TEST(EngineVsBruteForce, EveryCutoffTypeWithInnerCutoff) {
    Rng rng(14);
    for (int type = 0; type <= 8; ++type) {
        SCOPED_TRACE("cutoff type " + std::to_string(type));
        const auto settings = testdata::settingsOf(testdata::mixedSet(1, 3, 5.0, type, 0.35));
        const auto s = testdata::periodic(rng, testdata::triclinic(rng, 5.0), 8, {1, 3}, 1.0);
        EXPECT_GT(expectMatchesBruteForce(s, settings), 0u);
    }
}

TEST(EngineVsBruteForce, ElementWithoutNeighboursOfAPairElement) {
    // Only element 1 present although the set also has functions for neighbour element 8: those are 0.
    Rng rng(15);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 5.0, 6, 0.0));
    const auto s = testdata::periodic(rng, testdata::triclinic(rng, 4.0), 6, {1}, 1.0);
    const agl::FeatureEngine engine(settings);
    const auto f = engine.compute(s, false);
    const auto functions = settings.functionsOf(1);
    for (std::size_t i = 0; i < s.numAtoms(); ++i)
        for (std::size_t c = 0; c < functions.size(); ++c) {
            const auto& sf = functions[c];
            double scale = 0.0;
            const double ref = bf::symmetryFunction(s, static_cast<int>(i), sf, &scale);
            EXPECT_NEAR(f.g(i)[c], ref, tolerance(ref, scale));
            if (sf.e1 == 8 || sf.e2 == 8) {
                EXPECT_EQ(f.g(i)[c], 0.0);
            }
        }
}

TEST(EngineVsBruteForce, DataSetTableMatchesPerStructure) {
    Rng rng(16);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 4.0, 6, 0.0));
    agl::Dataset data;
    for (int k = 0; k < 5; ++k) {
        data.structures.push_back(testdata::periodic(rng, testdata::triclinic(rng, 4.5), 3 + k, {1, 8}, 1.0));
        data.structures.back().energy = -1.5 * k;
    }
    data.structures.push_back(testdata::cluster(rng, 5.0, 7, {8, 1}));
    agl::FeatureOptions options;
    options.chunkStructures = 2;  // several chunks
    const agl::FeatureTable table = agl::computeFeatures(data, settings, options);
    ASSERT_EQ(table.numStructures(), data.structures.size());
    ASSERT_EQ(table.elements.size(), 2u);
    std::size_t rows = 0;
    for (const auto& ef : table.elements) {
        for (std::size_t row = 0; row < ef.numAtoms(); ++row) {
            const auto& s = data.structures[ef.structure[row]];
            ASSERT_EQ(s.elements[ef.atom[row]], ef.element);
            if (row > 0) {  // data-set order
                EXPECT_TRUE(ef.structure[row] > ef.structure[row - 1] ||
                            (ef.structure[row] == ef.structure[row - 1] && ef.atom[row] > ef.atom[row - 1]));
            }
            for (std::size_t c = 0; c < ef.numFunctions(); ++c) {
                double scale = 0.0;
                const double ref = bf::symmetryFunction(s, static_cast<int>(ef.atom[row]), ef.functions[c], &scale);
                EXPECT_NEAR(ef.at(row, c), ref, tolerance(ref, scale));
            }
        }
        rows += ef.numAtoms();
    }
    EXPECT_EQ(rows, data.numAtoms());
    for (std::size_t k = 0; k < data.structures.size(); ++k) {
        EXPECT_EQ(table.energies[k], data.structures[k].energy);
        EXPECT_EQ(table.numAtoms[k], data.structures[k].numAtoms());
    }
}

// A structure the neighbour search refuses (here a cell far thinner than the cutoff, as a lattice typed with
// a missing digit gives) is named by its place in the data set, counting from 1, whichever chunk it is in;
// progress hears of every finished chunk.
TEST(EngineVsBruteForce, RefusedStructureIsNamedByItsPlace) {
    Rng rng(17);
    const auto settings = testdata::settingsOf(testdata::mixedSet(1, 8, 4.0, 6, 0.0));
    agl::Dataset data;
    for (int k = 0; k < 5; ++k)
        data.structures.push_back(testdata::periodic(rng, testdata::triclinic(rng, 4.5), 4, {1, 8}, 1.0));
    agl::Structure& thin = data.structures[3];
    thin.cell[0] = 1e-5 * thin.cell[0];
    thin.cell[1] = 1e-4 * thin.cell[1];
    for (auto& r : thin.positions) r = 0.5 * thin.cell[2] + (0.1 * double(&r - thin.positions.data())) * thin.cell[2];
    agl::FeatureOptions options;
    options.chunkStructures = 2;
    std::size_t done = 0;
    try {
        agl::computeFeatures(data, settings, options, [&](std::size_t n) { done += n; });
        FAIL() << "a cell of heights ~1e-5 and ~1e-4 was accepted";
    } catch (const agl::Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind("structure 4 (of the data, counting from 1): periodic cell too thin", 0),
                  0u) << e.what();
        const auto widest = std::max_element(settings.functions.begin(), settings.functions.end(),
                                             [](const auto& a, const auto& b) { return a.rc < b.rc; });
        EXPECT_NE(std::string(e.what()).find("(the cutoff is that of `" + widest->settingsLine() + "`)"),
                  std::string::npos) << e.what();
    }
    EXPECT_EQ(done, 2u);  // the first chunk finished, the second failed
    data.structures.erase(data.structures.begin() + 3);
    done = 0;
    EXPECT_EQ(agl::computeFeatures(data, settings, options, [&](std::size_t n) { done += n; }).numStructures(), 4u);
    EXPECT_EQ(done, 4u);
}

TEST(EngineVsBruteForce, GpuWithoutCudaThrows) {
#if defined(AGL_HAVE_CUDA)
    GTEST_SKIP() << "built with CUDA: tests/gpu covers the GPU path";
#else
    Rng rng(17);
    const auto settings = testdata::settingsOf({testdata::radial(1, 1, 0.1, 0.0, 4.0)});
    agl::Dataset data;
    data.structures.push_back(testdata::cluster(rng, 4.0, 3, {1}));
    agl::FeatureOptions options;
    options.device = agl::Device::Gpu;
    EXPECT_THROW(agl::computeFeatures(data, settings, options), agl::Error);
#endif
}

}  // namespace
