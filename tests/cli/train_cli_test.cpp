// agl train / predict / lr-find end to end through the built binary (AGL_BINARY) on a tiny generated data set:
// 60 clusters of 6 Ar-like atoms with Lennard-Jones energies, 4 radial symmetry functions.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) : path(fs::temp_directory_path() / ("agl_train_cli_" + name)) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string operator/(const std::string& f) const { return (path / f).string(); }
};

// Exit status of `agl <args>` (quiet; stdout and stderr to files in the temp dir).
int agl(const TempDir& dir, const std::string& args) {
    const std::string cmd = std::string(AGL_BINARY) + " " + args + " > " + (dir / "stdout.txt") + " 2> " +
                            (dir / "stderr.txt");
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Random clusters (no cell) of `atoms` atoms with minimum distance 0.9, energy = Σ_pairs 4(r⁻¹² − r⁻⁶);
// every second atom is element `second` when one is given (else all Ar).
void writeData(const std::string& path, int numStructures, int atoms, std::uint64_t seed,
               const std::string& second = "Ar") {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 2.2);
    std::ofstream out(path);
    out.precision(12);
    for (int s = 0; s < numStructures; ++s) {
        std::vector<std::array<double, 3>> x;
        while (int(x.size()) < atoms) {
            const std::array<double, 3> p{u(rng), u(rng), u(rng)};
            bool ok = true;
            for (const auto& q : x)
                ok = ok && std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) > 0.9;
            if (ok) x.push_back(p);
        }
        double e = 0.0;
        for (int i = 0; i < atoms; ++i)
            for (int j = i + 1; j < atoms; ++j) {
                const double r = std::hypot(x[i][0] - x[j][0], x[i][1] - x[j][1], x[i][2] - x[j][2]);
                e += 4.0 * (std::pow(r, -12) - std::pow(r, -6));
            }
        out << "begin\ncomment lj cluster " << s << "\n";
        for (std::size_t i = 0; i < x.size(); ++i)
            out << "atom " << x[i][0] << " " << x[i][1] << " " << x[i][2] << " " << (i % 2 ? second : "Ar")
                << " 0 0 0 0 0\n";
        out << "energy " << e << "\ncharge 0\nend\n";
    }
}

void writeNn(const std::string& path, const std::string& extra = "") {
    std::ofstream out(path);
    out << "number_of_elements 1\nelements Ar\ncutoff_type 6 0.0\nscale_symmetry_functions_sigma\n"
           "global_hidden_layers_short 1\nglobal_nodes_short 6\nglobal_activation_short t l\n"
           "symfunction_short Ar 2 Ar 0.1 0.0 3.0\nsymfunction_short Ar 2 Ar 0.5 0.0 3.0\n"
           "symfunction_short Ar 2 Ar 2.0 1.0 3.0\nsymfunction_short Ar 2 Ar 4.0 1.5 3.0\n"
        << extra;
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    nlohmann::json j;
    in >> j;
    return j;
}

// dir/input.data (writeData) and dir/input.nn (writeNn); returns " --data DIR/input.data --nn DIR/input.nn".
std::string writeInputs(const TempDir& dir, int numStructures, int atoms, std::uint64_t seed) {
    writeData(dir / "input.data", numStructures, atoms, seed);
    writeNn(dir / "input.nn");
    return " --data " + (dir / "input.data") + " --nn " + (dir / "input.nn");
}

class TrainCli : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(AGL_BINARY)) GTEST_SKIP() << "agl binary not built";
    }
};

TEST_F(TrainCli, TrainsExportsAndPredictReproducesTestRmse) {
    TempDir dir("end_to_end");
    writeData(dir / "input.data", 60, 6, 3);
    writeNn(dir / "input.nn", "atom_energy Ar -0.5\n");
    const std::string common = "--data " + (dir / "input.data") + " --nn " + (dir / "input.nn") + " --device cpu";
    ASSERT_EQ(agl(dir, "train " + common + " --out " + (dir / "run") +
                           " --epochs 15 --batch 8 --lr 5e-3 --models 2 --seed 4 --checkpoint-every 5"),
              0)
        << readText(dir / "stderr.txt");
    for (const char* f : {"training.csv", "result.json", "checkpoint.ckpt", "run.json", "potential/input.nn",
                          "potential/scaling.data", "potential/weights.018.data"})
        EXPECT_TRUE(fs::exists(dir / ("run/" + std::string(f)))) << f;
    // training.csv: a header and one row per model and epoch (at most 15 epochs, at least 11 with patience auto,
    // which is at least 10)
    std::ifstream csv(dir / "run/training.csv");
    std::string line;
    int rows = 0;
    std::getline(csv, line);
    EXPECT_EQ(line.rfind("model,epoch,", 0), 0u);
    while (std::getline(csv, line)) ++rows;
    EXPECT_GE(rows, 2 * 11);  // patience >= 10: every model trains at least 11 epochs
    EXPECT_LE(rows, 2 * 15);
    const nlohmann::json result = readJson(dir / "run/result.json");
    ASSERT_TRUE(result["test_rmse_per_atom"].is_number());
    const double testRmse = result["test_rmse_per_atom"].get<double>();
    EXPECT_GT(testRmse, 0.0);
    EXPECT_TRUE(readText(dir / "run/potential/input.nn").find("atom_energy") != std::string::npos);

    // predict on the whole data set; the test structures' per-atom errors must reproduce train's test RMSE.
    ASSERT_EQ(agl(dir, "predict --potential " + (dir / "run/potential") + " --data " + (dir / "input.data") +
                           " --device cpu --out " + (dir / "pred.csv") + " --per-atom"),
              0)
        << readText(dir / "stderr.txt");
    std::vector<double> errorPerAtom, predicted;
    std::ifstream pred(dir / "pred.csv");
    std::getline(pred, line);
    while (std::getline(pred, line)) {
        std::stringstream ss(line);
        std::string field;
        std::vector<std::string> f;
        while (std::getline(ss, field, ',')) f.push_back(field);
        ASSERT_EQ(f.size(), 5u) << line;
        predicted.push_back(std::stod(f[3]));
        errorPerAtom.push_back(std::stod(f[4]));
    }
    ASSERT_EQ(errorPerAtom.size(), 60u);
    // train's test RMSE from the per-structure errors of predict on its test structures.
    ASSERT_TRUE(result.contains("test_structures"));
    const nlohmann::json& testSet = result["test_structures"];
    ASSERT_EQ(testSet.size(), result["num_test"].get<std::size_t>());
    double sum = 0.0;
    for (int s : testSet) sum += errorPerAtom.at(s) * errorPerAtom.at(s);
    // predict's CSV has 10 significant digits per error.
    EXPECT_NEAR(std::sqrt(sum / double(testSet.size())), testRmse, 1e-8 * testRmse);
    // Per-atom energies sum to the structure energies (atom_energy included).
    std::ifstream atoms(dir / "pred_atoms.csv");
    std::getline(atoms, line);
    EXPECT_EQ(line, "structure,atom,element,atomic_energy");
    std::vector<double> sums(60, 0.0);
    int numAtoms = 0;
    while (std::getline(atoms, line)) {
        std::stringstream ss(line);
        std::string s, a, el, e;
        std::getline(ss, s, ',');
        std::getline(ss, a, ',');
        std::getline(ss, el, ',');
        std::getline(ss, e, ',');
        EXPECT_EQ(el, "Ar");
        sums.at(std::stoul(s)) += std::stod(e);
        ++numAtoms;
    }
    EXPECT_EQ(numAtoms, 360);
    for (int s = 0; s < 60; ++s) EXPECT_NEAR(sums[s], predicted[s], 1e-8 * (1.0 + std::fabs(predicted[s])));
}

// Per-element networks (n2p2 element_nodes_short): Ne gets 3 hidden nodes, Ar the global 6. The exported
// potential keeps the override, its weight files have each element's own size, and predict reproduces the
// test RMSE that train reported.
TEST_F(TrainCli, PerElementNetworksTrainExportAndPredict) {
    TempDir dir("element_networks");
    writeData(dir / "input.data", 40, 6, 5, "Ne");
    {
        std::ofstream out(dir / "input.nn");
        out << "number_of_elements 2\nelements Ar Ne\ncutoff_type 6 0.0\nscale_symmetry_functions_sigma\n"
               "global_hidden_layers_short 1\nglobal_nodes_short 6\nglobal_activation_short t l\n"
               "element_nodes_short Ne 1 3\n"
               "symfunction_short Ar 2 Ar 0.1 0.0 3.0\nsymfunction_short Ar 2 Ne 0.5 0.0 3.0\n"
               "symfunction_short Ne 2 Ar 0.1 0.0 3.0\nsymfunction_short Ne 2 Ne 0.5 0.0 3.0\n"
               "symfunction_short Ne 2 Ar 2.0 1.0 3.0\n";
    }
    ASSERT_EQ(agl(dir, "train --data " + (dir / "input.data") + " --nn " + (dir / "input.nn") +
                           " --device cpu --out " + (dir / "run") + " --epochs 6 --batch 8 --lr 5e-3 --seed 2"),
              0)
        << readText(dir / "stderr.txt");
    EXPECT_NE(readText(dir / "run/potential/input.nn").find("element_nodes_short Ne 1 3"), std::string::npos)
        << readText(dir / "run/potential/input.nn");
    auto numWeights = [&](const std::string& file) {
        std::ifstream in(dir / ("run/potential/" + file));
        std::string line;
        int n = 0;
        while (std::getline(in, line))
            if (!line.empty() && line[0] != '#') ++n;
        return n;
    };
    EXPECT_EQ(numWeights("weights.018.data"), 2 * 6 + 6 + 6 + 1);  // Ar: 2 features → 6 → 1
    EXPECT_EQ(numWeights("weights.010.data"), 3 * 3 + 3 + 3 + 1);  // Ne: 3 features → 3 → 1
    ASSERT_EQ(agl(dir, "predict --potential " + (dir / "run/potential") + " --data " + (dir / "input.data") +
                           " --device cpu --out " + (dir / "pred.csv")),
              0)
        << readText(dir / "stderr.txt");
    const nlohmann::json result = readJson(dir / "run/result.json");
    std::vector<double> errorPerAtom;
    std::ifstream pred(dir / "pred.csv");
    std::string line;
    std::getline(pred, line);
    while (std::getline(pred, line)) errorPerAtom.push_back(std::stod(line.substr(line.rfind(',') + 1)));
    ASSERT_EQ(errorPerAtom.size(), 40u);
    double sum = 0.0;
    for (int s : result["test_structures"]) sum += errorPerAtom.at(s) * errorPerAtom.at(s);
    const double testRmse = result["test_rmse_per_atom"].get<double>();
    EXPECT_NEAR(std::sqrt(sum / double(result["test_structures"].size())), testRmse, 1e-8 * testRmse);
}

TEST_F(TrainCli, ResumeAfterInterruptionGivesTheSameModel) {
    TempDir dir("resume");
    const std::string inputs = writeInputs(dir, 40, 5, 8);
    const std::string args = "train" + inputs +
                             " --device cpu --epochs 12 --patience 100 --batch 8 --lr 3e-3 --seed 2 --checkpoint-every 4";
    ASSERT_EQ(agl(dir, args + " --out " + (dir / "straight")), 0) << readText(dir / "stderr.txt");
    // Interrupted after epoch 5 (between the checkpoints of epochs 4 and 8): exit 130 with a checkpoint.
    ASSERT_EQ(agl(dir, args + " --out " + (dir / "resumed") + " --stop-after 5"), 130) << readText(dir / "stderr.txt");
    EXPECT_NE(readText(dir / "stderr.txt").find("interrupted after epoch 5"), std::string::npos);
    EXPECT_EQ(agl(dir, args + " --out " + (dir / "resumed")), 1) << "an existing run needs --resume or --force";
    EXPECT_NE(readText(dir / "stderr.txt").find("exists"), std::string::npos) << readText(dir / "stderr.txt");
    ASSERT_EQ(agl(dir, args + " --out " + (dir / "resumed") + " --resume"), 0) << readText(dir / "stderr.txt");
    EXPECT_EQ(readText(dir / "straight/potential/weights.018.data"), readText(dir / "resumed/potential/weights.018.data"));
    EXPECT_EQ(readText(dir / "straight/training.csv"), readText(dir / "resumed/training.csv"));
    // Changing a checked option on resume is refused.
    EXPECT_NE(agl(dir, args + " --out " + (dir / "resumed") + " --resume --batch 4"), 0);
    EXPECT_NE(readText(dir / "stderr.txt").find("--resume needs the options"), std::string::npos);
}

TEST_F(TrainCli, SigintFinishesTheEpochCheckpointsAndExitsNonZero) {
    TempDir dir("sigint");
    const std::string inputs = writeInputs(dir, 200, 6, 9);
    // SIGINT during training: the run finishes its epoch, writes a checkpoint and exits with status 130.
    const std::string train = std::string(AGL_BINARY) + " train" + inputs +
                              " --device cpu --epochs 100000 --patience 100000 --batch 4 " +
                              "--checkpoint-every 0 --out " + (dir / "run");
    // The signal is sent once training runs (run.json is written just before the first epoch).
    const std::string cmd = "(" + train + " 2> " + (dir / "stderr.txt") + " & pid=$!; i=0; while [ ! -f " +
                            (dir / "run/run.json") + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; " +
                            "sleep 0.5; kill -INT $pid; wait $pid; echo $? > " + (dir / "status.txt") + ")";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_EQ(readText(dir / "status.txt"), "130\n") << readText(dir / "stderr.txt");
    EXPECT_NE(readText(dir / "stderr.txt").find("--resume"), std::string::npos) << readText(dir / "stderr.txt");
    EXPECT_TRUE(fs::exists(dir / "run/checkpoint.ckpt"));
    EXPECT_TRUE(fs::exists(dir / "run/training.csv"));
}

TEST_F(TrainCli, LrFindProposesARate) {
    TempDir dir("lrfind");
    const std::string inputs = writeInputs(dir, 40, 5, 5);
    ASSERT_EQ(agl(dir, "lr-find" + inputs +
                           " --device cpu --batch 8 --steps 60 --min-lr 1e-6 --max-lr 1"),
              0)
        << readText(dir / "stderr.txt");
    const std::string out = readText(dir / "stdout.txt");
    const auto at = out.find("proposed learning rate: ");
    ASSERT_NE(at, std::string::npos) << out;
    const double rate = std::stod(out.substr(at + 24));
    EXPECT_GE(rate, 1e-6);
    EXPECT_LE(rate, 1.0);
}

// The defaults follow the data size: 48 training structures get mini-batches of 3 (16 per epoch) and a
// patience of ⌈1000 / 16⌉ = 63 epochs; given numbers are taken as they are.
TEST_F(TrainCli, AutoBatchAndPatienceFollowTheDataSize) {
    TempDir dir("auto_batch");
    const std::string inputs = writeInputs(dir, 60, 4, 5);
    const std::string base = "train" + inputs +
                             " --device cpu --epochs 2 --validation 0.1 --test 0.1";
    ASSERT_EQ(agl(dir, base + " --out " + (dir / "auto")), 0) << readText(dir / "stderr.txt");
    const std::string automatic = readText(dir / "stderr.txt");
    EXPECT_NE(automatic.find("mini-batches of 3 structures (--batch auto, 48 training structures)"), std::string::npos)
        << automatic;
    EXPECT_NE(automatic.find("patience 63 epochs"), std::string::npos) << automatic;
    // --validation/--test are the older spellings of --validation-fraction/--test-fraction (as in select,
    // evaluate and compare): the same run.
    const std::string respelled = "train" + inputs + " --device cpu --epochs 2 --validation-fraction=0.1 --test-fraction 0.1";
    ASSERT_EQ(agl(dir, respelled + " --out " + (dir / "respelled")), 0) << readText(dir / "stderr.txt");
    EXPECT_EQ(readText((dir / "respelled") + "/training.csv"), readText((dir / "auto") + "/training.csv"));
    ASSERT_EQ(agl(dir, base + " --out " + (dir / "given") + " --batch 8 --patience 7"), 0);
    const std::string given = readText(dir / "stderr.txt");
    EXPECT_EQ(given.find("--batch auto"), std::string::npos) << given;
    EXPECT_NE(given.find("patience 7 epochs"), std::string::npos) << given;
}

// A refused option exits 2 (as for an option cxxopts cannot parse), bad inputs exit 1; both say why.
TEST_F(TrainCli, BadOptionsFailWithAMessage) {
    TempDir dir("bad");
    const std::string inputs = writeInputs(dir, 20, 4, 1);
    const std::string base = "train" + inputs + " --device cpu";
    struct Case {
        std::string args, message;
        int status;
    } cases[] = {
        {base, "--out is required", 2},
        {base + " --out " + (dir / "o1") + " --lr fast", "--lr must be a positive number or 'auto'", 2},
        {base + " --out " + (dir / "o2") + " --schedule linear", "--schedule must be constant or cosine", 2},
        {base + " --out " + (dir / "o3") + " --validation 0.6 --test 0.5", "below 1", 2},
        {base + " --out " + (dir / "o4") + " --batch 0", "--batch must be 'auto' or a whole number >= 1, not '0'", 2},
        {base + " --out " + (dir / "o4") + " --batch abc", "--batch must be 'auto' or a whole number", 2},
        {base + " --out " + (dir / "o4") + " --epochs abc", "--epochs: Argument", 2},  // cxxopts' own parse error
        {base + " --out " + (dir / "o4") + " --patience=1.5", "--patience must be 'auto' or a whole number", 2},
        {base + " --out " + (dir / "o4") + " --patience 0", "--patience must be 'auto' or a whole number", 2},
        {base + " --out " + (dir / "o4") + " --validation nan", "--validation: Argument", 2},
        {base + " --out " + (dir / "o4") + " --precision fp16", "--precision: must be fp32 or fp64", 2},
        {base + " --out " + (dir / "o4") + " --device tpu", "--device: must be auto, cpu or gpu", 2},
        {base + " --out " + (dir / "o5") + " --resume", "no checkpoint", 1},
        {"predict --data " + (dir / "input.data") + " --potential " + (dir / "nowhere"), "nowhere", 1},
        {"train --data " + (dir / "missing.data") + " --nn " + (dir / "input.nn") + " --out " + (dir / "o6"),
         "missing.data", 1},
        {"lr-find" + inputs + " --min-lr 1 --max-lr 0.1", "--min-lr < --max-lr", 2},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(agl(dir, c.args), c.status) << c.args;
        EXPECT_NE(readText(dir / "stderr.txt").find(c.message), std::string::npos)
            << c.args << "\n" << readText(dir / "stderr.txt");
    }
}

}  // namespace
