// GpuHdnnp (include/agl/gpu_hdnnp.hpp): energies and forces of a trained HDNNP on the GPU. The feature pass
// is the feature engine's (cuda/feature_pass.cuh, fp64); the two kernels here run the very AGL_HD functions
// the CPU tests check: atomNetwork (tests/hdnnp/atom_network_test.cpp, against ElementNetwork) and
// gatherForcePart (tests/features/derivative_entries_test.cpp, against the CPU chain rule's loop, lanes and all).
// tests/gpu/hdnnp_forces_test.cpp compares the whole path with the CPU.
#include <algorithm>
#include <cstdint>
#include <string>

#include "agl/device.hpp"
#include "agl/element.hpp"
#include "agl/gpu/cuda_check.hpp"
#include "agl/gpu/stream.hpp"
#include "agl/gpu_hdnnp.hpp"
#include "agl/hdnnp/atom_network.hpp"
#include "agl/derivative_entries.hpp"
#include "feature_pass.cuh"
#include "warp.cuh"

namespace agl::gpu {
namespace {

constexpr int kThreads = 128;

unsigned blocksFor(std::size_t n) { return unsigned((n + kThreads - 1) / kThreads); }  // blocks for n threads
static_assert(kThreads % kWarp == 0, "forcesKernel gives whole warps to atoms");

// The input side of each model slot: scaling and range, per feature, at inputBegin[slot].
struct ModelsView {
    const AtomNetworkView* networks;  // (numSlots)
    const int* inputBegin;            // (numSlots)
    const double *mean, *inverseSigma, *low, *high, *offset;
};

// Per atom i: x = (G − mean)·σ⁻¹ (written where ∂E/∂G goes), E_i, and — with gradients — ∂E/∂G = ∂E/∂x·σ⁻¹
// in place; extrapolating[i] = 1 when a G lies outside [low, high].
__global__ void atomNetworksKernel(int numAtoms, ModelsView m, const int* slotOfAtom, const std::uint64_t* valueOffset,
                                   const double* G, bool gradients, double* scratch, std::size_t scratchStride,
                                   double* dEdG, double* atomEnergy, int* extrapolating) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= numAtoms) return;
    const int slot = slotOfAtom[i];
    const AtomNetworkView& net = m.networks[slot];
    const int nf = net.in[0], base = m.inputBegin[slot];
    const double* g = G + valueOffset[i];
    double* x = dEdG + valueOffset[i];
    int outside = 0;
    for (int j = 0; j < nf; ++j) {
        outside |= g[j] < m.low[base + j] || g[j] > m.high[base + j];
        x[j] = (g[j] - m.mean[base + j]) * m.inverseSigma[base + j];
    }
    const double e = atomNetwork(net, x, scratch + std::size_t(i) * scratchStride, gradients ? x : nullptr);
    if (gradients)
        for (int j = 0; j < nf; ++j) x[j] *= m.inverseSigma[base + j];
    atomEnergy[i] = e + m.offset[slot];
    extrapolating[i] = outside;
}

// F_k for every atom k, gathered through k's own neighbour list (derivative_entries.hpp): one warp per atom,
// the lanes take k's pairs in turn, and their parts are summed across the warp (the same order every step).
// One thread per atom would walk ~100 neighbours and their entry lists one after another.
__global__ void forcesKernel(int numAtoms, const BinGridView* grids, const int* structureOf,
                             const std::uint32_t* offsets, const std::uint32_t* index, const double* r,
                             const double* cutoffOfAtom, const std::uint32_t* entryOffsets,
                             const std::uint32_t* entryAtom, const std::uint64_t* derivativeStart,
                             const std::uint64_t* valueOffset, const int* numFunctions, const double* dEdG,
                             const double* derivatives, Vec3d* forces) {
    const int k = int((std::int64_t(blockIdx.x) * blockDim.x + threadIdx.x) / kWarp);
    const int lane = int(threadIdx.x % kWarp);
    if (k >= numAtoms) return;  // the whole warp
    const bool repeats = grids[structureOf[k]].repeatsAtoms != 0;
    const Vec3d part = gatherForcePart<double>(std::uint32_t(k), std::uint32_t(lane), kWarp, offsets, index, r,
                                               cutoffOfAtom, repeats, entryOffsets, entryAtom, derivativeStart,
                                               valueOffset, numFunctions, dEdG, derivatives);
    const Vec3d F{warpSum(part.x), warpSum(part.y), warpSum(part.z)};
    if (lane == 0) forces[k] = F;
}

}  // namespace

struct GpuHdnnp::Impl {
    Stream stream;
    FeatureTables<double> tables;
    std::vector<int> slotOfElement;      // (kMaxAtomicNumber + 1) model slot, −1 = none
    std::size_t scratchStride = 0;       // doubles of network scratch per atom (largest model)
    DeviceBuffer<double> weights, mean, inverseSigma, low, high, offset;
    DeviceBuffer<int> inputBegin;
    DeviceBuffer<AtomNetworkView> networks;
    // Per evaluation (grown, never shrunk).
    DeviceFeatures<double> features;
    DeviceBuffer<int> slotOfAtom, extrapolating;
    std::vector<int> uploadedSlotOfAtom;  // what slotOfAtom holds (the same from MD step to MD step)
    DeviceBuffer<double> dEdG, atomEnergy, scratch;
    DeviceBuffer<Vec3d> forces;
};

GpuHdnnp::GpuHdnnp(const std::vector<ElementGroups>& groups, const std::vector<GpuElementModel>& models)
    : impl_(std::make_unique<Impl>()) {
    std::string why;
    if (!available(&why)) throw Error("GPU potential: " + why);
    Impl& s = *impl_;
    s.tables = uploadTables<double>(groups, s.stream.get());
    AGL_CHECK(s.tables.cutoff > 0.0, "GPU potential: no symmetry functions");
    s.slotOfElement.assign(kMaxAtomicNumber + 1, -1);
    std::vector<double> weights, mean, inverseSigma, low, high, offset;
    std::vector<int> inputBegin;
    std::vector<AtomNetworkView> views;
    std::vector<std::size_t> weightBegin;
    for (std::size_t slot = 0; slot < models.size(); ++slot) {
        const GpuElementModel& m = models[slot];
        AGL_CHECK(m.element >= 1 && m.element <= kMaxAtomicNumber && s.slotOfElement[m.element] < 0,
                  "GPU potential: bad or repeated element " + std::to_string(m.element));
        views.push_back(atomNetworkView(m.layers, nullptr));  // checks the layers
        AGL_CHECK(m.weights.size() == views.back().numWeights,  // the device pass reads exactly this many
                  "GPU potential: weights of element " + std::to_string(m.element) + " do not match its layers");
        const std::size_t nf = std::size_t(m.layers.front().in);
        AGL_CHECK(m.mean.size() == nf && m.inverseSigma.size() == nf && m.low.size() == nf && m.high.size() == nf,
                  "GPU potential: scaling does not match the network inputs");
        const int tableSlot = s.tables.hostSlotOfElement[m.element];
        AGL_CHECK(nf == std::size_t(tableSlot < 0 ? 0 : s.tables.numFunctions[tableSlot]),
                  "GPU potential: network inputs of element " + std::to_string(m.element) +
                      " differ from its symmetry functions");
        s.slotOfElement[m.element] = int(slot);
        s.scratchStride = std::max(s.scratchStride, atomNetworkScratch(views.back()));
        weightBegin.push_back(weights.size());
        weights.insert(weights.end(), m.weights.begin(), m.weights.end());
        inputBegin.push_back(int(mean.size()));
        mean.insert(mean.end(), m.mean.begin(), m.mean.end());
        inverseSigma.insert(inverseSigma.end(), m.inverseSigma.begin(), m.inverseSigma.end());
        low.insert(low.end(), m.low.begin(), m.low.end());
        high.insert(high.end(), m.high.begin(), m.high.end());
        offset.push_back(m.energyOffset);
    }
    s.weights = DeviceBuffer<double>(weights);
    for (std::size_t slot = 0; slot < views.size(); ++slot) views[slot].weights = s.weights.data() + weightBegin[slot];
    s.networks = DeviceBuffer<AtomNetworkView>(views);
    s.mean = DeviceBuffer<double>(mean);
    s.inverseSigma = DeviceBuffer<double>(inverseSigma);
    s.low = DeviceBuffer<double>(low);
    s.high = DeviceBuffer<double>(high);
    s.offset = DeviceBuffer<double>(offset);
    s.inputBegin = DeviceBuffer<int>(inputBegin);
}

GpuHdnnp::~GpuHdnnp() = default;
GpuHdnnp::GpuHdnnp(GpuHdnnp&&) noexcept = default;
GpuHdnnp& GpuHdnnp::operator=(GpuHdnnp&&) noexcept = default;

std::size_t GpuHdnnp::evaluate(const Structure& st, std::vector<double>& atomEnergy, std::vector<Vec3d>* forces) {
    Impl& s = *impl_;
    cudaStream_t stream = s.stream.get();
    const int n = int(st.numAtoms());
    atomEnergy.assign(std::size_t(n), 0.0);
    if (forces) forces->assign(std::size_t(n), Vec3d{0.0, 0.0, 0.0});
    if (n == 0) return 0;
    std::vector<int> slotOfAtom(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const int z = st.elements[std::size_t(i)];
        slotOfAtom[std::size_t(i)] = z >= 1 && z <= kMaxAtomicNumber ? s.slotOfElement[z] : -1;
        AGL_CHECK(slotOfAtom[std::size_t(i)] >= 0, "GPU potential: no network for element " + std::to_string(z));
    }
    DeviceFeatures<double>& f = s.features;  // buffers reused from the previous structure
    computeOnDevice<double>({&st}, s.tables, forces != nullptr, stream, f);  // one structure: fits or throws

    uploadIfChanged(s.slotOfAtom, slotOfAtom, s.uploadedSlotOfAtom, stream);  // an MD loop: once
    ensureSize(s.dEdG, std::max<std::size_t>(f.atoms.valueOffset.back(), 1));
    ensureSize(s.atomEnergy, std::size_t(n));
    ensureSize(s.extrapolating, std::size_t(n));
    ensureSize(s.scratch, std::size_t(n) * s.scratchStride);
    const ModelsView models{s.networks.data(), s.inputBegin.data(), s.mean.data(), s.inverseSigma.data(),
                            s.low.data(),      s.high.data(),       s.offset.data()};
    atomNetworksKernel<<<blocksFor(std::size_t(n)), kThreads, 0, stream>>>(
        n, models, s.slotOfAtom.data(), f.valueOffset.data(), f.values.data(), forces != nullptr, s.scratch.data(),
        s.scratchStride, s.dEdG.data(), s.atomEnergy.data(), s.extrapolating.data());
    AGL_CUDA_CHECK_LAUNCH();

    if (forces) {
        ensureSize(s.forces, std::size_t(n));
        forcesKernel<<<blocksFor(std::size_t(n) * kWarp), kThreads, 0, stream>>>(
            n, f.chunk.grids.data(), f.chunk.structureOf.data(), f.list.offsets.data(), f.list.index.data(),
            f.list.r.data(), f.cutoffOfAtom.data(),
            f.entryOffsetsDevice.data(), f.entryAtom.data(), f.derivativeStartDevice.data(), f.valueOffset.data(),
            f.numFunctions.data(), s.dEdG.data(), f.derivatives.data(), s.forces.data());
        AGL_CUDA_CHECK_LAUNCH();
        s.forces.downloadAsync(forces->data(), std::size_t(n), stream);
    }
    s.atomEnergy.downloadAsync(atomEnergy.data(), std::size_t(n), stream);
    std::vector<int> flags(static_cast<std::size_t>(n));
    s.extrapolating.downloadAsync(flags.data(), std::size_t(n), stream);
    AGL_CUDA_CHECK(cudaStreamSynchronize(stream));  // the three copies at once; kernel errors surface here
    std::size_t count = 0;
    for (int flag : flags) count += std::size_t(flag != 0);
    return count;
}

}  // namespace agl::gpu
