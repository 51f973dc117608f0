// Error checking for CUDA runtime and cuBLAS calls: a failed call throws agl::Error carrying the failing
// expression, the CUDA error name and text, and file:line (never exits, never continues silently).
//
//   AGL_CUDA_CHECK(cudaMalloc(&p, bytes));
//   kernel<<<grid, block, 0, stream>>>(...); AGL_CUDA_CHECK_LAUNCH();   // launch-configuration errors
//   AGL_CUBLAS_CHECK(cublas().dgemm(...));      // cuBLAS through its loaded table (cublas_api.hpp)
//
// Only for translation units that see the CUDA headers (cuda/*.cu, and .cpp files of a CUDA build).
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <string>

#include "agl/error.hpp"
#include "agl/gpu/cublas_api.hpp"

namespace agl::gpu::detail {

[[noreturn]] inline void throwCudaError(cudaError_t err, const char* expr, const char* where) {
    cudaGetLastError();  // clear a non-sticky error so the next call starts clean
    throw Error(std::string(where) + ": CUDA call `" + expr + "` failed: " + cudaGetErrorName(err) + " (" +
                cudaGetErrorString(err) + ")");
}

[[noreturn]] inline void throwCublasError(cublasStatus_t status, const char* expr, const char* where) {
    throw Error(std::string(where) + ": cuBLAS call `" + expr + "` failed: " + cublas().statusName(status) +
                " (" + cublas().statusString(status) + ")");
}

}  // namespace agl::gpu::detail

#define AGL_CUDA_CHECK(expr)                                                                        \
    do {                                                                                            \
        const cudaError_t agl_cuda_err_ = (expr);                                                   \
        if (agl_cuda_err_ != cudaSuccess)                                                           \
            ::agl::gpu::detail::throwCudaError(agl_cuda_err_, #expr, __FILE__ ":" AGL_STRINGIFY(__LINE__)); \
    } while (0)

// After a kernel launch: reports a bad launch configuration at once (execution errors surface at the next
// synchronising call, which is checked too).
#define AGL_CUDA_CHECK_LAUNCH() AGL_CUDA_CHECK(cudaGetLastError())

#define AGL_CUBLAS_CHECK(expr)                                                                      \
    do {                                                                                            \
        const cublasStatus_t agl_cublas_status_ = (expr);                                           \
        if (agl_cublas_status_ != CUBLAS_STATUS_SUCCESS)                                            \
            ::agl::gpu::detail::throwCublasError(agl_cublas_status_, #expr,                         \
                                                 __FILE__ ":" AGL_STRINGIFY(__LINE__));             \
    } while (0)
