// Driver of the GPU feature engine (include/agl/gpu_features.hpp): flattens the grouped function tables,
// streams the structures through the GPU in chunks that fit its free memory, runs
//   neighbour list (count, fill) → pair factors → symmetry functions [→ derivative merge]
// and returns the same StructureFeatures layout as the CPU engine (include/agl/features.hpp).
// Host-only code; the kernels are in cuda/neighbor_list.cu and cuda/symmetry_function_kernels.cu.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/gpu/cuda_check.hpp"
#include "agl/gpu/stream.hpp"
#include "agl/gpu_features.hpp"
#include "agl/symmetry_function_terms.hpp"
#include "feature_pass.cuh"

namespace agl::gpu {
namespace {

// The largest ζ the fp32 kernels take: 2^ζ < 2^128 (FLT_MAX) and 2^(1−ζ) >= 2^−126 (normal), with margin.
constexpr double kMaxZetaFp32 = 120.0;

template <typename T>
GpuPairTerm<T> gpuPairTerm(const ElementGroups& g, int term) {
    const PairTerm& pt = g.pairTerms.at(term);
    const CutoffKey& key = g.cutoffs.at(pt.cutoff);
    return {makeCutoff<T>(key.type, static_cast<T>(key.rc), static_cast<T>(key.alpha)), static_cast<T>(pt.eta),
            static_cast<T>(pt.rs)};
}

}  // namespace

template <typename T>
FeatureTables<T> uploadTables(const std::vector<ElementGroups>& groups, cudaStream_t stream) {
    FeatureTables<T> t;
    t.hostSlotOfElement.assign(kMaxAtomicNumber + 1, -1);
    std::vector<int> functionBegin{0}, termBegin{0};
    std::vector<GpuFunction<T>> functions;
    std::vector<GpuPairTerm<T>> terms;
    for (std::size_t slot = 0; slot < groups.size(); ++slot) {
        const ElementGroups& g = groups[slot];
        AGL_CHECK(g.element >= 1 && g.element <= kMaxAtomicNumber, "symmetry-function groups of element " +
                                                                        std::to_string(g.element));
        AGL_CHECK(t.hostSlotOfElement[g.element] < 0, "two groups for element " + std::to_string(g.element));
        t.hostSlotOfElement[g.element] = static_cast<int>(slot);
        for (std::size_t term = 0; term < g.pairTerms.size(); ++term)
            terms.push_back(gpuPairTerm<T>(g, static_cast<int>(term)));
        for (const RadialGroup& rg : g.radial)
            for (const RadialMember& m : rg.members) {
                GpuFunction<T> f{};
                f.type = 2;
                f.column = m.column;
                f.e1 = rg.e1;
                f.term = m.pairTerm;
                functions.push_back(f);
            }
        for (const AngularGroup& ag : g.angular)
            for (const AngularMember& m : ag.members) {
                GpuFunction<T> f{};
                f.type = ag.type;
                f.column = m.column;
                f.e1 = ag.e1;
                f.e2 = ag.e2;
                f.term = m.pairTerm;
                // fp32: (1 + λ cos θ)^ζ ≤ 2^ζ must stay below FLT_MAX ≈ 2^128 and 2^(1−ζ) a normal float.
                if (sizeof(T) == sizeof(float) && ag.zetas.at(m.zeta) > kMaxZetaFp32)
                    throw Error("zeta " + std::to_string(ag.zetas.at(m.zeta)) + " of element " +
                                std::to_string(g.element) + " overflows single precision on the GPU (at most " +
                                std::to_string(int(kMaxZetaFp32)) + "): use --precision fp64");
                f.izeta = ag.zetaInt.at(m.zeta);
                f.zeta = static_cast<T>(ag.zetas.at(m.zeta));
                f.lambda = static_cast<T>(m.lambda);
                f.scale = static_cast<T>(ag.zetaScales.at(m.zeta));
                f.jk = gpuPairTerm<T>(g, m.pairTerm);
                functions.push_back(f);
            }
        const int nf = static_cast<int>(g.numFunctions());
        AGL_CHECK(static_cast<int>(functions.size()) - functionBegin.back() == nf,
                  "grouped tables do not cover every function of element " + std::to_string(g.element));
        functionBegin.push_back(static_cast<int>(functions.size()));
        termBegin.push_back(static_cast<int>(terms.size()));
        t.numFunctions.push_back(nf);
        t.maxCutoff.push_back(g.maxCutoff);
        t.termStride = std::max(t.termStride, static_cast<int>(g.pairTerms.size()));
        t.gradStride = std::max(t.gradStride, 3 * nf);
        t.cutoff = std::max(t.cutoff, g.maxCutoff);
    }
    t.slotOfElement = DeviceBuffer<int>(t.hostSlotOfElement);
    t.functionBegin = DeviceBuffer<int>(functionBegin);
    t.termBegin = DeviceBuffer<int>(termBegin);
    t.functions = DeviceBuffer<GpuFunction<T>>(functions);
    t.terms = DeviceBuffer<GpuPairTerm<T>>(terms);
    (void)stream;
    return t;
}

namespace {

template <typename T>
AtomLayout atomLayout(const std::vector<const Structure*>& part, const FeatureTables<T>& tables) {
    AtomLayout l;
    l.valueOffset.push_back(0);
    for (const Structure* s : part)
        for (int z : s->elements) {
            const int slot = (z >= 0 && z <= kMaxAtomicNumber) ? tables.hostSlotOfElement[z] : -1;
            const int nf = slot < 0 ? 0 : tables.numFunctions[slot];
            l.numFunctions.push_back(nf);
            l.valueOffset.push_back(l.valueOffset.back() + static_cast<std::uint64_t>(nf));
        }
    return l;
}

template <typename T>
std::size_t bytesNeeded(std::size_t numAtoms, std::size_t numPairs, const FeatureTables<T>& t, bool derivatives) {
    std::size_t perPair = 4 * sizeof(std::uint32_t) + 4 * sizeof(T) + 2 * t.termStride * sizeof(T);
    std::size_t perAtom = (t.gradStride / 3 + 8) * sizeof(double);
    if (derivatives) {
        perPair += 2 * t.gradStride * sizeof(double) + sizeof(std::uint32_t);  // pair gradients + merged entries
        perAtom += t.gradStride * sizeof(double) + 32;                         // self entries, bookkeeping
    }
    return numAtoms * perAtom + numPairs * perPair;
}

// Device memory `out` already holds from an earlier chunk (an MD loop reuses it): grown in place, so it counts
// towards what a new chunk may use.
template <typename T>
std::size_t reusableBytes(const DeviceFeatures<T>& out) {
    const DeviceNeighborList<T>& l = out.list;
    return out.pairGradient.bytes() + out.a.bytes() + out.da.bytes() + out.derivatives.bytes() + out.values.bytes() +
           out.entryOfPair.bytes() + out.numEntries.bytes() + out.entryAtom.bytes() + out.pairElement.bytes() +
           l.index.bytes() + l.dx.bytes() + l.dy.bytes() + l.dz.bytes() + l.r.bytes();
}

// The free device memory a chunk may plan with: cudaMemGetInfo's, or less when AGL_GPU_FEATURE_MEMORY_MIB
// (a positive whole number of MiB) caps it — for a GPU shared with other jobs, and for the tests of the
// chunk halving. Read at every chunk, so a change takes effect at once.
std::size_t plannableFreeBytes(std::size_t freeBytes, bool& capped) {
    capped = false;
    const char* cap = std::getenv("AGL_GPU_FEATURE_MEMORY_MIB");
    if (cap == nullptr || *cap == '\0') return freeBytes;
    char* end = nullptr;
    const unsigned long long mib = std::strtoull(cap, &end, 10);
    if (*end != '\0' || mib == 0 || mib > (1ull << 40) || cap[0] == '-')
        throw Error(std::string("AGL_GPU_FEATURE_MEMORY_MIB='") + cap + "': not a positive whole number of MiB");
    capped = std::size_t(mib) << 20 < freeBytes;
    return std::min(freeBytes, std::size_t(mib) << 20);
}

}  // namespace

template <typename T>
bool computeOnDevice(const std::vector<const Structure*>& part, const FeatureTables<T>& tables, bool derivatives,
                     cudaStream_t stream, DeviceFeatures<T>& out) {
    NvtxRange range("gpu features: chunk");
    uploadChunk(part, tables.cutoff, stream, out.chunk);
    const StructureChunk& chunk = out.chunk;
    DeviceNeighborList<T>& list = out.list;
    countDeviceNeighbors(chunk, tables.cutoff, stream, list);
    if (!fitsOneChunk(std::uint64_t(chunk.numAtoms), list.numPairs)) {
        if (part.size() > 1) return false;
        throw Error("a structure of " + std::to_string(chunk.numAtoms) + " atoms has " +
                    std::to_string(list.numPairs) + " neighbour pairs, more than 32-bit indices hold: use --device cpu");
    }
    std::size_t freeBytes = 0, totalBytes = 0;
    AGL_CUDA_CHECK(cudaMemGetInfo(&freeBytes, &totalBytes));
    bool capped = false;
    freeBytes = plannableFreeBytes(freeBytes, capped);
    const std::size_t need = bytesNeeded(chunk.numAtoms, list.numPairs, tables, derivatives);
    if (need > freeBytes / 10 * 8 + reusableBytes(out)) {
        if (part.size() > 1) return false;
        throw Error("a structure of " + std::to_string(chunk.numAtoms) + " atoms (" + std::to_string(list.numPairs) +
                    " neighbour pairs) needs " + std::to_string(need >> 20) + " MiB of GPU memory, only " +
                    std::to_string(freeBytes >> 20) + " MiB free" +
                    (capped ? " (capped by AGL_GPU_FEATURE_MEMORY_MIB)" : "") + ": use --device cpu");
    }
    fillDeviceNeighbors(chunk, tables.cutoff, stream, list);

    const int n = chunk.numAtoms;
    const std::size_t pairs = list.numPairs;
    out.elements.clear();
    for (const Structure* s : part) out.elements.insert(out.elements.end(), s->elements.begin(), s->elements.end());
    out.atoms = atomLayout(part, tables);
    uploadIfChanged(out.valueOffset, out.atoms.valueOffset, out.uploadedValueOffset, stream);
    uploadIfChanged(out.numFunctions, out.atoms.numFunctions, out.uploadedNumFunctions, stream);
    const std::size_t numValues = out.atoms.valueOffset.back();
    ensureSize(out.values, numValues);
    zeroFirst(out.values, numValues, stream);
    ensureSize(out.pairElement, pairs);
    ensureSize(out.a, pairs * tables.termStride);
    ensureSize(out.da, pairs * tables.termStride);
    if (derivatives) {
        ensureSize(out.pairGradient, pairs * tables.gradStride);
        zeroFirst(out.pairGradient, pairs * tables.gradStride, stream);
    }
    {
        NvtxRange kernels("gpu features: kernels");
        launchPairFactors<T>(chunk, list, tables.view(), out.pairElement.data(), out.a.data(), out.da.data(), stream);
        launchSymmetryFunctions<T>(chunk, list, tables.view(), out.pairElement.data(), out.a.data(), out.da.data(),
                                   out.valueOffset.data(), out.values.data(),
                                   derivatives ? out.pairGradient.data() : nullptr, stream);
    }
    out.entryOffsets.clear();
    out.derivativeStart.clear();
    if (derivatives) {
        NvtxRange merge("gpu features: derivative entries and merge");
        std::vector<T> cutoffOfAtom(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            const int slot = tables.hostSlotOfElement[out.elements[i]];
            cutoffOfAtom[i] = slot < 0 ? T(0) : static_cast<T>(tables.maxCutoff[slot]);
        }
        uploadIfChanged(out.cutoffOfAtom, cutoffOfAtom, out.uploadedCutoffOfAtom, stream);
        ensureSize(out.numEntries, static_cast<std::size_t>(n));
        launchCountEntries<T>(chunk, list, out.cutoffOfAtom.data(), out.numEntries.data(), stream);
        const std::vector<std::uint32_t> counts = out.numEntries.download(static_cast<std::size_t>(n), stream);
        out.entryOffsets.assign(1, 0);
        out.derivativeStart.assign(1, 0);
        for (int i = 0; i < n; ++i) {
            AGL_CHECK(std::uint64_t(out.entryOffsets.back()) + counts[i] < kMaxChunkIndex,
                      "more than 2^32 - 64 derivative entries in one chunk of structures");
            out.entryOffsets.push_back(out.entryOffsets.back() + counts[i]);
            out.derivativeStart.push_back(out.derivativeStart.back() + std::uint64_t(counts[i]) * 3 *
                                                                           std::uint64_t(out.atoms.numFunctions[i]));
        }
        uploadInto(out.entryOffsetsDevice, out.entryOffsets, stream);
        uploadInto(out.derivativeStartDevice, out.derivativeStart, stream);
        ensureSize(out.entryAtom, out.entryOffsets.back());
        ensureSize(out.entryOfPair, pairs);
        launchFillEntries<T>(chunk, list, out.cutoffOfAtom.data(), out.entryOffsetsDevice.data(), out.entryAtom.data(),
                             out.entryOfPair.data(), stream);
        ensureSize(out.derivatives, out.derivativeStart.back());
        launchMergeDerivatives(n, list.offsets.data(), out.entryOfPair.data(), out.numEntries.data(),
                               out.derivativeStartDevice.data(), out.numFunctions.data(), tables.gradStride,
                               out.pairGradient.data(), out.derivatives.data(), stream);
    }
    AGL_CUDA_CHECK(cudaStreamSynchronize(stream));  // kernel errors surface here
    return true;
}

template bool computeOnDevice<float>(const std::vector<const Structure*>&, const FeatureTables<float>&, bool,
                                     cudaStream_t, DeviceFeatures<float>&);
template bool computeOnDevice<double>(const std::vector<const Structure*>&, const FeatureTables<double>&, bool,
                                      cudaStream_t, DeviceFeatures<double>&);
template FeatureTables<float> uploadTables<float>(const std::vector<ElementGroups>&, cudaStream_t);
template FeatureTables<double> uploadTables<double>(const std::vector<ElementGroups>&, cudaStream_t);

namespace {

// Computes the structures [first, last) into out[first, last), or returns false (nothing done) when the chunk
// would not fit in free GPU memory.
template <typename T>
bool computeChunk(const std::vector<const Structure*>& structures, std::size_t first, std::size_t last,
                  const FeatureTables<T>& tables, bool derivatives, cudaStream_t stream,
                  std::vector<StructureFeatures>& out) {
    const std::vector<const Structure*> part(structures.begin() + first, structures.begin() + last);
    DeviceFeatures<T> f;
    try {
        if (!computeOnDevice(part, tables, derivatives, stream, f)) return false;
    } catch (const Error& e) {
        throw Error("structure " + std::to_string(first) + ": " + e.what());
    }
    const AtomLayout& atoms = f.atoms;
    const std::vector<double> hostValues = f.values.download(atoms.valueOffset.back(), stream);
    std::vector<double> hostDerivatives;
    std::vector<std::uint32_t> entryAtom;
    if (derivatives) {
        hostDerivatives = f.derivatives.download(f.derivativeStart.back(), stream);
        entryAtom = f.entryAtom.download(f.entryOffsets.back(), stream);
    }

    // Split the chunk's arrays into one StructureFeatures per structure (local atom indices).
    for (std::size_t s = 0; s < part.size(); ++s) {
        StructureFeatures& sf = out[first + s];
        const int a0 = f.chunk.plan.atomBegin[s], a1 = f.chunk.plan.atomBegin[s + 1];
        const std::uint64_t v0 = atoms.valueOffset[a0];
        sf.numFunctions.assign(atoms.numFunctions.begin() + a0, atoms.numFunctions.begin() + a1);
        for (int i = a0; i <= a1; ++i) sf.valueOffsets.push_back(atoms.valueOffset[i] - v0);
        sf.values.assign(hostValues.begin() + v0, hostValues.begin() + atoms.valueOffset[a1]);
        if (!derivatives) continue;
        const std::uint64_t d0 = f.derivativeStart[a0];
        sf.derivativeOffsets.push_back(0);
        for (int i = a0; i < a1; ++i) {
            sf.derivativeStart.push_back(f.derivativeStart[i] - d0);
            for (std::uint32_t e = f.entryOffsets[i]; e < f.entryOffsets[i + 1]; ++e)
                sf.derivativeAtom.push_back(entryAtom[e] - static_cast<std::uint32_t>(a0));
            sf.derivativeOffsets.push_back(static_cast<std::uint32_t>(sf.derivativeAtom.size()));
        }
        sf.derivatives.assign(hostDerivatives.begin() + d0, hostDerivatives.begin() + f.derivativeStart[a1]);
    }
    return true;
}

template <typename T>
void computeRange(const std::vector<const Structure*>& structures, std::size_t first, std::size_t last,
                  const FeatureTables<T>& tables, bool derivatives, cudaStream_t stream,
                  std::vector<StructureFeatures>& out) {
    if (first == last || computeChunk(structures, first, last, tables, derivatives, stream, out)) return;
    const std::size_t mid = first + (last - first) / 2;  // too big for free memory: halve and retry
    computeRange(structures, first, mid, tables, derivatives, stream, out);
    computeRange(structures, mid, last, tables, derivatives, stream, out);
}

template <typename T>
std::vector<StructureFeatures> computeAll(const std::vector<const Structure*>& structures,
                                          const std::vector<ElementGroups>& groups, bool derivatives) {
    Stream stream;
    const FeatureTables<T> tables = uploadTables<T>(groups, stream.get());
    std::vector<StructureFeatures> out(structures.size());
    if (tables.cutoff <= 0.0) {  // no functions at all: every atom gets an empty row (and, as on the CPU, a
        for (std::size_t s = 0; s < structures.size(); ++s) {  // single derivative entry of itself, 0 × 3 values)
            const std::size_t n = structures[s]->numAtoms();
            out[s].numFunctions.assign(n, 0);
            out[s].valueOffsets.assign(n + 1, 0);
            if (!derivatives) continue;
            out[s].derivativeStart.assign(n, 0);
            for (std::size_t i = 0; i <= n; ++i) out[s].derivativeOffsets.push_back(static_cast<std::uint32_t>(i));
            for (std::size_t i = 0; i < n; ++i) out[s].derivativeAtom.push_back(static_cast<std::uint32_t>(i));
        }
        return out;
    }
    computeRange(structures, 0, structures.size(), tables, derivatives, stream.get(), out);
    return out;
}

}  // namespace

std::vector<StructureFeatures> computeFeatures(const std::vector<const Structure*>& structures,
                                               const std::vector<ElementGroups>& groups, Precision precision,
                                               bool derivatives) {
    std::string why;
    if (!available(&why)) throw Error("GPU feature engine: " + why);
    for (const Structure* s : structures) AGL_CHECK(s != nullptr, "null structure");
    return precision == Precision::Fp64 ? computeAll<double>(structures, groups, derivatives)
                                        : computeAll<float>(structures, groups, derivatives);
}

}  // namespace agl::gpu
