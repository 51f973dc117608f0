// agl devices: which devices this build can use (and why not the GPU).
#include <iostream>

#include "agl/device.hpp"
#include "command.hpp"

namespace agl::cli {

int runDevices(int argc, char** argv) {
    cxxopts::Options options(argv[0], "Show the devices this build of agl can use.");
    addCommonOptions(options);
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    std::string why;
    std::cout << "cpu: available\n";
    if (gpu::available(&why)) std::cout << "gpu: " << gpu::describe() << "\n";
    else std::cout << "gpu: not usable (" << why << ")\n";
    return 0;
}

}  // namespace agl::cli
