// Entry points of the GPU backend for a build without CUDA: they report that no GPU can be used.
// With CUDA these symbols come from cuda/*.cu instead (this file compiles to nothing).
#if !defined(AGL_HAVE_CUDA)
#include "agl/device.hpp"
#include "agl/error.hpp"
#include "agl/gpu_features.hpp"
#include "agl/gpu_hdnnp.hpp"
#include "agl/gpu_train.hpp"

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

// GPU training engine (include/agl/gpu_train.hpp): the constructor reports the missing backend, so no other
// member can be reached; they still need definitions to link.
namespace {
[[noreturn]] void noGpuTraining() {
    throw Error("GPU training requested, but this agl was not built with CUDA");
}
}  // namespace
struct GpuModelBatch::Impl {};
GpuModelBatch::GpuModelBatch(const GpuLayoutDesc&, Precision) { noGpuTraining(); }
GpuModelBatch::~GpuModelBatch() = default;
GpuModelBatch::GpuModelBatch(GpuModelBatch&&) noexcept = default;
GpuModelBatch& GpuModelBatch::operator=(GpuModelBatch&&) noexcept = default;
Precision GpuModelBatch::precision() const { noGpuTraining(); }
int GpuModelBatch::numSlots() const { noGpuTraining(); }
void GpuModelBatch::setParams(const std::vector<double>&) { noGpuTraining(); }
std::vector<double> GpuModelBatch::params() const { noGpuTraining(); }
void GpuModelBatch::setGradient(const std::vector<double>&) { noGpuTraining(); }
std::vector<double> GpuModelBatch::gradient() const { noGpuTraining(); }
void GpuModelBatch::setMoments(const std::vector<double>&, const std::vector<double>&) { noGpuTraining(); }
void GpuModelBatch::moments(std::vector<double>&, std::vector<double>&) const { noGpuTraining(); }
void GpuModelBatch::setGroups(const GroupSettings&) { noGpuTraining(); }
void GpuModelBatch::setData(const StandardisedData&) { noGpuTraining(); }
void GpuModelBatch::predict(const std::uint32_t*, int, int, std::vector<double>&) { noGpuTraining(); }
void GpuModelBatch::lossAndGradient(const std::uint32_t*, int, int, std::vector<double>&, std::vector<double>*) {
    noGpuTraining();
}
void GpuModelBatch::maskGradient(int) { noGpuTraining(); }
void GpuModelBatch::adamwStep(int, long, double, const AdamWSettings&) { noGpuTraining(); }
void GpuModelBatch::proximalStep(int, double, std::vector<double>*) { noGpuTraining(); }
std::vector<double> GpuModelBatch::penalties(int) { noGpuTraining(); }

// GPU potential (include/agl/gpu_hdnnp.hpp).
struct GpuHdnnp::Impl {};
GpuHdnnp::GpuHdnnp(const std::vector<ElementGroups>&, const std::vector<GpuElementModel>&) {
    throw Error("GPU potential requested, but this agl was not built with CUDA");
}
GpuHdnnp::~GpuHdnnp() = default;
GpuHdnnp::GpuHdnnp(GpuHdnnp&&) noexcept = default;
GpuHdnnp& GpuHdnnp::operator=(GpuHdnnp&&) noexcept = default;
std::size_t GpuHdnnp::evaluate(const Structure&, std::vector<double>&, std::vector<Vec3d>*) {
    throw Error("GPU potential requested, but this agl was not built with CUDA");
}
}  // namespace agl::gpu
#endif
