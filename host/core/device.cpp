#include "agl/device.hpp"

#include "agl/error.hpp"
#include "agl/log.hpp"

namespace agl {

Device resolveDevice(const std::string& request) {
    std::string why;
    if (request == "cpu") return Device::Cpu;
    if (request == "gpu") {
        if (!gpu::available(&why)) throw Error("--device gpu: no usable GPU: " + why);
        logInfo("device: GPU " + gpu::describe());
        return Device::Gpu;
    }
    if (request == "auto") {
        if (gpu::available(&why)) {
            logInfo("device: GPU " + gpu::describe() + " (auto)");
            return Device::Gpu;
        }
        logInfo("device: CPU (auto; " + why + ")");
        return Device::Cpu;
    }
    throw UsageError("--device", "must be auto, cpu or gpu, not '" + request + "'");
}

Precision parsePrecision(const std::string& text) {
    if (text == "fp32") return Precision::Fp32;
    if (text == "fp64") return Precision::Fp64;
    throw UsageError("--precision", "must be fp32 or fp64, not '" + text + "'");
}

const char* deviceName(Device d) { return d == Device::Gpu ? "gpu" : "cpu"; }
const char* precisionName(Precision p) { return p == Precision::Fp64 ? "fp64" : "fp32"; }

}  // namespace agl
