// Entry points of the GPU backend for a build without CUDA: they report that no GPU can be used.
// With CUDA these symbols come from cuda/*.cu instead (this file compiles to nothing).
#if !defined(AGL_HAVE_CUDA)
#include "agl/device.hpp"
#include "agl/error.hpp"
#include "agl/gpu_features.hpp"

namespace agl::gpu {
bool available(std::string* why) {
    if (why) *why = "this agl was built without CUDA";
    return false;
}
std::string describe() { return ""; }

std::vector<StructureFeatures> computeFeatures(const std::vector<const Structure*>&, const std::vector<ElementGroups>&,
                                               Precision, bool) {
    throw Error("GPU feature engine requested, but this agl was not built with CUDA");
}
std::vector<NeighborList> buildNeighborLists(const std::vector<const Structure*>&, double) {
    throw Error("GPU neighbour list requested, but this agl was not built with CUDA");
}
}  // namespace agl::gpu
#endif
