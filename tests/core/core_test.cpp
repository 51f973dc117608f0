#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "agl/atomic_file.hpp"
#include "agl/checksum.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/structure.hpp"
#include "agl/symmetry_function.hpp"

namespace fs = std::filesystem;
using namespace agl;

TEST(Element, SymbolsAndNumbers) {
    EXPECT_EQ(atomicNumber("H"), 1);
    EXPECT_EQ(atomicNumber("Ar"), 18);
    EXPECT_EQ(atomicNumber("Ta"), 73);
    EXPECT_EQ(atomicNumber("Og"), 118);
    EXPECT_EQ(atomicNumber("Xx"), 0);
    EXPECT_EQ(atomicNumber("ar"), 0);
    EXPECT_EQ(elementSymbol(13), "Al");
    EXPECT_THROW(elementSymbol(0), Error);
}

// The default masses of metal-unit MD: spot values, and the table's alignment with the atomic numbers (weights
// rise with Z except at the known inversions, so a table shifted by one element fails).
TEST(Element, StandardAtomicWeights) {
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(1), 1.008);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(8), 15.999);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(18), 39.948);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(29), 63.546);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(43), 98.0);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(73), 180.94788);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(79), 196.966569);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(92), 238.02891);
    EXPECT_DOUBLE_EQ(agl::standardAtomicWeight(103), 262.0);
    const std::set<int> inversions{18, 27, 52, 90, 92, 94, 96};  // Ar>K, Co>Ni, Te>I, Th>Pa, U>Np, Pu>Am, Cm=Bk
    for (int z = 1; z < 103; ++z) {
        if (inversions.count(z)) continue;
        EXPECT_LT(agl::standardAtomicWeight(z), agl::standardAtomicWeight(z + 1)) << agl::elementSymbol(z);
    }
    EXPECT_THROW(agl::standardAtomicWeight(104), agl::Error);
    EXPECT_THROW(agl::standardAtomicWeight(0), agl::Error);
}

TEST(Structure, WrapTriclinic) {
    Structure s;
    s.periodic = true;
    s.cell = {Vec3d{4, 0, 0}, Vec3d{1, 5, 0}, Vec3d{0.5, 0.5, 6}};
    s.positions = {Vec3d{1, 1, 1}, Vec3d{-1, 7, 13}};
    wrapPositions(s);
    EXPECT_DOUBLE_EQ(s.positions[0].x, 1.0);  // inside: untouched
    Vec3d f = toFractional(s.cell, s.positions[1]);
    for (int d = 0; d < 3; ++d) {
        EXPECT_GE(f[d], 0.0);
        EXPECT_LT(f[d], 1.0);
    }
    EXPECT_GT(cellVolume(s.cell), 0.0);
}

TEST(SymmetryFunction, SortOrderAndSettingsLine) {
    SymmetryFunction a{2, 18, 18, 0, 0.5, 0.0, 2.8, 0, 0, CutoffType::Poly2, 0.0};
    SymmetryFunction b = a;
    b.eta = 0.25;
    EXPECT_TRUE(n2p2Less(b, a));
    EXPECT_EQ(a.settingsLine(), "symfunction_short Ar 2 Ar 0.5 0.0 2.8");
    SymmetryFunction w{9, 18, 18, 18, 0.12755, 0.0, 2.8, -1.0, 16.0, CutoffType::Poly2, 0.0};
    EXPECT_EQ(w.settingsLine(), "symfunction_short Ar 9 Ar Ar 0.12755 -1.0 16.0 2.8");
    EXPECT_TRUE(n2p2Less(a, w));  // radial before angular
    w.lambda = 0.5;
    EXPECT_NE(validationProblem(w), "");
}

TEST(AtomicFile, NoPartialFileAndNoOverwrite) {
    fs::path dir = fs::temp_directory_path() / "agl_atomic_test";
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::string path = (dir / "out.txt").string();
    {
        AtomicFile f(path, false);
        f.stream() << "half";
        // destroyed without commit: nothing under the final name, no temporary left
    }
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(fs::is_empty(dir));
    {
        AtomicFile f(path, false);
        f.stream() << "whole";
        f.commit();
    }
    EXPECT_TRUE(fs::exists(path));
    EXPECT_THROW(AtomicFile(path, false), InputError);
    AtomicFile g(path, true);
    g.stream() << "again";
    g.commit();
    std::ifstream in(path);
    std::string text;
    in >> text;
    EXPECT_EQ(text, "again");
    fs::remove_all(dir);
}

// The state files' checksum: the same value however the words arrive, another value for any one changed bit,
// a swapped pair of words or one word more.
TEST(WordChecksum, PiecesDoNotMatterButEveryBitDoes) {
    std::vector<std::uint64_t> words(37);
    for (std::size_t i = 0; i < words.size(); ++i) words[i] = 0x0123456789ABCDEFull * (i + 1) ^ (i << 40);
    WordChecksum whole;
    whole.add(words.data(), words.size());
    EXPECT_EQ(whole.words(), words.size());
    for (std::size_t piece : {1, 2, 3, 5, 7, 36}) {
        WordChecksum pieces;
        for (std::size_t i = 0; i < words.size(); i += piece)
            pieces.add(words.data() + i, std::min(piece, words.size() - i));
        EXPECT_EQ(pieces.value(), whole.value()) << "pieces of " << piece;
    }
    std::set<std::uint64_t> values{whole.value()};
    for (std::size_t i = 0; i < words.size(); ++i)
        for (int bit : {0, 31, 63}) {
            std::vector<std::uint64_t> flipped = words;
            flipped[i] ^= std::uint64_t(1) << bit;
            WordChecksum c;
            c.add(flipped.data(), flipped.size());
            values.insert(c.value());
        }
    EXPECT_EQ(values.size(), 1 + 3 * words.size());  // every flip gives its own value
    std::vector<std::uint64_t> swapped = words, longer = words;
    std::swap(swapped[3], swapped[7]);  // same chain (3 ≡ 7 mod 4): the order within a chain counts
    longer.push_back(0);
    WordChecksum s, l, none;
    s.add(swapped.data(), swapped.size());
    l.add(longer.data(), longer.size());
    EXPECT_NE(s.value(), whole.value());
    EXPECT_NE(l.value(), whole.value());
    const std::uint64_t zeros[4] = {0, 0, 0, 0};
    WordChecksum fourZeros;
    fourZeros.add(zeros, 4);
    EXPECT_NE(fourZeros.value(), none.value());  // zero words count too
}
