// The activation functions against n2p2's own unit-test values (test/cpp/ExampleNeuralNetworx.h of the n2p2
// repository) for the letters agl implements, and each slope f'(z), written in terms of y = f(z), against a
// central difference of f.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "agl/error.hpp"
#include "agl/train/activation.hpp"

namespace {

struct N2p2Activation {
    char letter;
    std::vector<double> x, f;
};

TEST(Activation, ValuesEqualN2p2UnitTestValues) {
    const std::vector<N2p2Activation> cases = {
        {'l', {-1.5, -0.7, 0.0, 0.7, 1.5}, {-1.5, -0.7, 0.0, 0.7, 1.5}},
        {'t', {-1.5, -0.7, 0.0, 0.7, 1.5},
         {-9.0514825364486640E-01, -6.0436777711716361E-01, 0.0, 6.0436777711716361E-01, 9.0514825364486640E-01}},
        {'s', {-1.5, -0.7, 0.0, 0.7, 1.5},
         {1.8242552380635635E-01, 3.3181222783183389E-01, 5.0E-01, 6.6818777216816616E-01, 8.1757447619364365E-01}},
        {'p', {-1.5, -0.7, 0.0, 0.7, 1.5},
         {2.0141327798275246E-01, 4.0318604888545784E-01, 6.9314718055994529E-01, 1.1031860488854579E+00,
          1.7014132779827524E+00}},
        {'r', {-1.5, -0.7, -0.1, 0.1, 0.7, 1.5}, {0.0, 0.0, 0.0, 0.1, 0.7, 1.5}}};
    for (const N2p2Activation& c : cases) {
        const agl::Activation a = agl::activationFromLetter(c.letter);
        for (std::size_t i = 0; i < c.x.size(); ++i)
            EXPECT_NEAR(agl::activate(a, c.x[i]), c.f[i], 4e-16 * (1 + std::abs(c.f[i]))) << c.letter << " " << c.x[i];
    }
}

TEST(Activation, SlopeFromOutputMatchesCentralDifference) {
    const double h = 1e-6;
    for (char letter : {'l', 't', 's', 'p', 'r'}) {
        const agl::Activation a = agl::activationFromLetter(letter);
        for (double z : {-3.0, -1.5, -0.7, -0.1, 0.1, 0.7, 1.5, 3.0}) {
            const double numeric = (agl::activate(a, z + h) - agl::activate(a, z - h)) / (2 * h);
            EXPECT_NEAR(agl::activationSlope(a, agl::activate(a, z)), numeric, 1e-9) << letter << " " << z;
        }
    }
}

TEST(Activation, UnknownLetterIsNamed) {
    try {
        agl::activationFromLetter('x');
        FAIL();
    } catch (const agl::Error& e) {
        EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos);
    }
}

}  // namespace
