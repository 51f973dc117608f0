// The analytic gradient of the batched models against central finite differences (fp64), for every
// parameter of every layer, several activations and two elements.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "agl/train/model_batch.hpp"
#include "agl/train/synthetic.hpp"

namespace agl {
namespace {

struct Fixture {
    FeatureTable table;
    StandardisedData data;
    MiniBatch batch;
};

Fixture makeFixture(int numStructures) {
    SyntheticSpec spec;
    spec.elements = {1, 8};
    spec.numFunctions = {3, 4};
    spec.numStructures = numStructures;
    spec.minAtoms = 2;
    spec.maxAtoms = 5;
    spec.seed = 7;
    Fixture f;
    f.table = makeSyntheticTable(spec);
    std::vector<std::uint32_t> all(numStructures);
    std::iota(all.begin(), all.end(), 0u);
    f.data = standardise(f.table, computeScaling(f.table, all));
    gatherBatch(f.data, all.data(), numStructures, f.batch);
    return f;
}

void checkGradient(const std::string& actsH, const std::string& actsO, int numModels, int numActive) {
    Fixture f = makeFixture(6);
    std::vector<ElementArch> archs = {makeElementArch(1, 3, {5, 4}, actsH), makeElementArch(8, 4, {3}, actsO)};
    ModelBatch mb(archs, numModels);
    for (int k = 0; k < numModels; ++k) mb.initialise(k, 100 + k, -0.5);
    // Biases away from zero so that every bias gradient is exercised (ReLU kinks avoided by the random data).
    std::vector<double> mse, grad(mb.layout().size(), 0.0), e;
    mb.lossAndGradient(f.batch, numActive, mse, grad);
    const auto& slotOf = mb.layout().slotOf();
    const double h = 1e-6;
    int checked = 0;
    for (std::size_t i = 0; i < mb.layout().size(); ++i) {
        const int k = slotOf[i];
        if (k >= numActive) continue;
        const double saved = mb.params()[i];
        auto mseOf = [&](double v) {
            mb.params()[i] = v;
            mb.predict(f.batch, numActive, e);
            double m = 0.0;
            for (int s = 0; s < f.batch.numStructures; ++s) {
                const double d = (e[std::size_t(s) * numActive + k] - f.batch.energy[s]) / f.batch.numAtoms[s];
                m += d * d / f.batch.numStructures;
            }
            return m;
        };
        const double numeric = (mseOf(saved + h) - mseOf(saved - h)) / (2 * h);
        mb.params()[i] = saved;
        EXPECT_NEAR(grad[i], numeric, 1e-7 * std::max(1.0, std::fabs(numeric))) << "parameter " << i << " slot " << k;
        ++checked;
    }
    EXPECT_GT(checked, 0);
}

TEST(TrainGradient, TanhLinearTwoElementsTwoModels) { checkGradient("ttl", "tl", 2, 2); }
TEST(TrainGradient, LogisticSoftplus) { checkGradient("spl", "pl", 3, 3); }
TEST(TrainGradient, ReluAndTanhOutput) { checkGradient("rtt", "sl", 2, 2); }
TEST(TrainGradient, SubsetOfActiveSlots) { checkGradient("ttl", "tl", 3, 2); }

TEST(TrainGradient, LossMatchesPrediction) {
    Fixture f = makeFixture(5);
    ModelBatch mb({makeElementArch(1, 3, {4}, "tl"), makeElementArch(8, 4, {4}, "tl")}, 1);
    mb.initialise(0, 3, 0.0);
    std::vector<double> mse, grad(mb.layout().size()), e;
    mb.lossAndGradient(f.batch, 1, mse, grad);
    mb.predict(f.batch, 1, e);
    double m = 0.0;
    for (int s = 0; s < 5; ++s) m += std::pow((e[s] - f.batch.energy[s]) / f.batch.numAtoms[s], 2) / 5;
    EXPECT_DOUBLE_EQ(mse[0], m);
}

}  // namespace
}  // namespace agl

namespace agl {
namespace {
// Chunked batches (several chunks and gradient groups, run in parallel): the same loss and gradient as one
// chunk, and still the finite-difference gradient (checked above for one chunk).
TEST(TrainGradient, ChunksGiveTheSameGradient) {
    Fixture f = makeFixture(40);
    std::vector<ElementArch> archs = {makeElementArch(1, 3, {5, 4}, "ttl"), makeElementArch(8, 4, {3}, "tl")};
    ModelBatch whole(archs, 3), chunked(archs, 3);
    for (int k = 0; k < 3; ++k) {
        whole.initialise(k, 50 + k, 0.3);
        chunked.initialise(k, 50 + k, 0.3);
    }
    whole.setChunkAtoms(1000000);
    chunked.setChunkAtoms(3);  // ≥ 40 chunks of one or two structures → 16 gradient groups
    std::vector<double> mseW, mseC, gradW(whole.layout().size(), 7.0), gradC(whole.layout().size(), 7.0), eW, eC;
    whole.lossAndGradient(f.batch, 2, mseW, gradW);
    chunked.lossAndGradient(f.batch, 2, mseC, gradC);
    for (int k = 0; k < 2; ++k) EXPECT_NEAR(mseC[k], mseW[k], 1e-14 * mseW[k]);
    const auto& slotOf = whole.layout().slotOf();
    for (std::size_t i = 0; i < gradW.size(); ++i) {
        if (slotOf[i] >= 2) {
            EXPECT_EQ(gradC[i], 7.0) << "inactive slot entry " << i << " was touched";
            continue;
        }
        EXPECT_NEAR(gradC[i], gradW[i], 1e-13 * std::max(1.0, std::fabs(gradW[i]))) << "parameter " << i;
    }
    whole.predict(f.batch, 3, eW);
    chunked.predict(f.batch, 3, eC);
    ASSERT_EQ(eW.size(), eC.size());
    for (std::size_t i = 0; i < eW.size(); ++i) EXPECT_NEAR(eC[i], eW[i], 1e-13 * std::max(1.0, std::fabs(eW[i])));
}
}  // namespace
}  // namespace agl
