// Entry points of the GPU backend for a build without CUDA: they report that no GPU can be used.
// With CUDA these symbols come from cuda/*.cu instead (this file compiles to nothing).
#if !defined(AGL_HAVE_CUDA)
#include "agl/device.hpp"

namespace agl::gpu {
bool available(std::string* why) {
    if (why) *why = "this agl was built without CUDA";
    return false;
}
std::string describe() { return ""; }
}  // namespace agl::gpu
#endif
