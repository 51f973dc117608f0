// GPU discovery: is a CUDA device usable, and what is it.
#include <cuda_runtime.h>

#include <string>

#include "agl/device.hpp"

namespace agl::gpu {

bool available(std::string* why) {
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err != cudaSuccess) {
        if (why) *why = std::string("no CUDA device (") + cudaGetErrorString(err) + ")";
        cudaGetLastError();  // clear the sticky error so later calls start clean
        return false;
    }
    if (n == 0) {
        if (why) *why = "no CUDA device found";
        return false;
    }
    return true;
}

std::string describe() {
    int dev = 0;
    cudaDeviceProp p{};
    if (cudaGetDevice(&dev) != cudaSuccess || cudaGetDeviceProperties(&p, dev) != cudaSuccess) return "";
    return std::string(p.name) + " (sm_" + std::to_string(p.major) + std::to_string(p.minor) + ", " +
           std::to_string(p.totalGlobalMem >> 30) + " GiB)";
}

}  // namespace agl::gpu
