// StopSignals: while alive, the first SIGINT/SIGTERM only sets a flag (long commands finish their current unit
// of work — an epoch, an MD step — write a checkpoint and exit 130); a second one terminates at once.
// The previous handlers come back when it goes out of scope.
#pragma once
#include <csignal>

namespace agl::cli {

class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    static bool requested();

private:
    void (*oldInt_)(int);
    void (*oldTerm_)(int);
};

}  // namespace agl::cli
