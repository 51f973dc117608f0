// The compiled-in paper candidates equal the fixture file byte for byte and parse to Table SII.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agl/paper_sets.hpp"

namespace agl {
namespace {

TEST(PaperSets, LjTextEqualsFixture) {
    std::ifstream in(std::string(AGL_TEST_DATA) + "/features/lj.nn", std::ios::binary);
    ASSERT_TRUE(in) << "fixture missing";
    std::ostringstream file;
    file << in.rdbuf();
    EXPECT_EQ(paperLjSettingsText(), file.str());
}

TEST(PaperSets, LjTextHasTableSII) {
    const std::string& t = paperLjSettingsText();
    int radial = 0, angular = 0;
    std::istringstream lines(t);
    for (std::string line; std::getline(lines, line);) {
        radial += line.rfind("symfunction_short Ar 2 ", 0) == 0;
        angular += line.rfind("symfunction_short Ar 9 ", 0) == 0;
    }
    EXPECT_EQ(radial, 12);
    EXPECT_EQ(angular, 10);
    EXPECT_NE(t.find("symfunction_short Ar 2 Ar 3.858 2.3 2.8"), std::string::npos);
    EXPECT_NE(t.find("symfunction_short Ar 9 Ar Ar 0.12755 1.0 16.0 2.8 0.0"), std::string::npos);
}

}  // namespace
}  // namespace agl
