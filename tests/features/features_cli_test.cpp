// `agl features` end to end: the files it writes hold what the engine computes, in the layout features.json
// and cmd_features.cpp state — G per element, and the streamed sparse derivatives (bit for bit against the
// engine, and every 7th entry against central finite differences of G through the file's own index, so what a
// row means is checked, not only that it was copied); and an interrupted run resumed ends with the files of a
// straight run, byte for byte, whether it was killed while computing or while moving its files into place, and a
// damaged state file is refused, not continued.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "../io/io_test_util.hpp"
#include "agl/checksum.hpp"
#include "agl/features.hpp"
#include "test_structures.hpp"

using namespace agl;
using namespace agl::test;

namespace {
using FeaturesCli = TempDir;

// A parsed .npy: header fields and the raw 8-byte elements.
struct Npy {
    std::string descr;
    std::size_t rows = 0, cols = 0;
    std::vector<char> bytes;
    template <typename T>
    T at(std::size_t r, std::size_t c) const {
        T v;
        std::memcpy(&v, bytes.data() + (r * cols + c) * 8, 8);
        return v;
    }
};

Npy readNpy(const std::string& path) {
    const std::string text = TempDir::read(path);
    EXPECT_GE(text.size(), 128u) << path;
    EXPECT_EQ(text.compare(0, 8, "\x93NUMPY\x01\x00", 8), 0) << path;
    const std::size_t length = std::uint8_t(text[8]) | std::size_t(std::uint8_t(text[9])) << 8;
    EXPECT_EQ((10 + length) % 64, 0u) << "numpy aligns the data";
    const std::string dict = text.substr(10, length);
    EXPECT_EQ(dict.back(), '\n');
    Npy n;
    const std::size_t d = dict.find("'descr': '") + 10;
    n.descr = dict.substr(d, 3);
    EXPECT_NE(dict.find("'fortran_order': False"), std::string::npos);
    const std::size_t s = dict.find("'shape': (") + 10;
    n.rows = std::stoul(dict.substr(s));
    n.cols = std::stoul(dict.substr(dict.find(", ", s) + 2));
    n.bytes.assign(text.begin() + 10 + long(length), text.end());
    EXPECT_EQ(n.bytes.size(), n.rows * n.cols * 8) << path;
    return n;
}

// Two elements (H = 1, O = 8), radial and both angular types, two structures (triclinic, cluster).
struct Case {
    NnSettings settings = testdata::settingsOf(testdata::mixedSet(1, 8, 4.0, 6, 0.0));
    Dataset data;
    Case() {
        testdata::Rng rng(1907);
        data.structures.push_back(testdata::periodic(rng, testdata::triclinic(rng, 6.0), 14, {1, 8}, 0.9));
        data.structures.push_back(testdata::cluster(rng, 5.0, 9, {8, 1}, 0.9));
        for (auto& s : data.structures) s.energy = -1.5 * double(s.numAtoms());
    }
};
}  // namespace

TEST_F(FeaturesCli, FilesHoldTheEngineValuesAndDerivatives) {
    const std::string bin = AGL_BINARY;
    if (!fs::exists(bin)) GTEST_SKIP() << "agl binary not built";
    const Case c;
    writeDataset(path("input.data"), c.data, StructureFormat::InputData, false);
    writeNnSettings(path("input.nn"), c.settings, false);
    const std::string cmd = bin + " features -q --derivatives --data " + path("input.data") + " --nn " +
                            path("input.nn") + " --out " + path("out");
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    // What the command read back (the data file rounds positions to its text).
    const Dataset data = readDataset(path("input.data"), StructureFormat::InputData);
    const FeatureEngine engine(readNnSettings(path("input.nn")));
    std::vector<StructureFeatures> values, f;  // G without derivatives, then with (G_<El>.npy: from that pass)
    for (const Structure& s : data.structures) {
        values.push_back(engine.compute(s, false, 1));
        f.push_back(engine.compute(s, true, 1));
    }

    std::ifstream jf(path("out/features.json"));
    const nlohmann::json j = nlohmann::json::parse(jf);
    ASSERT_EQ(j["elements"].size(), 2u);
    for (const auto& e : j["elements"]) {
        const Npy g = readNpy(path("out/" + e["file"].get<std::string>()));
        const Npy d = readNpy(path("out/" + e["derivatives"]["file"].get<std::string>()));
        const Npy idx = readNpy(path("out/" + e["derivatives"]["index"].get<std::string>()));
        EXPECT_EQ(g.descr, "<f8");
        EXPECT_EQ(d.descr, "<f8");
        EXPECT_EQ(idx.descr, "<i8");
        EXPECT_EQ(nlohmann::json({g.rows, g.cols}), e["shape"]);
        EXPECT_EQ(nlohmann::json({d.rows, d.cols}), e["derivatives"]["shape"]);
        EXPECT_EQ(nlohmann::json({idx.rows, idx.cols}), e["derivatives"]["index_shape"]);
        const std::size_t nf = g.cols;
        ASSERT_EQ(d.cols, 3 * nf);
        ASSERT_EQ(idx.rows, d.rows);
        ASSERT_GT(d.rows, g.rows) << "every centre has itself and neighbours";
        // G rows: the engine's values of the derivative pass, bit for bit.
        for (std::size_t r = 0; r < g.rows; ++r) {
            const std::size_t s = e["structure"][r], i = e["atom"][r];
            for (std::size_t fn = 0; fn < nf; ++fn) ASSERT_EQ(g.at<double>(r, fn), f[s].g(i)[fn]);
        }
        // Derivative rows: the engine's blocks in entry order, and central differences of G.
        std::size_t row = 0;
        for (std::size_t r = 0; r < g.rows; ++r) {
            const std::size_t s = e["structure"][r], i = e["atom"][r];
            for (std::uint32_t k = f[s].derivativeOffsets[i]; k < f[s].derivativeOffsets[i + 1]; ++k, ++row) {
                ASSERT_EQ(idx.at<std::int64_t>(row, 0), std::int64_t(r));
                ASSERT_EQ(idx.at<std::int64_t>(row, 1), std::int64_t(f[s].derivativeAtom[k]));
                for (std::size_t v = 0; v < 3 * nf; ++v) ASSERT_EQ(d.at<double>(row, v), f[s].dGdr(i, k)[v]);
            }
        }
        EXPECT_EQ(row, d.rows);
        for (std::size_t entry = 0; entry < d.rows; entry += 7) {  // every 7th entry against finite differences
            const auto r = std::size_t(idx.at<std::int64_t>(entry, 0)), k = std::size_t(idx.at<std::int64_t>(entry, 1));
            const std::size_t s = e["structure"][r], i = e["atom"][r];
            for (int x = 0; x < 3; ++x) {
                Structure plus = data.structures[s], minus = plus;
                const double h = 1e-5;
                plus.positions[k][x] += h;
                minus.positions[k][x] -= h;
                const StructureFeatures fp = engine.compute(plus, false, 1), fm = engine.compute(minus, false, 1);
                for (std::size_t fn = 0; fn < nf; ++fn) {
                    const double fd = (fp.g(i)[fn] - fm.g(i)[fn]) / (2 * h), got = d.at<double>(entry, x * nf + fn);
                    EXPECT_NEAR(got, fd, 1e-6 * (1.0 + std::abs(fd))) << "entry " << entry << " x " << x << " f " << fn;
                }
            }
        }
    }
    // Without --derivatives: no derivative files, and features.json says none.
    const std::string plain = bin + " features -q --data " + path("input.data") + " --nn " + path("input.nn") +
                              " --out " + path("plain");
    ASSERT_EQ(std::system(plain.c_str()), 0);
    std::ifstream pf(path("plain/features.json"));
    const nlohmann::json p = nlohmann::json::parse(pf);
    EXPECT_FALSE(p["elements"][0].contains("derivatives"));
    EXPECT_FALSE(fs::exists(path("plain/dGdr_H.npy")));
    for (const auto& e : p["elements"]) {  // and G of the energies-only pass, bit for bit
        const Npy g = readNpy(path("plain/" + e["file"].get<std::string>()));
        for (std::size_t r = 0; r < g.rows; ++r) {
            const std::size_t s = e["structure"][r], i = e["atom"][r];
            for (std::size_t fn = 0; fn < g.cols; ++fn) ASSERT_EQ(g.at<double>(r, fn), values[s].g(i)[fn]);
        }
    }
    EXPECT_FALSE(fs::exists(path("plain/state"))) << "a finished run leaves no state";
}

// An interrupted run continues where it stopped and ends with the files of a straight run, byte for byte:
// after --stop-after (what SIGINT does) and after a kill that left half a chunk in every file.
TEST_F(FeaturesCli, ResumesAfterAnInterruptionWithTheFilesOfAStraightRun) {
    const std::string bin = AGL_BINARY;
    if (!fs::exists(bin)) GTEST_SKIP() << "agl binary not built";
    Case c;
    testdata::Rng rng(1908);
    for (int k = 0; k < 5; ++k)
        c.data.structures.push_back(testdata::periodic(rng, testdata::triclinic(rng, 6.0), 10 + k, {1, 8}, 0.9));
    writeDataset(path("input.data"), c.data, StructureFormat::InputData, false);
    writeNnSettings(path("input.nn"), c.settings, false);
    const auto run = [&](const std::string& out, const std::string& extra) {
        const std::string cmd = bin + " features -q --derivatives --write-function-data --chunk 2 --data " +
                                path("input.data") + " --nn " + path("input.nn") + " --out " + path(out) + " " +
                                extra + " 2> " + path("stderr.txt");
        const int status = std::system(cmd.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    ASSERT_EQ(run("straight", ""), 0);
    const std::vector<std::string> files = {"G_H.npy",     "G_O.npy",      "dGdr_H.npy",    "dGdr_H_index.npy",
                                            "dGdr_O.npy",  "dGdr_O_index.npy", "scaling.data", "function.data",
                                            "features.json"};
    const auto expectSameFiles = [&](const std::string& out) {
        for (const std::string& f : files)  // not EXPECT_EQ: its message would print the binary files
            EXPECT_TRUE(read(path(out + "/" + f)) == read(path("straight/" + f))) << out << "/" << f << " differs";
        EXPECT_FALSE(fs::exists(path(out + "/state")));
    };

    ASSERT_EQ(run("stopped", "--stop-after 2"), 130) << read(path("stderr.txt"));
    EXPECT_FALSE(fs::exists(path("stopped/features.json")));
    EXPECT_NE(run("stopped", "--chunk 3 --precision fp32 --device cpu --threads 1"), 130);  // chunk, threads: free
    expectSameFiles("stopped");

    // A kill after the progress of 2 chunks was recorded, while the third was being written.
    ASSERT_EQ(run("killed", "--stop-after 2"), 130);
    const std::string progress = read(path("killed/state/features_progress.json"));
    ASSERT_EQ(run("killed", "--stop-after 1"), 130);
    for (const auto& part : fs::directory_iterator(path("killed/state")))
        if (part.path().extension() == ".part") {
            std::ofstream(part.path(), std::ios::app | std::ios::binary) << "half a row";
        }
    std::ofstream(path("killed/state/features_progress.json")) << progress;
    ASSERT_EQ(run("killed", ""), 0) << read(path("stderr.txt"));
    expectSameFiles("killed");

    // A run with other options (here: without --derivatives) is refused, naming the state; --restart starts over.
    ASSERT_EQ(run("other", "--stop-after 1"), 130);
    const std::string noDerivatives = bin + " features -q --chunk 2 --data " + path("input.data") + " --nn " +
                                      path("input.nn") + " --out " + path("other") + " 2> " + path("stderr.txt");
    EXPECT_NE(std::system(noDerivatives.c_str()), 0);
    EXPECT_NE(read(path("stderr.txt")).find("other/state/config.json"), std::string::npos) << read(path("stderr.txt"));
    ASSERT_EQ(run("other", "--restart"), 0) << read(path("stderr.txt"));
    expectSameFiles("other");

    // One flipped bit in a finished row of a state file: refused (the rows do not match their checksum), the
    // state kept; --restart starts over.
    ASSERT_EQ(run("damaged", "--stop-after 2"), 130);
    {
        std::fstream f(path("damaged/state/features_dGdr_O.npy.part"), std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(200);
        const char byte = char(f.get() ^ 0x10);
        f.seekp(200);
        f.put(byte);
    }
    EXPECT_EQ(run("damaged", ""), 1);
    EXPECT_NE(read(path("stderr.txt")).find("features_dGdr_O.npy.part: damaged"), std::string::npos)
        << read(path("stderr.txt"));
    EXPECT_TRUE(fs::exists(path("damaged/state/features_progress.json")));
    ASSERT_EQ(run("damaged", "--restart"), 0) << read(path("stderr.txt"));
    expectSameFiles("damaged");

    // A kill while finish() moved the files into place (after G_H.npy and scaling.data, here written by hand:
    // the progress says finish() had begun): the rerun takes G_H.npy back, checks it and finishes without --force.
    ASSERT_EQ(run("finishing", "--stop-after 2"), 130);
    const std::string progressPath = path("finishing/state/features_progress.json");
    nlohmann::json p = nlohmann::json::parse(read(progressPath));
    p.erase("checksum");
    p["finishing"] = true;
    p["checksum"] = fnv1a64(p.dump());
    std::ofstream(progressPath) << p.dump(1);
    fs::rename(path("finishing/state/features_G_H.npy.part"), path("finishing/G_H.npy"));
    std::ofstream(path("finishing/scaling.data")) << "written before the kill";
    ASSERT_EQ(run("finishing", ""), 0) << read(path("stderr.txt"));
    expectSameFiles("finishing");
}
