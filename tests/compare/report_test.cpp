// The table writer: mean ± std rounding, the RMSE exponent, and the rows of the Markdown table.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "agl/compare/compare_report.hpp"

namespace agl {
namespace {

TEST(CompareReport, MeanStdRoundsToTheStdDigits) {
    // 1 significant digit of the std, mean to the same place (the paper's "8.59 ± 0.08").
    EXPECT_EQ(formatMeanStd(8.5912e-3, 0.0834e-3, 4, -3), "8.59 ± 0.08");
    EXPECT_EQ(formatMeanStd(9.7349e-3, 0.0751e-3, 4, -3), "9.73 ± 0.08");
    // Leading digit 1 or 2: two digits (0.14 must not become 0.1).
    EXPECT_EQ(formatMeanStd(2.0712, 0.1449, 4, 0), "2.07 ± 0.14");
    EXPECT_EQ(formatMeanStd(23.61e-3, 0.123e-3, 4, -3), "23.61 ± 0.12");
    // A std that rounds up to the next decade keeps the decimals it was rounded at.
    EXPECT_EQ(formatMeanStd(5.123, 0.096, 3, 0), "5.12 ± 0.10");
    // Large std: no negative decimals.
    EXPECT_EQ(formatMeanStd(1234.4, 56.0, 4, 0), "1234 ± 56");
    // One model, or std 0: the mean alone, three significant digits.
    EXPECT_EQ(formatMeanStd(8.5912e-3, 0.0, 1, -3), "8.59");
    EXPECT_EQ(formatMeanStd(8.5912e-3, 0.0, 4, -3), "8.59");
    EXPECT_EQ(formatMeanStd(0.0123, 0.0, 1, 0), "0.0123");
    EXPECT_EQ(formatMeanStd(NAN, 0.1, 4, 0), "n/a");
}

CompareRow row(const std::string& name, double mean, double std) {
    CompareRow r;
    r.set.name = name;
    r.set.columns = {{0, 1}};
    r.numFeatures = 2;
    r.numAngular = 1;
    r.result.mean = mean;
    r.result.std = std;
    r.result.testRmse = {mean - std, mean + std};
    return r;
}

TEST(CompareReport, ExponentFromTheSmallestMean) {
    CompareResult r;
    r.rows = {row("a", 23.6e-3, 1e-4), row("b", 8.6e-3, 1e-4)};
    EXPECT_EQ(rmseExponent(r), -3);
    r.rows = {row("a", 0.5, 0.1)};
    EXPECT_EQ(rmseExponent(r), -3);
    r.rows = {row("a", 1.0, 0.1)};
    EXPECT_EQ(rmseExponent(r), 0);
    r.rows = {row("a", 1e-3, 0.1e-3)};
    EXPECT_EQ(rmseExponent(r), -3);
    r.rows = {row("a", NAN, 0.0)};
    EXPECT_EQ(rmseExponent(r), 0);
}

// One Ar element with a radial (type 2) and an angular (type 9) function: N = 2, N_G5 = 1 in the tables.
FeatureTable oneRadialOneAngular() {
    FeatureTable t;
    ElementFeatures el;
    el.element = 18;
    SymmetryFunction radial, angular;
    radial.type = 2;
    angular.type = 9;
    el.functions = {radial, angular};
    t.elements = {el};
    return t;
}

TEST(CompareReport, MarkdownHasOneRowPerSet) {
    const FeatureTable t = oneRadialOneAngular();
    CompareResult r;
    r.rows = {row("all", 9.73e-3, 0.08e-3), row("AGL", 8.59e-3, 0.08e-3)};
    CompareInfo info;
    info.models = 2;
    const std::string md = compareMarkdown(t, r, info);
    EXPECT_NE(md.find("| all | 2 | 1 | 9.73 ± 0.08 |"), std::string::npos) << md;
    EXPECT_NE(md.find("| AGL | 2 | 1 | 8.59 ± 0.08 |"), std::string::npos) << md;
    EXPECT_NE(md.find("10^-3"), std::string::npos);
    EXPECT_EQ(md.find("noise kept"), std::string::npos) << "no noise column without noise features";
    EXPECT_EQ(md.find("cost"), std::string::npos) << "no cost columns without a measurement";
}

// Every CSV row has the header's number of fields, with and without a cost measurement (the columns field
// is quoted text without commas here).
TEST(CompareReport, CsvRowsHaveTheHeadersFields) {
    const FeatureTable t = oneRadialOneAngular();
    CompareResult r;
    r.rows = {row("all", 9.73e-3, 0.08e-3), row("AGL", 8.59e-3, 0.08e-3)};
    r.rows[0].hasCost = true;
    r.rows[0].cost.featureMicroseconds = 3.0;
    r.rows[0].cost.forceMicroseconds = 5.0;
    r.rows[0].costRatio = 1.0;
    const std::string path = ::testing::TempDir() + "agl_compare_fields.csv";
    std::remove(path.c_str());
    writeCompareCsv(path, t, r, true);
    std::ifstream in(path);
    std::string header, line;
    ASSERT_TRUE(std::getline(in, header));
    auto fields = [](const std::string& s) {  // commas outside quotes, + 1
        std::size_t n = 1;
        bool quoted = false;
        for (char c : s) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) ++n;
        }
        return n;
    };
    int rows = 0;
    while (std::getline(in, line)) {
        EXPECT_EQ(fields(line), fields(header)) << line;
        ++rows;
    }
    EXPECT_EQ(rows, 2);
    std::remove(path.c_str());
}

}  // namespace
}  // namespace agl
