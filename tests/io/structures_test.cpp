// input.data and extended XYZ: values read from fixtures, exact round trips, and the public data sets.
#include <random>

#include "agl/element.hpp"
#include "io_test_util.hpp"

using namespace agl;
using namespace agl::test;

namespace {
using StructureIo = TempDir;

Dataset fromText(const TempDir& t, const std::string& name, const std::string& text, StructureFormat f) {
    return readDataset(t.write(name, text), f);
}
}  // namespace

TEST(StructureFormatChoice, ByExtensionAndOption) {
    EXPECT_EQ(structureFormat("a/b.xyz"), StructureFormat::ExtXyz);
    EXPECT_EQ(structureFormat("b.extxyz"), StructureFormat::ExtXyz);
    EXPECT_EQ(structureFormat("input.data"), StructureFormat::InputData);
    EXPECT_EQ(structureFormat("x.xyz", "n2p2"), StructureFormat::InputData);
    EXPECT_EQ(structureFormat("input.data", "extxyz"), StructureFormat::ExtXyz);
    EXPECT_THROW(structureFormat("input.data", "cif"), InputError);
}

TEST_F(StructureIo, InputDataFixtureValues) {
    Dataset d = readDataset(fixture("mixed.data"));
    ASSERT_EQ(d.structures.size(), 3u);
    const Structure& w = d.structures[0];
    EXPECT_EQ(w.tag, SetTag::Train);
    EXPECT_EQ(w.comment, "water in a triclinic cell,  two spaces kept");
    EXPECT_TRUE(w.periodic);
    EXPECT_EQ(w.cell[1].x, 1.0);
    EXPECT_EQ(w.cell[2].y, 0.7);
    EXPECT_EQ(w.elements, (std::vector<int>{8, 1, 1, 8}));
    EXPECT_EQ(w.atomCharges[0], -0.8);
    EXPECT_EQ(w.forces[1].z, -0.15);
    EXPECT_EQ(w.energy, -123.456789012345);
    EXPECT_EQ(w.positions[1].x, 1.757);  // inside the cell: kept bit for bit
    // Atom 4 at x = 7.5 lies at fractional 1.4 along a: wrapped back by one lattice vector a = (5, 0, 0).
    EXPECT_NEAR(w.positions[3].x, 2.5, 1e-12);
    EXPECT_NEAR(w.positions[3].y, 2.0, 1e-12);
    EXPECT_NEAR(w.positions[3].z, 3.0, 1e-12);

    const Structure& m = d.structures[1];
    EXPECT_EQ(m.tag, SetTag::Test);
    EXPECT_FALSE(m.periodic);
    EXPECT_EQ(m.energy, -987.654321);
    EXPECT_EQ(m.forces[0].x, 1.0000000000000002);
    EXPECT_EQ(m.forces[1].z, -2.5e-8);
    EXPECT_EQ(m.positions[1].z, 1.2075);

    const Structure& a = d.structures[2];
    EXPECT_EQ(a.tag, SetTag::Unspecified);
    EXPECT_EQ(a.elements[0], 18);
    EXPECT_NEAR(a.positions[0].x, 2.5, 1e-12);
    EXPECT_NEAR(a.positions[0].y, 0.5, 1e-12);
    EXPECT_EQ(d.numAtoms(), 7u);
    EXPECT_EQ(d.elements(), (std::vector<int>{1, 8, 18}));
}

TEST_F(StructureIo, InputDataToExtXyzAndBackIsExact) {
    Dataset d = readDataset(fixture("mixed.data"));
    const std::string data1 = toText(d, StructureFormat::InputData);
    Dataset x = fromText(*this, "a.extxyz", toText(d, StructureFormat::ExtXyz), StructureFormat::ExtXyz);
    ASSERT_EQ(x.structures.size(), d.structures.size());
    for (std::size_t k = 0; k < d.structures.size(); ++k) expectSameValues(d.structures[k], x.structures[k]);
    EXPECT_EQ(toText(x, StructureFormat::InputData), data1);
    // And the written input.data reads back to the same values and the same text.
    Dataset again = fromText(*this, "b.data", data1, StructureFormat::InputData);
    for (std::size_t k = 0; k < d.structures.size(); ++k) expectSameValues(d.structures[k], again.structures[k]);
    EXPECT_EQ(toText(again, StructureFormat::InputData), data1);
    // The writer tags sets, keeps the comment and prints shortest round-trip numbers.
    EXPECT_NE(data1.find("begin set=train\ncomment water in a triclinic cell,  two spaces kept\n"), std::string::npos);
    EXPECT_NE(data1.find("begin set=test\n"), std::string::npos);
    EXPECT_NE(data1.find("atom 1.0 1.0 1.0 O -0.8 0.0 0.1 -0.2 0.3\n"), std::string::npos);
    EXPECT_NE(data1.find("energy -123.456789012345\n"), std::string::npos);
}

TEST_F(StructureIo, RandomValuesRoundTripBitForBit) {
    std::mt19937_64 rng(20240611);
    std::uniform_real_distribution<double> u(-1, 1);
    std::uniform_int_distribution<int> expo(-30, 30);
    auto value = [&] { return std::ldexp(u(rng), expo(rng)); };  // mantissas with all 53 bits, wide exponents
    Dataset d;
    for (int k = 0; k < 20; ++k) {
        Structure s;
        s.periodic = k % 2 == 0;
        if (s.periodic) s.cell = {Vec3d{9.0 + u(rng), 0.1 * u(rng), 0.0}, Vec3d{0.2 * u(rng), 9.0 + u(rng), 0.0},
                                  Vec3d{0.3 * u(rng), 0.1 * u(rng), 9.0 + u(rng)}};
        for (int i = 0; i < 8; ++i) {
            // Atoms on a 2-wide grid (so none are closer than 0.1), each moved by up to 0.4.
            s.positions.push_back({2.0 * (i % 2) + 0.4 * u(rng) + 1, 2.0 * (i / 2 % 2) + 0.4 * u(rng) + 1,
                                   2.0 * (i / 4) + 0.4 * u(rng) + 1});
            s.elements.push_back(i % 3 == 0 ? 1 : 79);
            s.atomCharges.push_back(i % 2 ? value() : 0.0);
            s.forces.push_back({value(), value(), value()});
        }
        s.energy = value();
        s.charge = k % 4 == 1 ? value() : 0.0;
        s.tag = static_cast<SetTag>(k % 3);
        if (k % 5 == 0) s.comment = "structure " + std::to_string(k);
        d.structures.push_back(s);
    }
    for (StructureFormat f : {StructureFormat::InputData, StructureFormat::ExtXyz}) {
        Dataset back = fromText(*this, f == StructureFormat::ExtXyz ? "r.xyz" : "r.data", toText(d, f), f);
        ASSERT_EQ(back.structures.size(), d.structures.size());
        for (std::size_t k = 0; k < d.structures.size(); ++k) expectSameValues(d.structures[k], back.structures[k]);
    }
}

TEST_F(StructureIo, ExtXyzPropertiesMetadataAndPbc) {
    Dataset d = readDataset(fixture("props.extxyz"));
    ASSERT_EQ(d.structures.size(), 2u);
    const Structure& s = d.structures[0];
    EXPECT_TRUE(s.periodic);
    EXPECT_EQ(s.cell[2].z, 4.0);
    EXPECT_EQ(s.elements, (std::vector<int>{11, 17}));
    EXPECT_EQ(s.atomCharges, (std::vector<double>{0.5, -0.5}));
    EXPECT_EQ(s.positions[1].x, 2.0);
    EXPECT_EQ(s.forces[1].y, -0.2);
    EXPECT_EQ(s.energy, -10.5);
    EXPECT_EQ(s.tag, SetTag::Test);
    EXPECT_EQ(s.comment, "a \"quoted\" word");
    using KV = std::pair<std::string, std::string>;
    EXPECT_EQ(s.metadata, (std::vector<KV>{{"config_type", "bulk solid"}, {"note", "hello"}}));
    const Structure& m = d.structures[1];
    EXPECT_FALSE(m.periodic);
    EXPECT_EQ(m.elements, (std::vector<int>{8, 1, 1}));
    EXPECT_EQ(m.positions[2].y, 0.93);
    EXPECT_TRUE(m.metadata.empty());

    // Written back: metadata verbatim (quoted where needed), charges column, same values when read again.
    const std::string text = toText(d, StructureFormat::ExtXyz);
    EXPECT_NE(text.find("Properties=species:S:1:pos:R:3:forces:R:3:initial_charges:R:1"), std::string::npos);
    EXPECT_NE(text.find("config_type=\"bulk solid\" note=hello"), std::string::npos);
    EXPECT_NE(text.find("comment=\"a \\\"quoted\\\" word\""), std::string::npos);
    EXPECT_NE(text.find("pbc=\"F F F\""), std::string::npos);
    Dataset back = fromText(*this, "b.extxyz", text, StructureFormat::ExtXyz);
    for (std::size_t k = 0; k < 2; ++k) {
        expectSameValues(d.structures[k], back.structures[k]);
        EXPECT_EQ(d.structures[k].metadata, back.structures[k].metadata);
    }
    EXPECT_EQ(toText(back, StructureFormat::ExtXyz), text);
}

TEST_F(StructureIo, ExtXyzLatticeWithoutPbcIsPeriodicAndBareFlags) {
    Dataset d = fromText(*this, "p.xyz",
                         "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3:forces:R:3 energy=2 "
                         "is_relaxed\nCu 4.0 1 1 0 0 0\n",
                         StructureFormat::ExtXyz);
    const Structure& s = d.structures[0];
    EXPECT_TRUE(s.periodic);
    EXPECT_NEAR(s.positions[0].x, 1.0, 1e-12);  // wrapped
    ASSERT_EQ(s.metadata.size(), 1u);
    EXPECT_EQ(s.metadata[0].first, "is_relaxed");
    EXPECT_EQ(s.metadata[0].second, "T");
}

TEST_F(StructureIo, CrLfBlankLinesAndNoFinalNewline) {
    Dataset d = fromText(*this, "crlf.data",
                         "\r\nbegin\r\natom 0 0 0 H 0 0 0 0 0\r\natom 0 0 1 H 0 0 0 0 0\r\nenergy -1\r\nend", 
                         StructureFormat::InputData);
    ASSERT_EQ(d.structures.size(), 1u);
    EXPECT_EQ(d.structures[0].energy, -1.0);
    EXPECT_EQ(d.structures[0].positions[1].z, 1.0);
}

TEST_F(StructureIo, ForEachStructureStopsEarly) {
    std::size_t seen = 0;
    forEachStructure(fixture("mixed.data"), StructureFormat::InputData, [&](Structure&&) { return ++seen < 2; });
    EXPECT_EQ(seen, 2u);
}

TEST_F(StructureIo, WriteDatasetIsAtomicAndRefusesOverwrite) {
    Dataset d = readDataset(fixture("mixed.data"));
    const std::string out = path("out.xyz");
    writeDataset(out, d, StructureFormat::ExtXyz, false);
    const std::string first = read(out);
    EXPECT_EQ(first, toText(d, StructureFormat::ExtXyz));
    EXPECT_THROW(writeDataset(out, d, StructureFormat::InputData, false), InputError);
    EXPECT_EQ(read(out), first);
    writeDataset(out, d, StructureFormat::InputData, true);
    EXPECT_EQ(read(out), toText(d, StructureFormat::InputData));
    EXPECT_EQ(filesInDir(), 1u);  // no temporary left behind
}

// The public data sets (skipped where ../shared is absent): input.data and data.extxyz hold the same numbers,
// and both survive input.data -> extxyz -> input.data exactly.
namespace {
void checkSharedPair(const TempDir& t, const std::string& dir) {
    const std::string data = dir + "/input.data", xyz = dir + "/data.extxyz";
    if (!fs::exists(data) || !fs::exists(xyz)) GTEST_SKIP() << dir << " not present";
    Dataset a = readDataset(data), b = readDataset(xyz);
    ASSERT_EQ(a.structures.size(), b.structures.size());
    for (std::size_t k = 0; k < a.structures.size(); ++k)
        expectSameValues(a.structures[k], b.structures[k], /*compareText=*/false);  // comment vs config_type
    const std::string text = toText(a, StructureFormat::InputData);
    Dataset viaXyz = readDataset(t.write("x.extxyz", toText(a, StructureFormat::ExtXyz)), StructureFormat::ExtXyz);
    EXPECT_EQ(toText(viaXyz, StructureFormat::InputData), text);
    // extxyz -> input.data -> extxyz: the same numbers (config_type has no place in input.data).
    Dataset fromB = readDataset(t.write("b.data", toText(b, StructureFormat::InputData)), StructureFormat::InputData);
    ASSERT_EQ(fromB.structures.size(), b.structures.size());
    for (std::size_t k = 0; k < b.structures.size(); ++k) expectSameValues(b.structures[k], fromB.structures[k]);
}
const std::string kShared = AGL_SHARED_HINT;
}  // namespace

TEST_F(StructureIo, SharedTaFitsnap) { checkSharedPair(*this, kShared + "/data/Ta_fitsnap/converted"); }
TEST_F(StructureIo, SharedSiTrain) { checkSharedPair(*this, kShared + "/data/Si_mlearn/converted/train"); }
TEST_F(StructureIo, SharedSiTest) { checkSharedPair(*this, kShared + "/data/Si_mlearn/converted/test"); }
