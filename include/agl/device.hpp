// Which device runs the work, and in which precision. `--device auto|cpu|gpu`: auto takes the GPU when one
// is usable and says which it took; asking for `gpu` where there is none is an error naming the reason.
#pragma once
#include <string>

namespace agl {

enum class Device { Cpu, Gpu };
enum class Precision { Fp32, Fp64 };

Device resolveDevice(const std::string& request);
Precision parsePrecision(const std::string& text);
const char* deviceName(Device d);
const char* precisionName(Precision p);

namespace gpu {
// True when this build has CUDA and a device can be used; otherwise `why` says why not.
bool available(std::string* why = nullptr);
// "NVIDIA H100 80GB HBM3 (sm_90, 79 GiB)" or "" without a GPU.
std::string describe();
}  // namespace gpu

}  // namespace agl
