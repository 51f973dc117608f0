#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "agl/log.hpp"
#include "agl/timings.hpp"
#include "command.hpp"

namespace agl::cli {
namespace {
void printTimingsAtExit() { printTimings(std::cerr); }
}  // namespace

void addCommonOptions(cxxopts::Options& options) {
    options.add_options("common")
        ("h,help", "show this help")
        ("q,quiet", "errors only")
        ("v,verbose", "more detail (-vv: debug)")
        ("timings", "print a per-phase wall-time table at exit");
}

void addDeviceOptions(cxxopts::Options& options) {
    options.add_options("device")
        ("device", "where to compute: auto (GPU if usable, else CPU), cpu or gpu",
         cxxopts::value<std::string>()->default_value("auto"))
        ("precision", "arithmetic: fp32 or fp64 (fp64 for verification)",
         cxxopts::value<std::string>()->default_value("fp32"));
}

bool parseCommon(cxxopts::Options& options, int argc, char** argv, cxxopts::ParseResult& result) {
    result = options.parse(argc, argv);
    if (result.count("help")) {
        std::cout << options.help() << std::endl;
        return false;
    }
    if (result.count("quiet")) setLogLevel(LogLevel::Error);
    auto v = result.count("verbose");
    if (v == 1) setLogLevel(LogLevel::Verbose);
    if (v >= 2) setLogLevel(LogLevel::Debug);
    if (result.count("timings")) std::atexit(printTimingsAtExit);
    return true;
}

}  // namespace agl::cli
