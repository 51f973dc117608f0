// The counted work of a feature set (agl/compare/evaluation_work.hpp) against hand counts on a simple cubic
// lattice and against an independent brute-force count over every periodic image (tests/features/brute_force.hpp).
#include <gtest/gtest.h>

#include "agl/compare/evaluation_cost.hpp"
#include "agl/compare/evaluation_work.hpp"
#include "agl/noise_features.hpp"
#include "features/brute_force.hpp"
#include "features/test_structures.hpp"

namespace {

using agl::EvaluationWork;
using agl::Structure;
using agl::SymmetryFunction;

agl::NnSettings withNetwork(std::vector<SymmetryFunction> functions) {
    agl::NnSettings s = testdata::settingsOf(std::move(functions));
    s.network = {{10, 10}, "ttl"};
    return s;
}

// Simple cubic, lattice constant 1, 3 × 3 × 3 cells: 6 neighbours at 1, 12 at √2, 8 at √3.
Structure simpleCubic() {
    Structure s;
    s.periodic = true;
    s.cell = {agl::Vec3d{3, 0, 0}, agl::Vec3d{0, 3, 0}, agl::Vec3d{0, 0, 3}};
    for (int x = 0; x < 3; ++x)
        for (int y = 0; y < 3; ++y)
            for (int z = 0; z < 3; ++z) {
                s.positions.push_back({double(x), double(y), double(z)});
                s.elements.push_back(18);
            }
    s.atomCharges.assign(s.numAtoms(), 0.0);
    s.forces.assign(s.numAtoms(), agl::Vec3d{0, 0, 0});
    return s;
}

// Brute force: Σ over atoms and functions of the neighbours (radial) or unordered neighbour pairs (angular)
// the function sees, per atom.
EvaluationWork bruteForceWork(const agl::NnSettings& settings, const std::vector<const Structure*>& structures) {
    EvaluationWork w;
    for (const Structure* s : structures)
        for (int i = 0; i < int(s->numAtoms()); ++i) {
            ++w.atoms;
            for (const SymmetryFunction& f : settings.functions) {
                if (f.centre != s->elements[i] || f.isNoise()) continue;
                const std::vector<bf::Neighbor> nb = bf::neighbors(*s, i, f.rc);
                if (!f.isAngular()) {
                    for (const bf::Neighbor& n : nb) w.radialTerms += s->elements[n.atom] == f.e1 ? 1.0 : 0.0;
                    continue;
                }
                for (const bf::Neighbor& n : nb)
                    w.angularNeighbours += s->elements[n.atom] == f.e1 || s->elements[n.atom] == f.e2 ? 1.0 : 0.0;
                for (std::size_t a = 0; a < nb.size(); ++a)
                    for (std::size_t b = a + 1; b < nb.size(); ++b) {
                        const int ea = s->elements[nb[a].atom], eb = s->elements[nb[b].atom];
                        if (!((ea == f.e1 && eb == f.e2) || (ea == f.e2 && eb == f.e1))) continue;
                        double d2 = 0.0;
                        for (int x = 0; x < 3; ++x) d2 += (nb[a].d[x] - nb[b].d[x]) * (nb[a].d[x] - nb[b].d[x]);
                        if (f.type == 3 && !(std::sqrt(d2) < f.rc)) continue;
                        w.angularTerms += 1.0;
                    }
            }
        }
    w.radialTerms /= double(w.atoms);
    w.angularTerms /= double(w.atoms);
    w.angularNeighbours /= double(w.atoms);
    return w;
}

TEST(EvaluationWork, SimpleCubicByHand) {
    using testdata::angular;
    using testdata::radial;
    const Structure s = simpleCubic();
    // Two radial functions see the 6 nearest neighbours, one the 18 within 1.5; the wide angular function at
    // rc 1.1 sees C(6, 2) = 15 pairs, the narrow one none (nearest neighbours are ≥ √2 apart); at rc 1.5 the
    // narrow ones see the pairs of the 18 (6 axis, 12 diagonal) closer than 1.5: 6·4/2 = 12 axis–axis at √2,
    // 6·4 = 24 axis–diagonal at 1 and 12·4/2 = 24 diagonal–diagonal at √2, 60 in all.
    const agl::NnSettings settings = withNetwork(
        {radial(18, 18, 0.5, 0.0, 1.1), radial(18, 18, 2.0, 0.0, 1.1), radial(18, 18, 0.5, 0.0, 1.5),
         angular(9, 18, 18, 18, 0.1, 1.0, 1.0, 1.1), angular(3, 18, 18, 18, 0.1, 1.0, 1.0, 1.1),
         angular(3, 18, 18, 18, 0.1, 1.0, 1.0, 1.5), angular(3, 18, 18, 18, 0.1, -1.0, 2.0, 1.5)});
    const EvaluationWork w = agl::countEvaluationWork(settings, {&s});
    EXPECT_EQ(w.atoms, 27u);
    EXPECT_DOUBLE_EQ(w.radialTerms, 6.0 + 6.0 + 18.0);
    EXPECT_DOUBLE_EQ(w.angularTerms, 15.0 + 0.0 + 60.0 + 60.0);
    EXPECT_DOUBLE_EQ(w.angularTriplets, 15.0 + 0.0 + 60.0) << "the two narrow functions at rc 1.5 share one group";
    EXPECT_DOUBLE_EQ(w.angularNeighbours, 6.0 + 6.0 + 18.0 + 18.0);
    EXPECT_DOUBLE_EQ(w.networkWeights, 7 * 10 + 10 + 10 * 10 + 10 + 10 + 1);
    const EvaluationWork bf = bruteForceWork(settings, {&s});
    EXPECT_DOUBLE_EQ(bf.radialTerms, w.radialTerms);
    EXPECT_DOUBLE_EQ(bf.angularTerms, w.angularTerms);
    EXPECT_DOUBLE_EQ(bf.angularNeighbours, w.angularNeighbours);
}

TEST(EvaluationWork, TwoElementsAgainstBruteForce) {
    testdata::Rng rng(31);
    // A small triclinic cell (images of the atom itself within rc), a larger one and a cluster; two elements,
    // functions of both centres with neighbour pairs of like and unlike elements, two cutoff radii.
    const Structure small = testdata::periodic(rng, testdata::triclinic(rng, 3.2), 5, {1, 8}, 0.8);
    const Structure large = testdata::periodic(rng, testdata::triclinic(rng, 8.0), 40, {1, 8}, 1.0);
    const Structure cluster = testdata::cluster(rng, 6.0, 20, {1, 8}, 0.9);
    const agl::NnSettings settings = withNetwork(testdata::mixedSet(1, 8, 4.0, 6, 0.0));
    const std::vector<const Structure*> structures{&small, &large, &cluster};
    const EvaluationWork w = agl::countEvaluationWork(settings, structures);
    const EvaluationWork bf = bruteForceWork(settings, structures);
    EXPECT_EQ(w.atoms, 65u);
    EXPECT_GT(w.radialTerms, 0.0);
    EXPECT_GT(w.angularTerms, w.angularTriplets);
    EXPECT_NEAR(w.radialTerms, bf.radialTerms, 1e-12 * bf.radialTerms);
    EXPECT_NEAR(w.angularTerms, bf.angularTerms, 1e-12 * bf.angularTerms);
    EXPECT_NEAR(w.angularNeighbours, bf.angularNeighbours, 1e-12 * bf.angularNeighbours);
}

TEST(EvaluationWork, NoiseColumnsCountNothingAndTheCostCarriesTheCount) {
    using testdata::radial;
    const Structure s = simpleCubic();
    agl::NnSettings settings = withNetwork({radial(18, 18, 0.5, 0.0, 1.1), radial(18, 18, 0.5, 0.0, 1.5)});
    const EvaluationWork plain = agl::countEvaluationWork(settings, {&s});
    SymmetryFunction noise;
    noise.type = agl::kNoiseFunctionType;
    noise.centre = 18;
    agl::NnSettings noisy = settings;
    noisy.functions.push_back(noise);
    EXPECT_DOUBLE_EQ(agl::countEvaluationWork(noisy, {&s}).radialTerms, plain.radialTerms);
    EXPECT_DOUBLE_EQ(agl::countEvaluationWork(noisy, {&s}).angularTerms, 0.0);

    const agl::EvaluationCost cost = agl::measureEvaluationCost(settings, {&s}, 0.0, 1);
    EXPECT_DOUBLE_EQ(cost.work.radialTerms, 24.0);
    EXPECT_EQ(cost.work.atoms, cost.atoms);
}

}  // namespace
