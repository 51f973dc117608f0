// The network engine of GpuModelBatch (include/agl/gpu_train.hpp): mini-batch gather from the resident
// features, forward, loss, backward of K models — the GPU twin of ModelBatch::lossAndGradient
// (host/train/model_batch.cpp), templated on the precision T of the network math.
//
// Row-major (rows × cols) matrices are handed to column-major cuBLAS as their (cols × rows) transposes, so
// Y = X·W becomes Yᵀ = Wᵀ·Xᵀ with the operands swapped. Per element e with R atom rows and na active models:
//   layer 0    A⁰ (R × na·h₀)  = f(X · W⁰[:, 0:na·h₀] + b⁰)      one wide GEMM (ld of W⁰ = K·h₀)
//   layer l≥1  Aˡ_k (R × h_l)   = f(Aˡ⁻¹_k · Wˡ_k + bˡ_k)        strided-batched GEMM over k, into the wide
//                                                                 (R × na·h_l) block (column offset k·h_l)
//   output     the (R × na) block is also written slot-major (na × R) in double, so the atomic energies of
//              (element, slot, structure) are contiguous segments → cub::DeviceSegmentedReduce::Sum
//   loss       E_sk = Σ_e segment sums; dMSE/dE_sk = 2 (E_sk − E_ref,s) / (N_s² B); MSE_k segmented sum
//   backward   Δ = dMSE/dE ⊙ f′ broadcast to the rows; per layer: bias gradient = Δᵀ·1 (GEMV), weight
//              gradient = Aᵀ·Δ (wide GEMM for layer 0, strided-batched deeper), input gradient Δ·Wᵀ ⊙ f′.
// The gradient is computed in T into a flat buffer of the CPU layout and copied (active slots only) into
// the double gradient the optimiser kernels read.
#include <cub/device/device_segmented_reduce.cuh>

#include <algorithm>
#include <type_traits>

#include "train_state.cuh"

namespace agl::gpu {
namespace {

constexpr int kThreads = 256;

unsigned gridFor(std::size_t n) {
    return unsigned(std::min<std::size_t>((n + kThreads - 1) / kThreads, 8192));  // kernels are grid-stride
}

#define AGL_GRID_STRIDE(i, n)                                                               \
    for (std::size_t i = blockIdx.x * std::size_t(blockDim.x) + threadIdx.x; i < (n); \
         i += std::size_t(gridDim.x) * blockDim.x)

// --- cuBLAS in T (α = 1, β = 0: every call overwrites its output) ---------------------------------------

void gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, const double* A,
          int lda, const double* B, int ldb, double* C, int ldc) {
    const double one = 1.0, zero = 0.0;
    AGL_CUBLAS_CHECK(cublas().dgemm(h, ta, tb, m, n, k, &one, A, lda, B, ldb, &zero, C, ldc));
}
void gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, const float* A, int lda,
          const float* B, int ldb, float* C, int ldc) {
    const float one = 1.0f, zero = 0.0f;
    AGL_CUBLAS_CHECK(cublas().sgemm(h, ta, tb, m, n, k, &one, A, lda, B, ldb, &zero, C, ldc));
}
void gemmBatched(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, const double* A,
                 int lda, long long sa, const double* B, int ldb, long long sb, double* C, int ldc, long long sc,
                 int count) {
    const double one = 1.0, zero = 0.0;
    AGL_CUBLAS_CHECK(
        cublas().dgemmStridedBatched(h, ta, tb, m, n, k, &one, A, lda, sa, B, ldb, sb, &zero, C, ldc, sc, count));
}
void gemmBatched(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, const float* A,
                 int lda, long long sa, const float* B, int ldb, long long sb, float* C, int ldc, long long sc,
                 int count) {
    const float one = 1.0f, zero = 0.0f;
    AGL_CUBLAS_CHECK(
        cublas().sgemmStridedBatched(h, ta, tb, m, n, k, &one, A, lda, sa, B, ldb, sb, &zero, C, ldc, sc, count));
}
// y (m) = A (m × n, column-major, lda) · x (n)
void gemv(cublasHandle_t h, int m, int n, const double* A, int lda, const double* x, double* y) {
    const double one = 1.0, zero = 0.0;
    AGL_CUBLAS_CHECK(cublas().dgemv(h, CUBLAS_OP_N, m, n, &one, A, lda, x, 1, &zero, y, 1));
}
void gemv(cublasHandle_t h, int m, int n, const float* A, int lda, const float* x, float* y) {
    const float one = 1.0f, zero = 0.0f;
    AGL_CUBLAS_CHECK(cublas().sgemv(h, CUBLAS_OP_N, m, n, &one, A, lda, x, 1, &zero, y, 1));
}

// --- Elementwise kernels (the activation math is the CPU's AGL_HD activate / activationSlope) ------------

template <typename T>
__global__ void convertKernel(std::size_t n, const double* from, T* to) {
    AGL_GRID_STRIDE(i, n) to[i] = T(from[i]);
}

template <typename T>
__global__ void fillKernel(std::size_t n, T value, T* to) {
    AGL_GRID_STRIDE(i, n) to[i] = value;
}

// to[i] = from[i] for the entries of the active slots (the others keep their value, as on the CPU).
template <typename T>
__global__ void copyActiveKernel(std::size_t n, const std::uint16_t* slotOf, int numActive, const T* from, double* to) {
    AGL_GRID_STRIDE(i, n) if (slotOf[i] < numActive) to[i] = double(from[i]);
}

// Block b copies batch structure b's rows (contiguous in the resident matrix) to rows [dst[b], dst[b+1]).
template <typename T>
__global__ void gatherRowsKernel(int numFunctions, const long long* dstStart, const long long* srcStart, const T* X,
                                 T* Xb) {
    const int b = blockIdx.x;
    const long long begin = dstStart[b] * numFunctions, n = (dstStart[b + 1] - dstStart[b]) * numFunctions;
    const T* src = X + srcStart[b] * numFunctions;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) Xb[begin + i] = src[i];
}

// Y (rows × cols) ← f(Y + b); with slotMajor, also slotMajor[c·rows + r] = Y[r][c] in double (output layer).
template <typename T>
__global__ void biasActivateKernel(int rows, int cols, const T* bias, Activation act, T* Y, double* slotMajor) {
    const std::size_t n = std::size_t(rows) * cols;
    AGL_GRID_STRIDE(i, n) {
        const std::size_t c = i % cols;
        const T y = T(activate(act, double(Y[i]) + double(bias[c])));
        Y[i] = y;
        if (slotMajor) slotMajor[c * rows + i / cols] = double(y);
    }
}

// Output layer: D[r][k] = dMSE/dE_{b k} · f′(Y[r][k]) for every row r of batch structure b = blockIdx.x.
template <typename T>
__global__ void outputDeltaKernel(int numActive, const long long* dstStart, const double* structureGrad,
                                  Activation act, const T* Y, T* D) {
    const int b = blockIdx.x;
    const long long end = dstStart[b + 1] * numActive;
    for (long long i = dstStart[b] * numActive + threadIdx.x; i < end; i += blockDim.x)
        D[i] = T(structureGrad[std::size_t(b) * numActive + i % numActive] * activationSlope(act, double(Y[i])));
}

// D ⊙= f′ from the stored layer output Y (same shape).
template <typename T>
__global__ void slopeKernel(std::size_t n, Activation act, const T* Y, T* D) {
    AGL_GRID_STRIDE(i, n) D[i] = T(double(D[i]) * activationSlope(act, double(Y[i])));
}

// E_sk = Σ_e atomEnergy[(e·na + k)·B + s]; with structureGrad, the loss gradient and the MSE terms
// (slot-major, for the per-slot segmented sum). Same expressions as ModelBatch.
__global__ void lossKernel(int B, int na, int numElements, const double* atomEnergy, const double* reference,
                           const double* numAtoms, double* energies, double* structureGrad, double* mseTerms) {
    const std::size_t n = std::size_t(B) * na;
    AGL_GRID_STRIDE(i, n) {
        const int s = int(i / na), k = int(i % na);
        double e = 0.0;
        for (int el = 0; el < numElements; ++el) e += atomEnergy[(std::size_t(el) * na + k) * B + s];
        energies[i] = e;
        if (!structureGrad) continue;
        const double diff = e - reference[s], atoms = numAtoms[s];
        structureGrad[i] = 2.0 * diff / (atoms * atoms * B);
        mseTerms[std::size_t(k) * B + s] = (diff / atoms) * (diff / atoms) / B;
    }
}

// Segmented sum of `in` over the contiguous segments [offsets[i], offsets[i+1]) into out (numSegments).
template <typename Offset>
void segmentedSum(DeviceBuffer<unsigned char>& scratch, const double* in, double* out, int numSegments,
                  const Offset* offsets, cudaStream_t stream) {
    std::size_t bytes = 0;
    AGL_CUDA_CHECK(cub::DeviceSegmentedReduce::Sum(nullptr, bytes, in, out, numSegments, offsets, offsets + 1, stream));
    ensureSize(scratch, std::max<std::size_t>(bytes, 1));
    AGL_CUDA_CHECK(
        cub::DeviceSegmentedReduce::Sum(scratch.data(), bytes, in, out, numSegments, offsets, offsets + 1, stream));
}

// --- The engine --------------------------------------------------------------------------------------------

template <typename T>
class Engine final : public TrainEngine {
public:
    explicit Engine(GpuModelBatch::Impl& s) : s_(s) {}

    void paramsChanged() override { stale_ = true; }

    void setData(const StandardisedData& data) override {
        const auto& elements = s_.layout.elements;
        AGL_CHECK(data.elements.size() == elements.size(), "training data and models have different elements");
        const std::size_t numStructures = data.energies.size();
        AGL_CHECK(data.numAtoms.size() == numStructures, "energies and atom counts differ in length");
        s_.stream.synchronize();  // no kernel of an earlier call may still read the buffers replaced here
        data_.clear();
        data_.resize(elements.size());
        for (std::size_t e = 0; e < elements.size(); ++e) {
            const StandardisedElement& el = data.elements[e];
            AGL_CHECK(el.numFunctions == elements[e].front().in, "features do not match the network inputs");
            AGL_CHECK(el.rowStart.size() == numStructures + 1, "row ranges do not match the structures");
            AGL_CHECK(el.values.size() == el.rowStart.back() * std::size_t(el.numFunctions),
                      "feature matrix does not match its row ranges");
            data_[e].rowStart = el.rowStart;
            if constexpr (std::is_same_v<T, double>) {
                data_[e].X = DeviceBuffer<double>(el.values);
            } else {
                data_[e].X = DeviceBuffer<T>(std::vector<T>(el.values.begin(), el.values.end()));
            }
        }
        energy_ = data.energies;
        numAtoms_ = data.numAtoms;
        work_.clear();
        work_.resize(elements.size());
    }

    void run(const std::uint32_t* structures, int count, int na, std::vector<double>& energies,
             std::vector<double>* mse) override {
        AGL_CHECK(!data_.empty(), "GPU model batch has no training data (call setData first)");
        AGL_CHECK(count >= 0, "negative number of structures");
        // The gradient of an empty batch would leave the previous step's in place (the CPU zeroes it): refused.
        AGL_CHECK(count > 0 || !mse, "a gradient needs at least one structure");
        energies.assign(std::size_t(count) * na, 0.0);
        if (mse) mse->assign(na, 0.0);
        if (count == 0) return;
        cudaStream_t stream = s_.stream.get();
        plan(structures, count, na);
        const int E = int(s_.layout.elements.size());
        const T* P = deviceParams();
        if (mse) {
            ensureSize(gradT_, s_.layout.size);
            gradT_.zero(stream);
        }
        ensureSize(atomOut_, std::max<std::size_t>(atomRows_, 1));
        for (int e = 0; e < E; ++e)
            if (rows_[e] > 0) forward(e, count, na, P);
        // Per (element, slot, structure) atomic-energy sums, then the loss.
        const std::size_t numSegments = std::size_t(E) * na * count;
        ensureSize(atomEnergy_, numSegments);
        if (atomRows_ > 0)
            segmentedSum(scratch_, atomOut_.data(), atomEnergy_.data(), int(numSegments),
                         meta_.data() + segmentOffsets_, stream);
        else
            atomEnergy_.zero(stream);
        const std::size_t bn = std::size_t(count) * na;
        ensureSize(energies_, bn);
        ensureSize(structureGrad_, bn);
        ensureSize(mseTerms_, bn);
        ensureSize(mse_, std::size_t(na));
        lossKernel<<<gridFor(bn), kThreads, 0, stream>>>(count, na, E, atomEnergy_.data(), reference_.data(),
                                                          reference_.data() + count, energies_.data(),
                                                          mse ? structureGrad_.data() : nullptr, mseTerms_.data());
        AGL_CUDA_CHECK_LAUNCH();
        if (mse) {
            segmentedSum(scratch_, mseTerms_.data(), mse_.data(), na, meta_.data() + mseOffsets_, stream);
            for (int e = 0; e < E; ++e)
                if (rows_[e] > 0) backward(e, count, na, P);
            copyActiveKernel<T><<<gridFor(s_.layout.size), kThreads, 0, stream>>>(
                s_.layout.size, s_.slotOf.data(), na, gradT_.data(), s_.grad.data());
            AGL_CUDA_CHECK_LAUNCH();
            mse_.download(mse->data(), std::size_t(na), stream);
        }
        energies_.download(energies.data(), bn, stream);  // synchronises: errors of the whole step surface here
    }

private:
    struct ElementData {
        DeviceBuffer<T> X;                  // (all rows × numFunctions) standardised features
        std::vector<std::size_t> rowStart;  // (numStructures + 1)
    };
    struct ElementWork {
        DeviceBuffer<T> Xb;                 // (rows × numFunctions) this batch's rows
        std::vector<DeviceBuffer<T>> acts;  // [layer] (rows × na·out_l)
    };

    // The parameters in T (fp64: the optimiser's buffer itself; fp32: a float copy, refreshed when stale).
    const T* deviceParams() {
        if constexpr (std::is_same_v<T, double>) {
            return s_.params.data();
        } else {
            if (stale_ || paramsT_.size() != s_.layout.size) {
                paramsT_.resize(s_.layout.size);
                convertKernel<T><<<gridFor(s_.layout.size), kThreads, 0, s_.stream.get()>>>(
                    s_.layout.size, s_.params.data(), paramsT_.data());
                AGL_CUDA_CHECK_LAUNCH();
                stale_ = false;
            }
            return paramsT_.data();
        }
    }

    // Host side of a batch: row ranges (per element: destination starts (B + 1), source starts (B)), the
    // segment offsets of the energy sums ((element, slot, structure) in order, all adjacent: E·na·B + 1) and
    // of the MSE sums (na + 1), reference energies and atom counts; one upload each.
    void plan(const std::uint32_t* structures, int B, int na) {
        const std::size_t E = s_.layout.elements.size();
        for (int b = 0; b < B; ++b) {
            AGL_CHECK(structures[b] < energy_.size(), "structure index " + std::to_string(structures[b]) +
                                                          " outside the training data");
            // As the CPU's gatherBatch: the loss divides by the atom count.
            AGL_CHECK(numAtoms_[structures[b]] > 0, "a structure without atoms cannot be trained on");
        }
        hostMeta_.clear();
        dstOffsets_.assign(E, 0);
        srcOffsets_.assign(E, 0);
        rows_.assign(E, 0);
        for (std::size_t e = 0; e < E; ++e) {
            const auto& rowStart = data_[e].rowStart;
            dstOffsets_[e] = hostMeta_.size();
            long long rows = 0;
            hostMeta_.push_back(0);
            for (int b = 0; b < B; ++b) {
                rows += (long long)(rowStart[structures[b] + 1] - rowStart[structures[b]]);
                hostMeta_.push_back(rows);
            }
            AGL_CHECK(rows <= (long long)(1 << 30), "mini-batch too large for one GPU pass");
            rows_[e] = int(rows);
            srcOffsets_[e] = hostMeta_.size();
            for (int b = 0; b < B; ++b) hostMeta_.push_back((long long)rowStart[structures[b]]);
        }
        segmentOffsets_ = hostMeta_.size();
        atomBase_.assign(E, 0);
        long long base = 0;
        for (std::size_t e = 0; e < E; ++e) {
            atomBase_[e] = std::size_t(base);
            for (int k = 0; k < na; ++k)
                for (int b = 0; b < B; ++b)
                    hostMeta_.push_back(base + (long long)k * rows_[e] + hostMeta_[dstOffsets_[e] + b]);
            base += (long long)na * rows_[e];
        }
        hostMeta_.push_back(base);
        atomRows_ = std::size_t(base);
        AGL_CHECK(std::size_t(E) * na * B < std::size_t(1) << 31, "too many energy segments for one GPU pass");
        mseOffsets_ = hostMeta_.size();
        for (int k = 0; k <= na; ++k) hostMeta_.push_back((long long)k * B);
        ensureSize(meta_, hostMeta_.size());
        meta_.upload(hostMeta_, s_.stream.get());
        hostReference_.resize(2 * std::size_t(B));
        for (int b = 0; b < B; ++b) {
            hostReference_[b] = energy_[structures[b]];
            hostReference_[B + b] = numAtoms_[structures[b]];
        }
        ensureSize(reference_, hostReference_.size());
        reference_.upload(hostReference_, s_.stream.get());
    }

    void forward(int e, int B, int na, const T* P) {
        const auto& layers = s_.layout.elements[e];
        cudaStream_t stream = s_.stream.get();
        cublasHandle_t h = s_.blas.get();
        const int R = rows_[e], nf = layers.front().in;
        ElementWork& w = work_[e];
        ensureSize(w.Xb, std::size_t(R) * nf);
        gatherRowsKernel<T><<<B, kThreads, 0, stream>>>(nf, meta_.data() + dstOffsets_[e],
                                                        meta_.data() + srcOffsets_[e], data_[e].X.data(), w.Xb.data());
        AGL_CUDA_CHECK_LAUNCH();
        w.acts.resize(layers.size());
        for (std::size_t l = 0; l < layers.size(); ++l) {
            const GpuLayerDesc& L = layers[l];
            ensureSize(w.acts[l], std::size_t(R) * na * L.out);
            const T* W = P + L.slotWeight[0];
            if (l == 0)  // all active models in one wide GEMM: A⁰ = X · W⁰[:, 0:na·h₀]
                gemm(h, CUBLAS_OP_N, CUBLAS_OP_N, na * L.out, R, L.in, W, L.weightLd, w.Xb.data(), nf,
                     w.acts[0].data(), na * L.out);
            else  // per model k: Aˡ_k = Aˡ⁻¹_k · Wˡ_k, column blocks of the wide activations
                gemmBatched(h, CUBLAS_OP_N, CUBLAS_OP_N, L.out, R, L.in, W, L.out, (long long)L.in * L.out,
                            w.acts[l - 1].data(), na * L.in, L.in, w.acts[l].data(), na * L.out, L.out, na);
            const bool last = l + 1 == layers.size();
            biasActivateKernel<T><<<gridFor(std::size_t(R) * na * L.out), kThreads, 0, stream>>>(
                R, na * L.out, P + L.slotBias[0], L.activation, w.acts[l].data(),
                last ? atomOut_.data() + atomBase_[e] : nullptr);
            AGL_CUDA_CHECK_LAUNCH();
        }
    }

    void backward(int e, int B, int na, const T* P) {
        const auto& layers = s_.layout.elements[e];
        cudaStream_t stream = s_.stream.get();
        cublasHandle_t h = s_.blas.get();
        const int R = rows_[e], nf = layers.front().in;
        ElementWork& w = work_[e];
        std::size_t widest = 1;
        for (std::size_t l = 0; l < layers.size(); ++l)
            widest = std::max({widest, std::size_t(layers[l].out), l ? std::size_t(layers[l].in) : 1});
        ensureSize(delta_, std::size_t(R) * na * widest);
        ensureSize(deltaPrev_, std::size_t(R) * na * widest);
        if (ones_.size() < std::size_t(R)) {
            ones_.resize(std::size_t(R));
            fillKernel<T><<<gridFor(ones_.size()), kThreads, 0, stream>>>(ones_.size(), T(1), ones_.data());
            AGL_CUDA_CHECK_LAUNCH();
        }
        const int L = int(layers.size());
        outputDeltaKernel<T><<<B, kThreads, 0, stream>>>(na, meta_.data() + dstOffsets_[e], structureGrad_.data(),
                                                         layers[L - 1].activation, w.acts[L - 1].data(),
                                                         delta_.data());
        AGL_CUDA_CHECK_LAUNCH();
        for (int l = L - 1; l >= 0; --l) {  // delta_ holds ∂MSE/∂z of layer l (R × na·out)
            const GpuLayerDesc& S = layers[l];
            const int ldd = na * S.out;
            T* GW = gradT_.data() + S.slotWeight[0];
            gemv(h, ldd, R, delta_.data(), ldd, ones_.data(), gradT_.data() + S.slotBias[0]);  // Σ_rows Δ
            if (l == 0) {  // Xᵀ · Δ⁰ for all active models at once, rows j of the wide W⁰ gradient
                gemm(h, CUBLAS_OP_N, CUBLAS_OP_T, ldd, nf, R, delta_.data(), ldd, w.Xb.data(), nf, GW, S.weightLd);
                break;
            }
            // GW_k = Aˡ⁻¹_kᵀ · Δ_k ;  P_k = Δ_k · W_kᵀ   (strided over the models)
            gemmBatched(h, CUBLAS_OP_N, CUBLAS_OP_T, S.out, S.in, R, delta_.data(), ldd, S.out, w.acts[l - 1].data(),
                        na * S.in, S.in, GW, S.out, (long long)S.in * S.out, na);
            gemmBatched(h, CUBLAS_OP_T, CUBLAS_OP_N, S.in, R, S.out, P + S.slotWeight[0], S.out,
                        (long long)S.in * S.out, delta_.data(), ldd, S.out, deltaPrev_.data(), na * S.in, S.in, na);
            const Activation previous = layers[l - 1].activation;
            if (previous != Activation::Linear) {
                const std::size_t n = std::size_t(R) * na * S.in;
                slopeKernel<T><<<gridFor(n), kThreads, 0, stream>>>(n, previous, w.acts[l - 1].data(),
                                                                    deltaPrev_.data());
                AGL_CUDA_CHECK_LAUNCH();
            }
            std::swap(delta_, deltaPrev_);
        }
    }

    GpuModelBatch::Impl& s_;
    bool stale_ = true;
    DeviceBuffer<T> paramsT_, gradT_, ones_, delta_, deltaPrev_;
    std::vector<ElementData> data_;
    std::vector<double> energy_, numAtoms_;
    std::vector<ElementWork> work_;
    // The current batch.
    std::vector<long long> hostMeta_;
    std::vector<std::size_t> dstOffsets_, srcOffsets_, atomBase_;
    std::size_t segmentOffsets_ = 0, mseOffsets_ = 0, atomRows_ = 0;
    std::vector<int> rows_;
    std::vector<double> hostReference_;
    DeviceBuffer<long long> meta_;
    DeviceBuffer<double> reference_, atomOut_, atomEnergy_, energies_, structureGrad_, mseTerms_, mse_;
    DeviceBuffer<unsigned char> scratch_;
};

}  // namespace

std::unique_ptr<TrainEngine> makeTrainEngine(GpuModelBatch::Impl& impl) {
    if (impl.precision == Precision::Fp64) return std::make_unique<Engine<double>>(impl);
    return std::make_unique<Engine<float>>(impl);
}

}  // namespace agl::gpu
