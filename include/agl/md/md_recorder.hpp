// MdRecorder: the files of one MD run, in one folder:
//   trajectory.xyz  extended XYZ, a frame every `trajectoryEvery` steps: positions wrapped into the cell,
//                   forces, energy = potential energy, info keys step=<n> time=<t> (time unit of the run)
//   thermo.csv      step,time,temperature,potential_energy,kinetic_energy,total_energy,conserved_energy,
//                   extrapolating_atoms every `thermoEvery` steps (temperature in the unit system's unit,
//                   energies in the data's; the last column: ForceField::extrapolatingAtoms())
//   restart.json    the whole dynamical state (positions, velocities, thermostat chain, step) every
//                   `restartEvery` steps and at the end, written atomically, together with the byte sizes of
//                   trajectory.xyz and thermo.csv at that moment
// Resuming cuts both files back to the recorded sizes and continues from the restart's step, so an
// interrupted run loses at most the steps since the last restart and never writes a frame twice. The
// restart carries a signature of the run's settings; resuming with other settings is an InputError.
#pragma once
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "agl/md/integrator.hpp"
#include "agl/md/md_units.hpp"
#include "agl/md/system.hpp"

namespace agl::md {

struct MdSchedule {
    long trajectoryEvery = 100;   // steps between frames (0: none)
    long thermoEvery = 10;        // steps between thermo lines (0: none)
    long restartEvery = 1000;     // steps between restart files
};

struct MdRestart {
    long step = 0;
    std::vector<Vec3d> positions, velocities;
    std::vector<double> chainPositions, chainVelocities;   // η, ξ (empty in NVE)
};

class MdRecorder {
public:
    // Fresh run: creates `dir` (an existing non-empty folder needs force). Resume: reads dir/restart.json,
    // checks the signature, cuts the files back. `signature` is one line naming everything that must not
    // change between a run and its continuation.
    MdRecorder(std::string dir, MdUnits units, MdSchedule schedule, double timeStep, std::string signature,
               bool resume, bool force);

    // The state to continue from (resume only).
    const std::optional<MdRestart>& restart() const { return restart_; }
    // Applies the restart to a system and thermostat built from the same start data.
    void applyRestart(MdSystem& s, VelocityVerlet& integrator) const;

    // Writes what the schedule asks for at `step` (call after every step, and once at the start).
    void record(long step, const MdSystem& s, const VelocityVerlet& integrator);
    // Writes restart.json now (also called by record() on the schedule).
    void writeRestart(long step, const MdSystem& s, const VelocityVerlet& integrator);

    const std::string& dir() const { return dir_; }

private:
    void appendFrame(long step, const MdSystem& s);
    void appendThermo(long step, const MdSystem& s, const VelocityVerlet& integrator);
    void openOutputs(bool append);

    std::string dir_;
    MdUnits units_;
    MdSchedule schedule_;
    double timeStep_;
    std::string signature_;
    std::optional<MdRestart> restart_;
    std::ofstream trajectory_, thermo_;
};

}  // namespace agl::md
