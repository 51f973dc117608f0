// The unit systems of `agl md` against the SI values of CODATA 2018 (exact k_B and e since 2019; m_u, a0 and
// E_h as published), computed here independently of md_units.cpp.
#include <gtest/gtest.h>

#include "agl/error.hpp"
#include "agl/md/md_units.hpp"

namespace {

constexpr double kBoltzmannSi = 1.380649e-23;      // J/K
constexpr double kElectronVolt = 1.602176634e-19;  // J
constexpr double kAtomicMass = 1.66053906660e-27;  // kg
constexpr double kBohr = 5.29177210903e-11;        // m
constexpr double kHartree = 4.3597447222071e-18;   // J

TEST(MdUnits, MetalAndElectronConstantsAgreeWithCodata) {
    const agl::md::MdUnits metal = agl::md::mdUnits("metal");
    EXPECT_NEAR(metal.boltzmann, kBoltzmannSi / kElectronVolt, 1e-9 * metal.boltzmann);
    EXPECT_NEAR(metal.massScale, kAtomicMass * 1e-20 / 1e-24 / kElectronVolt, 1e-9 * metal.massScale);  // u·Å²/ps²
    EXPECT_EQ(metal.timeUnit, "ps");
    const agl::md::MdUnits electron = agl::md::mdUnits("electron");
    EXPECT_NEAR(electron.boltzmann, kBoltzmannSi / kHartree, 1e-12 * electron.boltzmann);
    EXPECT_NEAR(electron.massScale, kAtomicMass * kBohr * kBohr / 1e-30 / kHartree, 1e-12 * electron.massScale);
    EXPECT_EQ(electron.timeUnit, "fs");
    EXPECT_EQ(electron.temperatureUnit, "K");
}

TEST(MdUnits, UnknownSystemNamesTheOption) {
    try {
        agl::md::mdUnits("real");
        FAIL();
    } catch (const agl::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("--units"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("electron"), std::string::npos);
    }
}

}  // namespace
