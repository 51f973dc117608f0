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

namespace {

// argv with every --older (or --older=value) written as --name, up to a "--" that ends the options.
std::vector<std::string> respelled(int argc, char** argv, const std::vector<OptionSpelling>& older) {
    std::vector<std::string> out(argv, argv + argc);
    for (std::size_t i = 1; i < out.size() && out[i] != "--"; ++i)
        for (const OptionSpelling& o : older) {
            const std::string flag = "--" + o.older;
            if (out[i] == flag) out[i] = "--" + o.name;
            else if (out[i].rfind(flag + "=", 0) == 0) out[i] = "--" + o.name + out[i].substr(flag.size());
        }
    return out;
}

}  // namespace

bool parseCommon(cxxopts::Options& options, int argc, char** argv, cxxopts::ParseResult& result,
                 const std::vector<OptionSpelling>& older) {
    std::vector<std::string> words = respelled(argc, argv, older);
    std::vector<char*> pointers;
    for (std::string& w : words) pointers.push_back(w.data());
    result = options.parse(int(pointers.size()), pointers.data());
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
