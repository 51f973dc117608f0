// Trajectory, thermo and restart files of an MD run (md_recorder.hpp).
#include "agl/md/md_recorder.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include <nlohmann/json.hpp>

#include "agl/atomic_file.hpp"
#include "agl/bin_grid.hpp"
#include "agl/error.hpp"
#include "agl/io.hpp"

namespace agl::md {

namespace fs = std::filesystem;

namespace {

const char* kThermoHeader =
    "step,time,temperature,potential_energy,kinetic_energy,total_energy,conserved_energy,extrapolating_atoms\n";

nlohmann::json toJson(const std::vector<Vec3d>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const Vec3d& r : v) a.push_back({r.x, r.y, r.z});
    return a;
}

std::vector<Vec3d> vectorsFrom(const nlohmann::json& a) {
    std::vector<Vec3d> v;
    for (const auto& r : a) v.push_back({r.at(0).get<double>(), r.at(1).get<double>(), r.at(2).get<double>()});
    return v;
}

std::uintmax_t sizeOf(const std::string& path) { return fs::exists(path) ? fs::file_size(path) : 0; }

}  // namespace

MdRecorder::MdRecorder(std::string dir, MdUnits units, MdSchedule schedule, double timeStep, std::string signature,
                       bool resume, bool force)
    : dir_(std::move(dir)), units_(std::move(units)), schedule_(schedule), timeStep_(timeStep),
      signature_(std::move(signature)) {
    AGL_CHECK(schedule_.restartEvery > 0, "restart interval must be positive");
    if (!resume) {
        prepareOutputDir(dir_, force);
        openOutputs(false);
        return;
    }
    const std::string path = dir_ + "/restart.json";
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open: nothing to resume (run without --resume first)");
    nlohmann::json j;
    std::string key;  // the entry being read, for the error (nlohmann's own message does not name it)
    const auto at = [&j, &key](const char* name) -> const nlohmann::json& {
        key = name;
        return j.at(name);
    };
    try {
        in >> j;
        if (at("signature").get<std::string>() != signature_)
            throw InputError(path, 0, "the run was started with other settings:\n  restart: " +
                                          at("signature").get<std::string>() + "\n  now:     " + signature_);
        MdRestart r;
        r.step = at("step").get<long>();
        r.positions = vectorsFrom(at("positions"));
        r.velocities = vectorsFrom(at("velocities"));
        r.chainPositions = at("chain_positions").get<std::vector<double>>();
        r.chainVelocities = at("chain_velocities").get<std::vector<double>>();
        // Cut the outputs back to what they held when the restart was written.
        const std::pair<const char*, const char*> outputs[] = {{"trajectory_bytes", "/trajectory.xyz"},
                                                               {"thermo_bytes", "/thermo.csv"}};
        for (const auto& [entry, name] : outputs) {
            const std::string file = dir_ + name;
            const auto bytes = at(entry).get<std::uintmax_t>();
            if (sizeOf(file) < bytes) throw InputError(file, 0, "shorter than restart.json records: cannot resume");
            if (fs::exists(file)) fs::resize_file(file, bytes);
        }
        restart_ = std::move(r);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, 0, std::string("not a valid restart file") + (key.empty() ? "" : " (entry '" + key + "')") +
                                      ": " + e.what());
    }
    openOutputs(true);
}

void MdRecorder::openOutputs(bool append) {
    const auto mode = append ? std::ios::app : std::ios::trunc;
    trajectory_.open(dir_ + "/trajectory.xyz", std::ios::out | mode);
    thermo_.open(dir_ + "/thermo.csv", std::ios::out | mode);
    if (!trajectory_ || !thermo_) throw InputError(dir_, 0, "cannot write the trajectory and thermo files");
    if (!append) thermo_ << kThermoHeader;
}

void MdRecorder::applyRestart(MdSystem& s, VelocityVerlet& integrator) const {
    AGL_CHECK(restart_.has_value(), "no restart to apply");
    const MdRestart& r = *restart_;
    const std::string path = dir_ + "/restart.json";
    if (r.positions.size() != s.numAtoms() || r.velocities.size() != s.numAtoms())
        throw InputError(path, 0, "atom count differs from the start structure");
    s.atoms.positions = r.positions;
    s.velocities = r.velocities;
    // Checked here, where the file can be named: the neighbour list would refuse the same positions later.
    try {
        checkPositionsPlaceable(s.atoms);
    } catch (const Error& e) {
        throw InputError(path, 0, e.what());
    }
    if (!std::isfinite(kineticEnergy(s)))
        throw InputError(path, 0, "the velocities give a kinetic energy that is not finite (a damaged file?)");
    if (auto& chain = integrator.thermostat(); chain) {
        const std::size_t m = std::size_t(chain->length());
        if (r.chainPositions.size() != m || r.chainVelocities.size() != m)
            throw InputError(path, 0, "the thermostat chain has " + std::to_string(r.chainPositions.size()) +
                                          " positions and " + std::to_string(r.chainVelocities.size()) +
                                          " velocities; this run's chain has " + std::to_string(m));
        for (const auto* values : {&r.chainPositions, &r.chainVelocities})
            for (const double v : *values)
                if (!std::isfinite(v)) throw InputError(path, 0, "a thermostat chain value is not finite");
        chain->setState(r.chainPositions, r.chainVelocities);
    }
}

void MdRecorder::appendFrame(long step, const MdSystem& s) {
    Structure frame = s.atoms;
    wrapPositions(frame);
    frame.forces = s.forces;
    frame.energy = s.potentialEnergy;
    frame.atomCharges.assign(frame.numAtoms(), 0.0);
    frame.comment = "agl md";  // not the start structure's comment, which described another configuration
    char time[32];
    std::snprintf(time, sizeof time, "%.10g", double(step) * timeStep_);
    frame.metadata = {{"step", std::to_string(step)}, {"time", time}};
    writeStructure(trajectory_, frame, StructureFormat::ExtXyz);
    trajectory_.flush();  // readable while the run goes on (a frame costs far more to compute than to flush)
}

void MdRecorder::appendThermo(long step, const MdSystem& s, const VelocityVerlet& integrator) {
    const double ke = kineticEnergy(s);
    char line[256];
    std::snprintf(line, sizeof line, "%ld,%.10g,%.10g,%.12g,%.12g,%.12g,%.12g,%zu\n", step, double(step) * timeStep_,
                  temperature(s) / units_.boltzmann, s.potentialEnergy, ke, ke + s.potentialEnergy,
                  integrator.conservedEnergy(s), integrator.forceField().extrapolatingAtoms());
    thermo_ << line;
    thermo_.flush();
}

void MdRecorder::record(long step, const MdSystem& s, const VelocityVerlet& integrator) {
    if (schedule_.trajectoryEvery > 0 && step % schedule_.trajectoryEvery == 0) appendFrame(step, s);
    if (schedule_.thermoEvery > 0 && step % schedule_.thermoEvery == 0) appendThermo(step, s, integrator);
    if (step > 0 && step % schedule_.restartEvery == 0) writeRestart(step, s, integrator);
}

void MdRecorder::writeRestart(long step, const MdSystem& s, const VelocityVerlet& integrator) {
    trajectory_.flush();
    thermo_.flush();
    if (!trajectory_ || !thermo_) throw Error("writing the trajectory or thermo file of " + dir_ + " failed");
    // On the disk before the restart that records their sizes: after a power loss they are not shorter.
    syncFile(dir_ + "/trajectory.xyz");
    syncFile(dir_ + "/thermo.csv");
    nlohmann::json j;
    j["signature"] = signature_;
    j["step"] = step;
    j["positions"] = toJson(s.atoms.positions);
    j["velocities"] = toJson(s.velocities);
    const auto& chain = integrator.thermostat();
    j["chain_positions"] = chain ? chain->positions() : std::vector<double>{};
    j["chain_velocities"] = chain ? chain->velocities() : std::vector<double>{};
    j["trajectory_bytes"] = sizeOf(dir_ + "/trajectory.xyz");
    j["thermo_bytes"] = sizeOf(dir_ + "/thermo.csv");
    AtomicFile file(dir_ + "/restart.json", true);
    file.stream() << j.dump() << '\n';
    file.commit();
}

}  // namespace agl::md
