// DeviceBuffer<T>: a move-only owner of `size()` elements of T in GPU global memory (cudaMalloc/cudaFree),
// with checked host↔device copies. Contents are uninitialised after construction (call zero() if needed).
// A destructor never throws: a failing cudaFree (only after an earlier fatal device error) is ignored.
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "agl/error.hpp"
#include "agl/gpu/cuda_check.hpp"

namespace agl::gpu {

template <typename T>
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(std::size_t n) { allocate(n); }
    explicit DeviceBuffer(const std::vector<T>& host) {
        allocate(host.size());
        upload(host);
    }
    ~DeviceBuffer() { release(); }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), size_(std::exchange(o.size_, 0)) {}
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        if (this != &o) {
            release();
            ptr_ = std::exchange(o.ptr_, nullptr);
            size_ = std::exchange(o.size_, 0);
        }
        return *this;
    }

    T* data() { return ptr_; }
    const T* data() const { return ptr_; }
    std::size_t size() const { return size_; }
    std::size_t bytes() const { return size_ * sizeof(T); }
    bool empty() const { return size_ == 0; }

    // Reallocates only when n differs from the current size (contents are then lost). Safe while kernels
    // queued on any stream may still use the old memory, because cudaFree waits for the device to be idle;
    // a stream-ordered free (cudaFreeAsync, memory pools) would need the using stream synchronised first.
    void resize(std::size_t n) {
        if (n == size_) return;
        release();
        allocate(n);
    }
    void zero(cudaStream_t stream = nullptr) {
        if (size_) AGL_CUDA_CHECK(cudaMemsetAsync(ptr_, 0, bytes(), stream));
    }
    // Synchronous copies (stream-ordered on `stream`, then the stream is synchronised).
    void upload(const std::vector<T>& host, cudaStream_t stream = nullptr) { upload(host.data(), host.size(), stream); }
    void upload(const T* host, std::size_t n, cudaStream_t stream = nullptr) {
        AGL_CHECK(n <= size_, "upload of " + std::to_string(n) + " elements into a buffer of " + std::to_string(size_));
        if (n == 0) return;
        AGL_CUDA_CHECK(cudaMemcpyAsync(ptr_, host, n * sizeof(T), cudaMemcpyHostToDevice, stream));
        AGL_CUDA_CHECK(cudaStreamSynchronize(stream));
    }
    std::vector<T> download(cudaStream_t stream = nullptr) const { return download(size_, stream); }
    std::vector<T> download(std::size_t n, cudaStream_t stream = nullptr) const {
        AGL_CHECK(n <= size_, "download of " + std::to_string(n) + " elements from a buffer of " + std::to_string(size_));
        std::vector<T> host(n);
        download(host.data(), n, stream);
        return host;
    }
    void download(T* host, std::size_t n, cudaStream_t stream = nullptr) const {
        downloadAsync(host, n, stream);
        if (n) AGL_CUDA_CHECK(cudaStreamSynchronize(stream));
    }
    // The copy enqueued on `stream` without waiting for it: `host` must stay valid and unread until the caller
    // synchronises the stream (several downloads, one synchronisation).
    void downloadAsync(T* host, std::size_t n, cudaStream_t stream) const {
        AGL_CHECK(n <= size_, "download of " + std::to_string(n) + " elements from a buffer of " + std::to_string(size_));
        if (n == 0) return;
        AGL_CUDA_CHECK(cudaMemcpyAsync(host, ptr_, n * sizeof(T), cudaMemcpyDeviceToHost, stream));
    }

private:
    void allocate(std::size_t n) {
        if (n == 0) return;
        void* p = nullptr;
        const cudaError_t err = cudaMalloc(&p, n * sizeof(T));
        if (err != cudaSuccess) {
            cudaGetLastError();
            throw Error("GPU out of memory? cudaMalloc of " + std::to_string(n * sizeof(T)) + " bytes failed: " +
                        cudaGetErrorString(err));
        }
        ptr_ = static_cast<T*>(p);
        size_ = n;
    }
    void release() noexcept {
        if (ptr_) cudaFree(ptr_);
        ptr_ = nullptr;
        size_ = 0;
    }

    T* ptr_ = nullptr;
    std::size_t size_ = 0;
};

// Scratch reused from call to call (an MD loop, a training epoch): grows, never shrinks, so a buffer's
// size() is its capacity — pass the element counts explicitly to kernels and downloads.
// Grows a buffer to at least n elements; contents are lost when it grows.
template <typename T>
void ensureSize(DeviceBuffer<T>& buffer, std::size_t n) {
    if (buffer.size() < n) buffer.resize(n);
}
// ensureSize, then the host values into the first host.size() elements.
template <typename T>
void uploadInto(DeviceBuffer<T>& buffer, const std::vector<T>& host, cudaStream_t stream) {
    ensureSize(buffer, host.size());
    buffer.upload(host, stream);
}
// uploadInto, skipped when `uploaded` (the caller's record of what the buffer holds) already equals `host`:
// inputs that repeat from call to call (the per-atom layout in an MD loop) then cost no copy and no
// synchronisation. `buffer` must be written only through this function.
template <typename T>
void uploadIfChanged(DeviceBuffer<T>& buffer, const std::vector<T>& host, std::vector<T>& uploaded,
                     cudaStream_t stream) {
    if (buffer.size() >= host.size() && host == uploaded) return;
    uploaded.clear();  // a failed upload (or a reallocation it lost) must not be taken for the values later
    uploadInto(buffer, host, stream);
    uploaded = host;
}
// Zeroes the first n elements.
template <typename T>
void zeroFirst(DeviceBuffer<T>& buffer, std::size_t n, cudaStream_t stream) {
    AGL_CHECK(n <= buffer.size(), "zeroing past the end of a device buffer");
    if (n) AGL_CUDA_CHECK(cudaMemsetAsync(buffer.data(), 0, n * sizeof(T), stream));
}

}  // namespace agl::gpu
