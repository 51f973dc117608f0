#include "agl/timings.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

#if defined(AGL_HAVE_NVTX)
#include <nvtx3/nvToolsExt.h>
#endif

namespace agl {
namespace {
struct PhaseStats {
    long calls = 0;
    double seconds = 0.0;
    long order = 0;  // first appearance, so the table reads in pipeline order
};
std::mutex gMutex;
std::map<std::string, PhaseStats> gPhases;
}  // namespace

ScopedPhase::ScopedPhase(std::string name) : name_(std::move(name)), start_(std::chrono::steady_clock::now()) {
#if defined(AGL_HAVE_NVTX)
    nvtxRangePushA(name_.c_str());
#endif
}

ScopedPhase::~ScopedPhase() {
#if defined(AGL_HAVE_NVTX)
    nvtxRangePop();
#endif
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::lock_guard<std::mutex> lock(gMutex);
    auto [it, added] = gPhases.try_emplace(name_);
    if (added) it->second.order = static_cast<long>(gPhases.size());
    it->second.calls += 1;
    it->second.seconds += s;
}

void printTimings(std::ostream& out) {
    std::lock_guard<std::mutex> lock(gMutex);
    std::vector<std::pair<std::string, PhaseStats>> rows(gPhases.begin(), gPhases.end());
    std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.second.order < b.second.order; });
    double sum = 0;
    for (auto& r : rows) sum += r.second.seconds;
    char line[256];
    std::snprintf(line, sizeof line, "%-32s %8s %12s %7s\n", "phase", "calls", "seconds", "share");
    out << line;
    for (auto& [name, st] : rows) {
        std::snprintf(line, sizeof line, "%-32s %8ld %12.4f %6.1f%%\n", name.c_str(), st.calls, st.seconds,
                      sum > 0 ? 100.0 * st.seconds / sum : 0.0);
        out << line;
    }
}

void resetTimings() {
    std::lock_guard<std::mutex> lock(gMutex);
    gPhases.clear();
}

}  // namespace agl
