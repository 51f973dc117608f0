// Helpers for the io tests: a private temporary folder per test, files written from strings, and a check
// that an InputError names the file, the line and the problem.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "agl/error.hpp"
#include "agl/io.hpp"

namespace agl::test {

namespace fs = std::filesystem;

class TempDir : public ::testing::Test {
public:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("agl_io_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
                std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path(name), std::ios::binary) << text;
        return path(name);
    }
    static std::string read(const std::string& p) {
        std::ifstream in(p, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    std::size_t filesInDir() const {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++n;
        return n;
    }
    fs::path dir_;
};

inline std::string fixture(const std::string& name) { return std::string(AGL_TEST_DATA) + "/io/" + name; }

// Runs f, which must throw InputError for `file` at `line` with `problem` in the message.
template <typename F>
void expectInputError(F&& f, const std::string& file, long line, const std::string& problem) {
    try {
        f();
        ADD_FAILURE() << "no InputError; expected '" << problem << "'";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.file(), file) << what;
        EXPECT_EQ(e.line(), line) << what;
        EXPECT_NE(what.find(problem), std::string::npos) << "message: " << what << "\nexpected: " << problem;
        const std::string where = line > 0 ? file + ":" + std::to_string(line) + ":" : file + ":";
        EXPECT_EQ(what.rfind(where, 0), 0u) << what;
    }
}

inline std::string toText(const Structure& s, StructureFormat f) {
    std::ostringstream out;
    writeStructure(out, s, f);
    return out.str();
}
inline std::string toText(const Dataset& d, StructureFormat f) {
    std::string t;
    for (const auto& s : d.structures) t += toText(s, f);
    return t;
}

// Bitwise equality of every number (so -0.0 != 0.0 and no tolerance).
inline bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
inline void expectSameValues(const Structure& a, const Structure& b, bool compareText = true) {
    ASSERT_EQ(a.numAtoms(), b.numAtoms());
    EXPECT_EQ(a.periodic, b.periodic);
    EXPECT_TRUE(same(a.energy, b.energy)) << a.energy << " vs " << b.energy;
    EXPECT_TRUE(same(a.charge, b.charge));
    EXPECT_EQ(a.tag, b.tag);
    if (compareText) {
        EXPECT_EQ(a.comment, b.comment);
    }
    for (int r = 0; r < 3; ++r)
        for (int d = 0; d < 3; ++d) EXPECT_TRUE(same(a.cell[r][d], b.cell[r][d]));
    for (std::size_t i = 0; i < a.numAtoms(); ++i) {
        EXPECT_EQ(a.elements[i], b.elements[i]);
        EXPECT_TRUE(same(a.atomCharges[i], b.atomCharges[i])) << "atom " << i;
        for (int d = 0; d < 3; ++d) {
            EXPECT_TRUE(same(a.positions[i][d], b.positions[i][d])) << "atom " << i << " " << a.positions[i][d]
                                                                    << " vs " << b.positions[i][d];
            EXPECT_TRUE(same(a.forces[i][d], b.forces[i][d])) << "atom " << i;
        }
    }
}

}  // namespace agl::test
