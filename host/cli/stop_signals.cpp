#include "stop_signals.hpp"

namespace agl::cli {
namespace {

volatile std::sig_atomic_t gStopRequested = 0;

extern "C" void onStopSignal(int sig) {
    if (gStopRequested) {
        std::signal(sig, SIG_DFL);
        std::raise(sig);
        return;
    }
    gStopRequested = 1;
}

}  // namespace

StopSignals::StopSignals() {
    gStopRequested = 0;
    oldInt_ = std::signal(SIGINT, onStopSignal);
    oldTerm_ = std::signal(SIGTERM, onStopSignal);
}

StopSignals::~StopSignals() {
    std::signal(SIGINT, oldInt_);
    std::signal(SIGTERM, oldTerm_);
}

bool StopSignals::requested() { return gStopRequested != 0; }

}  // namespace agl::cli
