// The paper's LJ state points and the two protocol presets (documented in lj_data.hpp).
#include <cstdio>
#include <sstream>

#include "agl/error.hpp"
#include "agl/md/lj_data.hpp"

namespace agl::md {

std::string LjStatePoint::label() const {
    char text[64];
    std::snprintf(text, sizeof text, "T%.2f_rho%.2f_%s", temperature, density, molten ? "melt" : "fcc");
    return text;
}

std::vector<LjStatePoint> ljPaperStatePoints() {
    std::vector<LjStatePoint> states;
    for (double rho : {0.9, 1.0, 1.1})
        for (double t : {0.5, 0.75, 1.0, 1.25, 1.5}) states.push_back({t, rho, false});
    for (double t : {0.75, 1.0, 1.25, 1.5}) states.push_back({t, 0.9, true});
    for (double t : {1.25, 1.5}) states.push_back({t, 1.0, true});
    return states;
}

LjProtocol ljProtocol(const std::string& preset) {
    LjProtocol p;
    p.name = preset;
    p.states = ljPaperStatePoints();
    if (preset == "paper") return p;  // the defaults of LjProtocol are the paper's protocol
    if (preset == "small") {
        p.meltTime = 4.0;
        p.equilibrationTime = 4.0;
        p.samplesPerState = 16;
        return p;
    }
    throw UsageError("--states", "unknown preset '" + preset + "' (use paper or small)");
}

std::string LjProtocol::describe() const {
    std::ostringstream os;
    os.precision(17);
    os << "protocol " << name << "\n"
       << "lj epsilon " << lj.epsilon << " sigma " << lj.sigma << " cutoff " << lj.cutoff << " shift no\n"
       << "fcc_cells_per_side " << cellsPerSide << "\n"
       << "time_step " << timeStep << "\n"
       << "nose_hoover damping " << damping << " chain " << chainLength << "\n"
       << "melt temperature " << meltTemperature << " time " << meltTime << "\n"
       << "equilibration_time " << equilibrationTime << "\n"
       << "samples " << samplesPerState << " every " << sampleInterval << " steps\n";
    // The skin changes the order of floating-point sums, hence the last bits of the data.
    os << "verlet_skin " << skin << "\n";
    for (const LjStatePoint& s : states) os << "state " << s.label() << "\n";
    return os.str();
}

}  // namespace agl::md
