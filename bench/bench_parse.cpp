// bench_parse: streaming input.data parser (agl::readDataset) against a naive iostream parser, same file,
// same run. Generates a synthetic input.data (default 2000 structures × 256 atoms, ~60 MB) in a temp folder.
//   usage: bench_parse [numStructures] [atomsPerStructure]
// Both parsers read the same numbers; agl's also validates (NaN/Inf, cell, wrapping, close atoms).
// Prints MB/s of each (best of 3), their ratio, and the memory held by the parsed data set. Times are the
// thread's CPU time (CLOCK_THREAD_CPUTIME_ID): on a shared, loaded machine wall time mostly measures the
// other processes; single-threaded CPU time is what "MB/s on one core" means.
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>

#include "agl/element.hpp"
#include "agl/io.hpp"
#include "agl/neighbor_list.hpp"

namespace fs = std::filesystem;

namespace {
double cpuSeconds() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
}  // namespace

namespace {

// Atoms on a jittered simple-cubic grid in a slightly triclinic cell, values printed like the public data.
std::string generate(int numStructures, int atoms, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(-1, 1);
    std::string text;
    char line[256];
    int side = 1;
    while (side * side * side < atoms) ++side;
    const double spacing = 2.5, len = side * spacing;
    for (int k = 0; k < numStructures; ++k) {
        text += "begin\ncomment synthetic structure " + std::to_string(k) + "\n";
        std::snprintf(line, sizeof line, "lattice %.10f %.10f %.10f\nlattice %.10f %.10f %.10f\nlattice %.10f %.10f %.10f\n",
                      len, 0.0, 0.0, 0.3 * u(rng), len, 0.0, 0.2 * u(rng), 0.1 * u(rng), len);
        text += line;
        for (int i = 0; i < atoms; ++i) {
            double x = (i % side + 0.5 + 0.2 * u(rng)) * spacing, y = (i / side % side + 0.5 + 0.2 * u(rng)) * spacing,
                   z = (i / side / side + 0.5 + 0.2 * u(rng)) * spacing;
            std::snprintf(line, sizeof line, "atom %.10f %.10f %.10f %s 0.0 0.0 %.10f %.10f %.10f\n", x, y, z,
                          i % 4 ? "Si" : "O", u(rng), u(rng), u(rng));
            text += line;
        }
        std::snprintf(line, sizeof line, "energy %.10f\ncharge 0.0\nend\n", -5.0 * atoms + u(rng));
        text += line;
    }
    return text;
}

// The baseline a first implementation would write: getline + istringstream + operator>> per token.
agl::Dataset naiveRead(const std::string& path) {
    agl::Dataset data;
    std::ifstream in(path);
    std::string line, kw;
    agl::Structure s;
    int lattice = 0;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        if (!(ls >> kw)) continue;
        if (kw == "begin") {
            s = agl::Structure{};
            lattice = 0;
        } else if (kw == "lattice") {
            ls >> s.cell[lattice].x >> s.cell[lattice].y >> s.cell[lattice].z;
            ++lattice;
        } else if (kw == "atom") {
            agl::Vec3d r, f;
            std::string el;
            double c, n;
            ls >> r.x >> r.y >> r.z >> el >> c >> n >> f.x >> f.y >> f.z;
            s.positions.push_back(r);
            s.elements.push_back(agl::atomicNumber(el));
            s.atomCharges.push_back(c);
            s.forces.push_back(f);
        } else if (kw == "energy") {
            ls >> s.energy;
        } else if (kw == "charge") {
            ls >> s.charge;
        } else if (kw == "end") {
            s.periodic = lattice == 3;
            data.structures.push_back(std::move(s));
        }
    }
    return data;
}

long rssKiB() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

template <typename F>
double bestSeconds(F&& f, std::size_t expectAtoms) {
    double best = 1e30;
    for (int rep = 0; rep < 3; ++rep) {
        const double t0 = cpuSeconds();
        agl::Dataset d = f();
        const double s = cpuSeconds() - t0;
        if (d.numAtoms() != expectAtoms) {
            std::fprintf(stderr, "parser returned %zu atoms, expected %zu\n", d.numAtoms(), expectAtoms);
            std::exit(1);
        }
        best = std::min(best, s);
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const int numStructures = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int atoms = argc > 2 ? std::atoi(argv[2]) : 256;
    std::mt19937_64 rng(12345);
    const fs::path dir = fs::temp_directory_path() / ("agl_bench_parse_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string path = (dir / "input.data").string();
    {
        std::string text = generate(numStructures, atoms, rng);
        std::ofstream(path, std::ios::binary) << text;
    }
    const double mb = static_cast<double>(fs::file_size(path)) / 1e6;
    const std::size_t expectAtoms = static_cast<std::size_t>(numStructures) * atoms;
    std::printf("file: %d structures x %d atoms, %.1f MB\n", numStructures, atoms, mb);

    // Memory: RSS growth while one parsed data set is held, against its payload.
    const long before = rssKiB();
    agl::Dataset held = agl::readDataset(path, agl::StructureFormat::InputData);
    const long after = rssKiB();
    const double payload = static_cast<double>(held.numAtoms()) * (3 * 8 * 2 + 8 + 4) / 1e6;
    std::printf("memory: parsed payload %.1f MB, RSS growth %.1f MB (ratio %.2f)\n", payload,
                static_cast<double>(after - before) * 1024 / 1e6,
                static_cast<double>(after - before) * 1024 / 1e6 / payload);
    // The close-atom check (agl::findPairCloserThan, core job) is part of every read; time it alone to split
    // the reader's time into text parsing and that check.
    double tCheck = 1e30;
    for (int rep = 0; rep < 3; ++rep) {
        const double t0 = cpuSeconds();
        std::size_t found = 0;
        for (const auto& s : held.structures) found += agl::findPairCloserThan(s, 0.1).has_value();
        tCheck = std::min(tCheck, cpuSeconds() - t0);
        if (found) std::printf("unexpected close pair\n");
    }
    held = agl::Dataset{};

    const double tAgl = bestSeconds([&] { return agl::readDataset(path, agl::StructureFormat::InputData); }, expectAtoms);
    const double tNaive = bestSeconds([&] { return naiveRead(path); }, expectAtoms);
    std::printf("baseline  iostream getline+istringstream : %8.1f MB/s  (%.3f s)\n", mb / tNaive, tNaive);
    std::printf("candidate agl::readDataset (validating)  : %8.1f MB/s  (%.3f s)\n", mb / tAgl, tAgl);
    std::printf("  of which close-atom check (findPairCloserThan): %.3f s; text parsing alone: %.1f MB/s\n", tCheck,
                mb / (tAgl - tCheck));
    std::printf("speed-up: %.2fx\n", tNaive / tAgl);
    fs::remove_all(dir);
    return 0;
}
