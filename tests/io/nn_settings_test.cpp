// input.nn: reading (sorting, normalisation, keywords), canonical writing, and every rejected setting.
#include <sstream>

#include "agl/element.hpp"
#include "io_test_util.hpp"

using namespace agl;
using namespace agl::test;

namespace {
using NnSettingsIo = TempDir;

std::string toText(const NnSettings& s) {
    std::ostringstream out;
    writeNnSettings(out, s);
    return out.str();
}

const std::string kHead = "number_of_elements 2\nelements Cu Ag\ncutoff_type 6 0.0\n";  // lines 1-3

void expectBadNn(const TempDir& t, const std::string& text, long line, const std::string& problem) {
    const std::string p = t.write("bad.nn", text);
    expectInputError([&] { readNnSettings(p); }, p, line, problem);
}
}  // namespace

TEST_F(NnSettingsIo, FixtureValuesAndOrder) {
    NnSettings s = readNnSettings(fixture("settings.nn"));
    EXPECT_EQ(s.elements, (std::vector<int>{1, 8}));
    EXPECT_EQ(s.cutoffType, CutoffType::Poly2);
    EXPECT_EQ(s.cutoffAlpha, 0.0);
    EXPECT_TRUE(s.hasRandomSeed);
    EXPECT_EQ(s.randomSeed, 42);
    EXPECT_TRUE(s.scaling.scaleSigma);
    EXPECT_TRUE(s.scaling.center);
    EXPECT_FALSE(s.scaling.scale);
    EXPECT_EQ(s.network.hiddenNodes, (std::vector<int>{15, 10}));
    EXPECT_EQ(s.network.activations, "ttl");
    EXPECT_EQ(s.networkOf(8).hiddenNodes, (std::vector<int>{15, 8}));
    EXPECT_EQ(s.networkOf(1).hiddenNodes, (std::vector<int>{15, 10}));
    EXPECT_EQ(s.atomEnergy.at(1), -0.5);
    EXPECT_EQ(s.atomEnergy.at(8), -75.0);
    ASSERT_EQ(s.unknown.size(), 1u);
    EXPECT_EQ(s.unknown[0].line, 14);
    EXPECT_EQ(s.unknown[0].text, "epochs 20");
    std::vector<std::string> lines;
    for (const auto& sf : s.functions) lines.push_back(sf.settingsLine());
    // Grouped by centre (H, then O), n2p2 order within each, angular pairs normalised to Z(e1) <= Z(e2).
    EXPECT_EQ(lines, (std::vector<std::string>{
                         "symfunction_short H 2 O 0.05 1.5 6.0",
                         "symfunction_short H 3 H O 0.01 -1.0 1.0 6.0 0.5",
                         "symfunction_short H 9 H H 0.1 -1.0 4.0 6.0",
                         "symfunction_short O 2 H 0.05 0.0 6.0",
                         "symfunction_short O 2 O 0.05 0.0 6.0",
                         "symfunction_short O 2 H 0.5 0.0 6.0",
                         "symfunction_short O 9 H O 0.1 1.0 2.0 6.0",
                     }));
    for (const auto& sf : s.functions) EXPECT_EQ(sf.cutoffType, CutoffType::Poly2);
}

TEST_F(NnSettingsIo, WriteReadRoundTrip) {
    NnSettings s = readNnSettings(fixture("settings.nn"));
    const std::string text = toText(s);
    NnSettings back = readNnSettings(write("out.nn", text));
    EXPECT_EQ(toText(back), text);
    EXPECT_EQ(back.functions.size(), s.functions.size());
    EXPECT_EQ(back.networkOf(8).hiddenNodes, s.networkOf(8).hiddenNodes);
    EXPECT_EQ(back.atomEnergy, s.atomEnergy);
    EXPECT_EQ(text.rfind("number_of_elements 2\nelements H O\ncutoff_type 6 0.0\n", 0), 0u);
    EXPECT_NE(text.find("\nepochs 20\n"), std::string::npos);
    EXPECT_NE(text.find("\nglobal_activation_short t t l\n"), std::string::npos);
    EXPECT_NE(text.find("\nelement_nodes_short O 2 8\n"), std::string::npos);
    const std::string p = path("file.nn");
    writeNnSettings(p, s, false);
    EXPECT_EQ(read(p), text);
    EXPECT_THROW(writeNnSettings(p, s, false), InputError);
}

TEST_F(NnSettingsIo, CutoffAppliesToEveryFunctionAndRsOptional) {
    NnSettings s = readNnSettings(write("c.nn", "number_of_elements 1\nelements Al\ncutoff_type 1 0.25\n"
                                                "symfunction_short Al 9 Al Al 0.5 1 2 5.3 4.85\n"
                                                "symfunction_short Al 3 Al Al 0.5 1 2 5.3\n"));
    ASSERT_EQ(s.functions.size(), 2u);
    EXPECT_EQ(s.functions[0].type, 3);
    EXPECT_EQ(s.functions[0].rs, 0.0);
    EXPECT_EQ(s.functions[1].rs, 4.85);
    for (const auto& sf : s.functions) {
        EXPECT_EQ(sf.cutoffType, CutoffType::Cos);
        EXPECT_EQ(sf.cutoffAlpha, 0.25);
    }
}

TEST_F(NnSettingsIo, PaperSetsFromSharedReference) {
    const std::string dir = std::string(AGL_SHARED_HINT) + "/reference/sf";
    if (!fs::exists(dir)) GTEST_SKIP() << dir << " not present";
    for (const char* name : {"al.nn", "b.nn", "lj.nn"}) {
        NnSettings s = readNnSettings(dir + "/" + name);
        // The files are already in n2p2 order: the functions come out in line order.
        std::istringstream in(read(dir + "/" + name));
        std::vector<std::string> lines;
        for (std::string l; std::getline(in, l);)
            if (l.rfind("symfunction_short", 0) == 0) lines.push_back(l);
        ASSERT_EQ(lines.size(), s.functions.size()) << name;
        for (std::size_t k = 0; k < lines.size(); ++k) {
            NnSettings one = readNnSettings(write("one.nn", "number_of_elements 1\nelements " +
                                                                elementSymbol(s.elements[0]) +
                                                                "\ncutoff_type 6 0.0\n" + lines[k] + "\n"));
            EXPECT_EQ(one.functions[0].settingsLine(), s.functions[k].settingsLine()) << name << " line " << k;
        }
    }
}

TEST_F(NnSettingsIo, RejectedSettings) {
    const std::string r = "symfunction_short Cu 2 Cu ";
    const std::string a = "symfunction_short Cu 9 Cu Ag ";
    expectBadNn(*this, kHead + r + "-0.5 0.0 6.0\n", 4, "eta must be >= 0");
    expectBadNn(*this, kHead + r + "0.5 0.0 0.0\n", 4, "rc must be > 0");
    expectBadNn(*this, kHead + r + "0.5 0.0 -1\n", 4, "rc must be > 0");
    expectBadNn(*this, "number_of_elements 2\nelements Cu Ag\ncutoff_type 6 1.0\n", 3, "must lie in [0, 1)");
    expectBadNn(*this, "number_of_elements 2\nelements Cu Ag\ncutoff_type 6 -0.1\n", 3, "must lie in [0, 1)");
    expectBadNn(*this, kHead + a + "0.1 1.0 0.5 6.0\n", 4, "zeta must lie in [1, 1000]");
    expectBadNn(*this, kHead + a + "0.1 1.0 1e20 6.0\n", 4, "zeta must lie in [1, 1000]");  // 2^ζ overflows
    expectBadNn(*this, kHead + a + "0.1 0.5 1.0 6.0\n", 4, "lambda must be +1 or -1");
    expectBadNn(*this, kHead + a + "0.1 -2 1.0 6.0\n", 4, "lambda must be +1 or -1");
    expectBadNn(*this, kHead + "symfunction_short Cu 2 Au 0.1 0.0 6.0\n", 4, "element Au, which is not in 'elements'");
    expectBadNn(*this, kHead + "symfunction_short Au 2 Cu 0.1 0.0 6.0\n", 4, "element Au, which is not in");
    expectBadNn(*this, kHead + "symfunction_short Cu 2 Qq 0.1 0.0 6.0\n", 4, "unknown element 'Qq'");
    expectBadNn(*this, kHead + r + "0.1 0.0\n", 4, "expected: symfunction_short <ec> 2");
    expectBadNn(*this, kHead + "symfunction_short Cu 5 Cu 0.1 0.0 6.0\n", 4, "type 5 is not supported");
    expectBadNn(*this, kHead + r + "0.1x 0.0 6.0\n", 4, "eta: '0.1x' is not a number");
    expectBadNn(*this, kHead + a + "0.1 1 1 6\nsymfunction_short Cu 9 Ag Cu 0.1 1.0 1.0 6.0 0.0\n", 5,
                "duplicate symmetry function (same as line 4)");
    expectBadNn(*this, "number_of_elements 3\nelements Cu Ag\ncutoff_type 6\n", 1, "number_of_elements is 3");
    expectBadNn(*this, kHead + "global_hidden_layers_short 2\nglobal_nodes_short 10 10\nglobal_activation_short t l\n",
                6, "global_activation_short has 2 letters");
    expectBadNn(*this, kHead + "global_hidden_layers_short 2\nglobal_nodes_short 10\nglobal_activation_short t t l\n",
                5, "global_nodes_short has 1 entries");
    expectBadNn(*this, kHead + "cutoff_type 6 0.0\n", 4, "'cutoff_type' given twice (first at line 3)");
    expectBadNn(*this, kHead + "atom_energy Au -1.0\n", 4, "not in 'elements'");
    expectBadNn(*this, "number_of_elements 1\nelements Cu\n", 0, "no 'cutoff_type'");
    expectBadNn(*this, "", 0, "no 'elements'");
}

// n2p2's training options are summarised in one warning, normalisation keywords (used when a potential is
// evaluated) are not warned about, and anything else is warned about with its line.
TEST_F(NnSettingsIo, KnownN2p2KeywordsAreSummarisedUnknownOnesWarnedByLine) {
    const std::string p = write("keys.nn", kHead + "symfunction_short Cu 2 Cu 0.1 0.0 6.0\n"  // line 4
                                                   "symfunction_short Ag 2 Cu 0.1 0.0 6.0\n"
                                                   "mean_energy -3.0\nconv_energy 2.0\nconv_length 1.0\n"  // 6-8
                                                   "epochs 10\nkalman_q0 0.01\nwrite_trainlog\n"           // 9-11
                                                   "epoch 5\n");                                            // 12
    testing::internal::CaptureStderr();
    const NnSettings s = readNnSettings(p);
    const std::string log = testing::internal::GetCapturedStderr();
    EXPECT_EQ(s.unknown.size(), 7u);  // all kept verbatim for writing back
    EXPECT_EQ(log.find("mean_energy"), std::string::npos) << log;
    EXPECT_NE(log.find("n2p2 training options not used by agl"), std::string::npos) << log;
    EXPECT_NE(log.find("epochs, kalman_q0, write_trainlog"), std::string::npos) << log;
    EXPECT_NE(log.find(p + ":12: keyword 'epoch' is not used by agl"), std::string::npos) << log;
    EXPECT_EQ(log.find(":9:"), std::string::npos) << log;  // no line-by-line warning for known options
}

// n2p2 cuts a line at '#' and at '!' (RuNNer-style comments): both start a comment here too.
TEST_F(NnSettingsIo, ExclamationMarkStartsAComment) {
    const std::string p = write("bang.nn", "number_of_elements 2 ! two\nelements Cu Ag\ncutoff_type 6 0.0 ! poly2\n"
                                           "symfunction_short Cu 2 Cu 0.1 0.0 6.0 ! radial\n"
                                           "symfunction_short Ag 2 Cu 0.1 0.0 6.0\nscale_min_short 0.0 !\n");
    const NnSettings s = readNnSettings(p);
    EXPECT_EQ(s.elements, (std::vector<int>{29, 47}));
    ASSERT_EQ(s.functions.size(), 2u);
    EXPECT_EQ(s.functions[0].rc, 6.0);
    EXPECT_EQ(s.scaling.scaleMin, 0.0);
    EXPECT_TRUE(s.unknown.empty());
}

// The normalisation keywords may appear once each (the potential reader needs all three, not one twice).
TEST_F(NnSettingsIo, NormalisationKeywordGivenTwiceIsRefused) {
    expectBadNn(*this, kHead + "mean_energy -3.0\nconv_energy 2.0\nmean_energy -3.0\n", 6, "given twice");
}
