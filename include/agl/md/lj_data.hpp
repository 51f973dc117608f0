// The paper's Lennard-Jones training data (section II.A): NVT runs of 256 atoms (fcc 4×4×4) with the LJ
// potential (σ = ε = m = 1, rc = 2.8, truncated without shift), Nosé–Hoover chain thermostat, dt = 0.001 τ,
// equilibration, then one sample every 300 steps; each sample is an n2p2 structure (element written as Ar,
// energy = potential energy, forces, charge 0).
//
// State points (21 runs; the paper's Fig. 1(a) shows T 0.5–1.5 and ρ 0.9–1.1, some points started both as a
// crystal and as a liquid; its exact list is not given, so this grid is our documented choice):
//   fcc starts:    T ∈ {0.50, 0.75, 1.00, 1.25, 1.50} × ρ ∈ {0.90, 1.00, 1.10}            (15 runs)
//   molten starts: ρ = 0.90 × T ∈ {0.75, 1.00, 1.25, 1.50};  ρ = 1.00 × T ∈ {1.25, 1.50}    (6 runs)
// (the liquid is stable or metastable there for this cutoff: above the triple point T ≈ 0.69 and at or below
// the freezing density). A molten start heats the fcc crystal at T_melt = 3.0 for `meltTime`, then
// thermostats at the target T for the equilibration.
//
// Presets:
//   paper: equilibration 500 τ, melt 20 τ, 1333 samples per run → 21 × 1333 = 27 993 structures (the paper's
//          "28 000"); about 0.9 M steps per run (~2–3 min per run on one core, ~45 min in all).
//   small: equilibration 4 τ, melt 4 τ, 16 samples per run → 336 structures (~0.2 M steps, ~30 s on one
//          core; test and demo data, not equilibrated to the paper's standard).
//
// Output: every run is written to its own part file `<out>.parts/NN_<label>.data`; a rerun skips finished
// parts (a manifest in the folder must match the protocol and seed). When all parts exist they are
// concatenated in state order into `<out>` (atomically), then the parts folder is removed. Each run's random
// stream is std::mt19937_64 seeded from (seed, run index), so the file is the same for any thread count.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "agl/md/lj_pair.hpp"
#include "agl/structure.hpp"

namespace agl::md {

struct LjStatePoint {
    double temperature = 1.0;   // ε/k_B
    double density = 1.0;       // atoms/σ³
    bool molten = false;        // start from a melted crystal instead of the perfect fcc crystal
    std::string label() const;  // "T0.50_rho0.90_fcc"
};

struct LjProtocol {
    std::string name;                       // "paper", "small" or "custom"
    std::vector<LjStatePoint> states;
    LjParameters lj;                        // rc = 2.8
    int cellsPerSide = 4;                   // 4 × 4 × 4 fcc cells = 256 atoms
    double timeStep = 0.001;                // τ
    double damping = 0.1;                   // Nosé–Hoover Tdamp (τ) = 100 steps, the usual LAMMPS choice
    int chainLength = 3;                    // LAMMPS default tchain
    // Verlet skin (σ). Results do not depend on it beyond rounding; 0.25 keeps rc + skin below half the box
    // at ρ = 1.1 (L/2 = 3.08), where the cell-list builder is fastest.
    double skin = 0.25;
    double meltTemperature = 3.0;           // ε/k_B
    double meltTime = 20.0;                 // τ, molten starts only
    double equilibrationTime = 500.0;       // τ, before the first sample
    int samplesPerState = 1333;
    int sampleInterval = 300;               // steps between samples (0.3 τ)

    std::size_t numStructures() const { return states.size() * static_cast<std::size_t>(samplesPerState); }
    // The protocol as one text block (the parts manifest); equal text ⇔ same data for the same seed.
    std::string describe() const;
};

// The 21 state points listed above.
std::vector<LjStatePoint> ljPaperStatePoints();
// "paper" or "small"; anything else throws agl::InputError.
LjProtocol ljProtocol(const std::string& preset);

// Runs state point `index` of the protocol and calls `sample` with each sampled structure (positions wrapped,
// forces and energy of the LJ potential, comment naming run and sample).
void runLjStatePoint(const LjProtocol& protocol, std::size_t index, std::uint64_t seed,
                     const std::function<void(Structure&&)>& sample);

// Generates the missing part files of `out` (see above), running state points on up to `threads` OpenMP
// threads (0 = OpenMP's default). `force` discards an existing parts folder that belongs to another protocol.
void generateLjParts(const LjProtocol& protocol, const std::string& out, std::uint64_t seed, bool force,
                     int threads);
// Concatenates the parts into `out` (AtomicFile; refuses to overwrite unless `force`), removes the folder.
void assembleLjParts(const LjProtocol& protocol, const std::string& out, bool force);
// Both, after checking that `out` may be written.
void generateLjData(const LjProtocol& protocol, const std::string& out, std::uint64_t seed, bool force,
                    int threads);

// The parts folder and the part file of state `index`.
std::string ljPartsDir(const std::string& out);
std::string ljPartPath(const LjProtocol& protocol, const std::string& out, std::size_t index);

}  // namespace agl::md
