// cuBLAS, loaded when the GPU first needs it (the first training state, cuda/train_state.cuh; dlopen), not when
// the program starts. Linked directly, libcublas made every process of a CUDA build map libcublasLt: ~210 MB
// resident and ~70 ms before main, also in CPU-only runs that never touch the GPU (bench/RESULTS.md, 2026-12-08).
//
//   AGL_CUBLAS_CHECK(cublas().dgemm(handle, CUBLAS_OP_N, ...));
//
// Each entry has the type of the cublas_v2.h declaration it stands for (decltype), so a call through the
// table is type-checked as the direct call was; the loader looks up the name that declaration has after the
// header's macros (cublasDgemm → cublasDgemm_v2), never the legacy API of the same short name.
// Only for translation units that see the CUDA headers (cuda/*.cu, tests/gpu/ of a CUDA build).
#pragma once
#include <cublas_v2.h>

namespace agl::gpu {

struct CublasApi {
    decltype(&cublasCreate) create;
    decltype(&cublasDestroy) destroy;
    decltype(&cublasSetStream) setStream;
    decltype(&cublasSetMathMode) setMathMode;
    decltype(&cublasGetStatusName) statusName;
    decltype(&cublasGetStatusString) statusString;
    decltype(&cublasSgemm) sgemm;
    decltype(&cublasDgemm) dgemm;
    decltype(&cublasSgemmStridedBatched) sgemmStridedBatched;
    decltype(&cublasDgemmStridedBatched) dgemmStridedBatched;
    decltype(&cublasSgemv) sgemv;
    decltype(&cublasDgemv) dgemv;
};

// The table, loaded on the first call (thread-safe; kept to the end of the process): libcublas.so.<major
// version of the toolkit agl was built with>, found the way the dynamic loader finds libraries
// (LD_LIBRARY_PATH, the system's cache), else in that toolkit's library folder. agl::Error naming the library
// and the loader's message when it or one of the functions is missing.
const CublasApi& cublas();

}  // namespace agl::gpu
