#include "agl/train/training_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "agl/error.hpp"

namespace agl {

void shuffleIndices(std::vector<std::uint32_t>& v, std::mt19937_64& rng) {
    for (std::size_t i = v.size(); i > 1; --i) {
        const std::size_t j = std::size_t(rng() % i);  // bias < i/2^64: negligible
        std::swap(v[i - 1], v[j]);
    }
}

namespace {

// The test set of a split (tagged structures, then the first round(testFraction·n) of the shuffled others) and
// the shuffled rest in order: what splitStructures and crossValidationSplit share, so that both hold out the
// same test structures for the same seed.
struct ShuffledSplit {
    DataSplit split;                    // test filled, train and validation empty
    std::vector<std::uint32_t> rest;    // the untagged structures after the test ones, shuffled
    std::size_t numUntagged = 0;
};

ShuffledSplit shuffleAndHoldOutTest(const FeatureTable& table, double testFraction, std::uint64_t seed) {
    ShuffledSplit out;
    std::vector<std::uint32_t> rest;
    for (std::size_t s = 0; s < table.numStructures(); ++s) {
        const bool tagged = s < table.tags.size() && table.tags[s] == SetTag::Test;
        (tagged ? out.split.test : rest).push_back(std::uint32_t(s));
    }
    std::mt19937_64 rng(seed);
    shuffleIndices(rest, rng);
    out.numUntagged = rest.size();
    const std::size_t numTest = std::size_t(std::llround(testFraction * double(rest.size())));
    out.split.test.insert(out.split.test.end(), rest.begin(), rest.begin() + numTest);
    out.rest.assign(rest.begin() + numTest, rest.end());
    return out;
}

void sortSets(DataSplit& split) {
    for (auto* set : {&split.train, &split.validation, &split.test}) std::sort(set->begin(), set->end());
}

}  // namespace

DataSplit splitStructures(const FeatureTable& table, double validationFraction, double testFraction,
                          std::uint64_t seed) {
    AGL_CHECK(validationFraction >= 0.0 && testFraction >= 0.0 && validationFraction + testFraction < 1.0,
              "validation and test fractions must be >= 0 and sum to less than 1");
    ShuffledSplit s = shuffleAndHoldOutTest(table, testFraction, seed);
    const std::size_t n = s.numUntagged, numTest = n - s.rest.size();
    // ≤ rest.size(): with validationFraction + testFraction < 1 the two rounded counts never exceed n.
    const std::size_t numVal = std::size_t(std::llround(validationFraction * double(n)));
    DataSplit split = std::move(s.split);
    split.validation.assign(s.rest.begin(), s.rest.begin() + std::ptrdiff_t(numVal));
    split.train.assign(s.rest.begin() + std::ptrdiff_t(numVal), s.rest.end());
    sortSets(split);
    if (split.train.empty())  // the user's data and fractions: Error
        throw Error("no structure left for training after the validation/test split (" + std::to_string(n) +
                    " untagged structures, " + std::to_string(numVal) + " for validation, " + std::to_string(numTest) +
                    " for test): more structures or smaller fractions");
    return split;
}

DataSplit crossValidationSplit(const FeatureTable& table, double testFraction, std::uint64_t seed, int folds,
                               int fold) {
    AGL_CHECK(testFraction >= 0.0 && testFraction < 1.0, "the test fraction must be >= 0 and less than 1");
    AGL_CHECK(folds >= 2 && fold >= 0 && fold < folds, "a fold index in [0, folds) of at least 2 folds expected");
    ShuffledSplit s = shuffleAndHoldOutTest(table, testFraction, seed);
    const std::size_t L = s.rest.size(), F = std::size_t(folds);
    if (L < F)
        throw Error("cross-validation needs at least one structure per fold: " + std::to_string(L) +
                    " structures outside the test set for " + std::to_string(folds) + " folds");
    const std::size_t begin = std::size_t(fold) * L / F, end = (std::size_t(fold) + 1) * L / F;
    DataSplit split = std::move(s.split);
    split.validation.assign(s.rest.begin() + std::ptrdiff_t(begin), s.rest.begin() + std::ptrdiff_t(end));
    split.train.assign(s.rest.begin(), s.rest.begin() + std::ptrdiff_t(begin));
    split.train.insert(split.train.end(), s.rest.begin() + std::ptrdiff_t(end), s.rest.end());
    sortSets(split);
    return split;
}

namespace {

// Row ranges of each structure in one element's matrix; requires rows grouped by ascending structure.
std::vector<std::size_t> structureRowStarts(const ElementFeatures& el, std::size_t numStructures) {
    std::vector<std::size_t> start(numStructures + 1, 0);
    for (std::size_t r = 0; r < el.numAtoms(); ++r) {
        const std::uint32_t s = el.structure[r];
        AGL_CHECK(s < numStructures, "feature row refers to a structure index out of range");
        AGL_CHECK(r == 0 || el.structure[r - 1] <= s, "feature rows must be grouped by structure in order");
        ++start[s + 1];
    }
    for (std::size_t s = 0; s < numStructures; ++s) start[s + 1] += start[s];
    return start;
}

}  // namespace

std::vector<FeatureScaling> computeScaling(const FeatureTable& table, const std::vector<std::uint32_t>& structures) {
    std::vector<char> use(table.numStructures(), 0);
    for (std::uint32_t s : structures) use.at(s) = 1;
    std::vector<FeatureScaling> out;
    for (const ElementFeatures& el : table.elements) {
        AGL_CHECK(el.values.size() == el.numAtoms() * el.numFunctions(), "feature matrix size does not match its rows");
        FeatureScaling sc;
        static_cast<FeatureStatistics&>(sc) = featureStatistics(el, &use);
        if (sc.count == 0)
            throw Error("the training set has no atom of element Z=" + std::to_string(el.element) +
                        ", so its inputs cannot be scaled");
        out.push_back(std::move(sc));
    }
    return out;
}

StandardisedData standardise(const FeatureTable& table, const std::vector<FeatureScaling>& scaling) {
    AGL_CHECK(scaling.size() == table.elements.size(), "one scaling per element expected");
    AGL_CHECK(table.numAtoms.size() == table.numStructures(), "numAtoms must have one entry per structure");
    StandardisedData d;
    d.energies = table.energies;
    d.numAtoms.assign(table.numAtoms.begin(), table.numAtoms.end());
    for (std::size_t e = 0; e < table.elements.size(); ++e) {
        const ElementFeatures& el = table.elements[e];
        const FeatureScaling& sc = scaling[e];
        const std::size_t nf = el.numFunctions();
        AGL_CHECK(sc.mean.size() == nf, "scaling has the wrong number of functions");
        StandardisedElement out;
        out.numFunctions = int(nf);
        out.rowStart = structureRowStarts(el, table.numStructures());
        out.values.resize(el.values.size());
        for (std::size_t r = 0; r < el.numAtoms(); ++r)
            for (std::size_t j = 0; j < nf; ++j)
                out.values[r * nf + j] = sc.sigma[j] > 0.0 ? (el.at(r, j) - sc.mean[j]) / sc.sigma[j] : 0.0;
        d.elements.push_back(std::move(out));
    }
    return d;
}

void gatherBatch(const StandardisedData& data, const std::uint32_t* structures, int count, MiniBatch& batch) {
    batch.numStructures = count;
    batch.energy.resize(count);
    batch.numAtoms.resize(count);
    for (int b = 0; b < count; ++b) {
        batch.energy[b] = data.energies[structures[b]];
        batch.numAtoms[b] = data.numAtoms[structures[b]];
        AGL_CHECK(batch.numAtoms[b] > 0, "a structure without atoms cannot be trained on");
    }
    batch.elements.resize(data.elements.size());
    for (std::size_t e = 0; e < data.elements.size(); ++e) {
        const StandardisedElement& el = data.elements[e];
        MiniBatch::Element& out = batch.elements[e];
        const std::size_t nf = std::size_t(el.numFunctions);
        out.start.resize(count + 1);
        out.start[0] = 0;
        for (int b = 0; b < count; ++b)
            out.start[b + 1] = out.start[b] + int(el.rowStart[structures[b] + 1] - el.rowStart[structures[b]]);
        out.rows = out.start[count];
        out.X.resize(std::size_t(out.rows) * nf);
        for (int b = 0; b < count; ++b) {
            const std::size_t from = el.rowStart[structures[b]], n = el.rowStart[structures[b] + 1] - from;
            std::copy_n(el.values.begin() + from * nf, n * nf, out.X.begin() + std::size_t(out.start[b]) * nf);
        }
    }
}

}  // namespace agl
