// RAII wrappers of a CUDA stream and a cuBLAS handle (move-only; destroyed when they go out of scope).
//   Stream s;  kernel<<<g, b, 0, s.get()>>>(...);  s.synchronize();
//   CublasHandle h(s.get());  AGL_CUBLAS_CHECK(cublas().sgemm(h.get(), ...));   (cuBLAS loaded by the first handle)
// cuBLAS math mode is left at CUBLAS_DEFAULT_MATH: no silent TF32 (precision modes are explicit).
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <utility>

#include "agl/gpu/cuda_check.hpp"

namespace agl::gpu {

class Stream {
public:
    Stream() { AGL_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
    ~Stream() {
        if (stream_) cudaStreamDestroy(stream_);
    }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    Stream(Stream&& o) noexcept : stream_(std::exchange(o.stream_, nullptr)) {}
    Stream& operator=(Stream&& o) noexcept {
        if (this != &o) {
            if (stream_) cudaStreamDestroy(stream_);
            stream_ = std::exchange(o.stream_, nullptr);
        }
        return *this;
    }
    cudaStream_t get() const { return stream_; }
    void synchronize() const { AGL_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

private:
    cudaStream_t stream_ = nullptr;
};

class CublasHandle {
public:
    explicit CublasHandle(cudaStream_t stream = nullptr) {
        AGL_CUBLAS_CHECK(cublas().create(&handle_));
        AGL_CUBLAS_CHECK(cublas().setStream(handle_, stream));
        AGL_CUBLAS_CHECK(cublas().setMathMode(handle_, CUBLAS_DEFAULT_MATH));
    }
    ~CublasHandle() {
        if (handle_) cublas().destroy(handle_);  // loaded: the handle exists
    }
    CublasHandle(const CublasHandle&) = delete;
    CublasHandle& operator=(const CublasHandle&) = delete;
    CublasHandle(CublasHandle&& o) noexcept : handle_(std::exchange(o.handle_, nullptr)) {}
    CublasHandle& operator=(CublasHandle&& o) noexcept {
        if (this != &o) {
            if (handle_) cublas().destroy(handle_);  // loaded: the handle exists
            handle_ = std::exchange(o.handle_, nullptr);
        }
        return *this;
    }
    cublasHandle_t get() const { return handle_; }

private:
    cublasHandle_t handle_ = nullptr;
};

}  // namespace agl::gpu
