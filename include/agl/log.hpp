// Logging to stderr with levels (-q = errors only, default = info, -v = verbose, -vv = debug) and a
// progress reporter for long work (items done, rate, time left), printed at most once a second.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace agl {

enum class LogLevel { Error = 0, Warn = 1, Info = 2, Verbose = 3, Debug = 4 };

void setLogLevel(LogLevel level);
LogLevel logLevel();

void logError(const std::string& msg);
void logWarn(const std::string& msg);
void logInfo(const std::string& msg);
void logVerbose(const std::string& msg);
void logDebug(const std::string& msg);

// Progress of `total` items of work named `what` ("structures", "epochs"). Thread-safe advance().
// `done`: items finished by an earlier run (a resumed one), counted in the total but not in the rate.
class Progress {
public:
    Progress(std::string what, std::size_t total, std::size_t done = 0);
    ~Progress();  // prints the final line ("stopped:" when an exception unwinds it)
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    void advance(std::size_t n = 1);

private:
    void print(bool final);
    std::string what_;
    std::size_t total_;
    std::size_t done_, resumed_;
    std::chrono::steady_clock::time_point start_, lastPrint_;
};

}  // namespace agl
