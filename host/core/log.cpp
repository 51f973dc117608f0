#include "agl/log.hpp"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <mutex>

namespace agl {
namespace {
std::atomic<int> gLevel{static_cast<int>(LogLevel::Info)};
std::mutex gMutex;

void emit(LogLevel level, const char* tag, const std::string& msg) {
    if (static_cast<int>(level) > gLevel.load()) return;
    std::lock_guard<std::mutex> lock(gMutex);
    std::fprintf(stderr, "%s%s\n", tag, msg.c_str());
}

std::string formatSeconds(double s) {
    char buf[32];
    if (s < 90) std::snprintf(buf, sizeof buf, "%.0fs", s);
    else if (s < 5400) std::snprintf(buf, sizeof buf, "%.0fm%02.0fs", std::floor(s / 60), std::fmod(s, 60));
    else std::snprintf(buf, sizeof buf, "%.1fh", s / 3600);
    return buf;
}
}  // namespace

void setLogLevel(LogLevel level) { gLevel = static_cast<int>(level); }
LogLevel logLevel() { return static_cast<LogLevel>(gLevel.load()); }

void logError(const std::string& msg) { emit(LogLevel::Error, "error: ", msg); }
void logWarn(const std::string& msg) { emit(LogLevel::Warn, "warning: ", msg); }
void logInfo(const std::string& msg) { emit(LogLevel::Info, "", msg); }
void logVerbose(const std::string& msg) { emit(LogLevel::Verbose, "", msg); }
void logDebug(const std::string& msg) { emit(LogLevel::Debug, "debug: ", msg); }

Progress::Progress(std::string what, std::size_t total, std::size_t done)
    : what_(std::move(what)), total_(total), done_(done), resumed_(done), start_(std::chrono::steady_clock::now()),
      lastPrint_(start_) {}

Progress::~Progress() { print(true); }  // during unwinding (an error, Ctrl-C) the line says "stopped:"

void Progress::advance(std::size_t n) {
    std::lock_guard<std::mutex> lock(gMutex);
    done_ += n;
    auto now = std::chrono::steady_clock::now();
    if (now - lastPrint_ < std::chrono::seconds(1)) return;
    lastPrint_ = now;
    print(false);
}

void Progress::print(bool final) {
    if (gLevel.load() < static_cast<int>(LogLevel::Info)) return;
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (final && t < 1.0) return;  // short work needs no progress line
    double rate = t > 0 ? (done_ - resumed_) / t : 0.0;  // of this run's work only
    // The final line of work that ended before its total (early stopping below an epoch cap) has nothing left.
    std::string left =
        (!final && rate > 0 && done_ < total_) ? ", " + formatSeconds((total_ - done_) / rate) + " left" : "";
    const char* head = !final ? "  .." : std::uncaught_exceptions() > 0 ? "stopped:" : "done:";
    std::fprintf(stderr, "%s %zu/%zu %s (%.3g/s, %s elapsed%s)\n", head, done_, total_,
                 what_.c_str(), rate, formatSeconds(t).c_str(), left.c_str());
}

}  // namespace agl
