// Running the paper's LJ state points and writing them as resumable part files (see lj_data.hpp).
#include "agl/md/lj_data.hpp"

#include <omp.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/first_error.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/md/integrator.hpp"
#include "agl/md/lattice.hpp"
#include "agl/md/lennard_jones.hpp"
#include "agl/timings.hpp"

namespace fs = std::filesystem;

namespace agl::md {
namespace {

long stepsFor(double time, double dt) { return std::lround(time / dt); }

// One random stream per run, fixed by (seed, run index) only: results do not depend on scheduling.
std::mt19937_64 runRng(std::uint64_t seed, std::size_t index) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(index), 0x4c4au};
    return std::mt19937_64(seq);
}

NoseHooverChain thermostat(const LjProtocol& p, const MdSystem& s, double t) {
    return NoseHooverChain(t, p.damping, degreesOfFreedom(s), p.chainLength);
}

std::string manifestText(const LjProtocol& p, std::uint64_t seed) {
    return p.describe() + "seed " + std::to_string(seed) + "\n";
}

std::string readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

// Creates the parts folder with its manifest, or checks that an existing one belongs to this run.
void prepareParts(const LjProtocol& p, const std::string& out, std::uint64_t seed, bool force) {
    const std::string dir = ljPartsDir(out), manifest = dir + "/manifest.txt";
    const std::string text = manifestText(p, seed);
    if (fs::exists(dir)) {
        if (readWhole(manifest) == text) return;
        if (!force)
            throw InputError(dir, 0, "holds parts of another protocol or seed (see its manifest.txt); "
                                     "use --force to discard them");
        fs::remove_all(dir);
    }
    fs::create_directories(dir);
    AtomicFile file(manifest, true);
    file.stream() << text;
    file.commit();
}

}  // namespace

void runLjStatePoint(const LjProtocol& p, std::size_t index, std::uint64_t seed,
                     const std::function<void(Structure&&)>& sample) {
    AGL_CHECK(index < p.states.size(), "state index out of range");
    const LjStatePoint& state = p.states[index];
    std::mt19937_64 rng = runRng(seed, index);
    MdSystem sys;
    sys.atoms = fccLattice(p.cellsPerSide, state.density, atomicNumber("Ar"));
    LennardJones lj(p.lj, p.skin);

    if (state.molten) {
        initVelocities(sys, p.meltTemperature, rng());
        VelocityVerlet melt(lj, p.timeStep, thermostat(p, sys, p.meltTemperature));
        melt.run(sys, stepsFor(p.meltTime, p.timeStep));
        // Start the target run at the target temperature rather than letting the thermostat drain the heat.
        double scale = std::sqrt(state.temperature / temperature(sys));
        for (Vec3d& v : sys.velocities) v = scale * v;
    } else {
        initVelocities(sys, state.temperature, rng());
    }
    VelocityVerlet md(lj, p.timeStep, thermostat(p, sys, state.temperature));
    md.run(sys, stepsFor(p.equilibrationTime, p.timeStep));

    for (int n = 1; n <= p.samplesPerState; ++n) {
        md.run(sys, p.sampleInterval);
        Structure s = sys.atoms;
        wrapPositions(s);
        s.forces = sys.forces;
        s.energy = sys.potentialEnergy;
        s.charge = 0.0;
        s.atomCharges.assign(s.numAtoms(), 0.0);
        char comment[200];
        std::snprintf(comment, sizeof comment,
                      "lj %s run %zu/%zu sample %d/%d T_target=%.2f rho=%.2f T_inst=%.4f seed=%llu protocol=%s",
                      state.label().c_str(), index + 1, p.states.size(), n, p.samplesPerState,
                      state.temperature, state.density, temperature(sys), static_cast<unsigned long long>(seed),
                      p.name.c_str());
        s.comment = comment;
        sample(std::move(s));
    }
}

std::string ljPartsDir(const std::string& out) { return out + ".parts"; }

std::string ljPartPath(const LjProtocol& p, const std::string& out, std::size_t index) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%02zu_", index);
    return ljPartsDir(out) + "/" + prefix + p.states.at(index).label() + ".part";
}

void generateLjParts(const LjProtocol& p, const std::string& out, std::uint64_t seed, bool force, int threads) {
    ScopedPhase phase("lj md");
    AGL_CHECK(p.samplesPerState >= 1 && p.sampleInterval >= 1, "need at least one sample and one step between");
    prepareParts(p, out, seed, force);
    const StructureFormat format = structureFormat(out);
    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < p.states.size(); ++i)
        if (!fs::exists(ljPartPath(p, out, i))) todo.push_back(i);
    if (todo.size() < p.states.size())
        logInfo("lj data: " + std::to_string(p.states.size() - todo.size()) + " of " +
                std::to_string(p.states.size()) + " state points already done in " + ljPartsDir(out));
    if (todo.empty()) return;

    const std::size_t samples = static_cast<std::size_t>(p.samplesPerState);
    Progress progress("structures", p.states.size() * samples, (p.states.size() - todo.size()) * samples);
    FirstError error;
    const int numThreads = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(numThreads)
    for (std::size_t t = 0; t < todo.size(); ++t)
        error.run([&] {
            AtomicFile part(ljPartPath(p, out, todo[t]), true);
            runLjStatePoint(p, todo[t], seed, [&](Structure&& s) {
                writeStructure(part.stream(), s, format);
                progress.advance();
            });
            part.commit();
        });
    error.rethrow();
}

void assembleLjParts(const LjProtocol& p, const std::string& out, bool force) {
    ScopedPhase phase("lj assemble");
    AtomicFile file(out, force);
    for (std::size_t i = 0; i < p.states.size(); ++i) {
        const std::string part = ljPartPath(p, out, i);
        std::ifstream in(part, std::ios::binary);
        if (!in) throw Error("missing part file " + part);
        file.stream() << in.rdbuf();
    }
    file.commit();
    fs::remove_all(ljPartsDir(out));
}

void generateLjData(const LjProtocol& p, const std::string& out, std::uint64_t seed, bool force, int threads) {
    refuseOverwrite(out, force);
    generateLjParts(p, out, seed, force, threads);
    assembleLjParts(p, out, force);
    logInfo("lj data: wrote " + std::to_string(p.numStructures()) + " structures to " + out);
}

}  // namespace agl::md
