// The data side of training: the train/validation/test split of the structures, the input standardisation
// statistics, the standardised feature matrices and the gathering of mini-batches.
#pragma once
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "agl/feature_files.hpp"
#include "agl/feature_table.hpp"

namespace agl {

// Structure indices of each set, ascending.
struct DataSplit {
    std::vector<std::uint32_t> train, validation, test;
};

// Structures tagged Test always go to test. The others are shuffled with std::mt19937_64(seed) (Fisher–Yates
// with our own index draw, so the split is the same on every platform); the first round(testFraction·n) of
// them go to test, the next round(validationFraction·n) to validation, the rest to train.
DataSplit splitStructures(const FeatureTable& table, double validationFraction, double testFraction,
                          std::uint64_t seed);
// K-fold cross-validation over the same shuffle: the test set is that of splitStructures with the same
// testFraction and seed; the L structures after it in the shuffled order are cut into `folds` contiguous parts
// (part f: [f·L/folds, (f+1)·L/folds)), part `fold` is the validation set and the others train. So the folds
// partition every non-test structure, each exactly once in a validation set. Throws agl::Error when L < folds.
DataSplit crossValidationSplit(const FeatureTable& table, double testFraction, std::uint64_t seed, int folds,
                               int fold);

// Statistics of the RAW G of one element over the atoms of a set of structures (n2p2 scaling.data columns).
// The statistics of the training structures' raw G (min, max, mean, sample sigma; agl/feature_files.hpp).
struct FeatureScaling : FeatureStatistics {
    // The divisor used for standardisation: sigma, or 1 for a constant (sigma = 0) column.
    double divisor(std::size_t j) const { return sigma[j] > 0.0 ? sigma[j] : 1.0; }
};
// One entry per element of the table (same order). Throws when the set has no atom of some element.
std::vector<FeatureScaling> computeScaling(const FeatureTable& table, const std::vector<std::uint32_t>& structures);

// The table with every column standardised, (G − mean)/σ, and the row range of each structure. A constant
// column (σ = 0 in the scaling) becomes 0 for every row, also for data where it varies: n2p2 gives such a
// function scaling factor 0, so a potential read back from scaling.data predicts the same.
struct StandardisedElement {
    int numFunctions = 0;
    std::vector<double> values;          // (numAtoms × numFunctions) row-major, standardised
    std::vector<std::size_t> rowStart;   // (numStructures + 1) rows of structure s: [rowStart[s], rowStart[s+1])
};
struct StandardisedData {
    std::vector<StandardisedElement> elements;
    std::vector<double> energies;        // (numStructures) reference total energies
    std::vector<double> numAtoms;        // (numStructures) all elements together
};
// Throws agl::Error when rows are not grouped by structure in ascending order.
StandardisedData standardise(const FeatureTable& table, const std::vector<FeatureScaling>& scaling);

// A mini-batch of B structures gathered into contiguous per-element matrices.
struct MiniBatch {
    struct Element {
        int rows = 0;
        std::vector<double> X;      // (rows × numFunctions) standardised features
        std::vector<int> start;     // (B + 1) rows of batch structure b: [start[b], start[b+1])
    };
    int numStructures = 0;
    std::vector<double> energy;     // (B) reference total energy
    std::vector<double> numAtoms;   // (B)
    std::vector<Element> elements;
};
// Reuses the buffers of `batch`.
void gatherBatch(const StandardisedData& data, const std::uint32_t* structures, int count, MiniBatch& batch);

// Fisher–Yates shuffle driven by mt19937_64 (platform independent).
void shuffleIndices(std::vector<std::uint32_t>& v, std::mt19937_64& rng);

}  // namespace agl
