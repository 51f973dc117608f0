// Per-phase wall time and NVTX ranges. `ScopedPhase p("feature kernels");` opens a named NVTX range (so
// Nsight Systems timelines show named phases) and adds the elapsed wall time to a process-wide table that
// `agl --timings` prints at exit. GPU code must synchronise before a phase ends for the time to be honest.
#pragma once
#include <chrono>
#include <ostream>
#include <string>

namespace agl {

class ScopedPhase {
public:
    explicit ScopedPhase(std::string name);
    ~ScopedPhase();
    ScopedPhase(const ScopedPhase&) = delete;
    ScopedPhase& operator=(const ScopedPhase&) = delete;

private:
    std::string name_;
    std::chrono::steady_clock::time_point start_;
};

// Table: phase, calls, total seconds, share of the sum (phases nest, so shares may exceed 100 %).
void printTimings(std::ostream& out);
void resetTimings();

}  // namespace agl
