// The loader of include/agl/gpu/cublas_api.hpp.
#include "agl/gpu/cublas_api.hpp"

#include <dlfcn.h>

#include <string>

#include "agl/error.hpp"

namespace agl::gpu {
namespace {

void* openCublas() {
    const std::string soname = AGL_CUBLAS_SONAME;  // e.g. libcublas.so.13 (CMakeLists.txt)
    if (void* lib = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL)) return lib;
    const auto why = [] {
        const char* e = dlerror();
        return std::string(e ? e : "not found");
    };
    const std::string first = why();
    const std::string inToolkit = std::string(AGL_CUBLAS_DIR) + "/" + soname;
    if (void* lib = dlopen(inToolkit.c_str(), RTLD_NOW | RTLD_LOCAL)) return lib;
    throw Error("cannot load cuBLAS for the GPU: " + first + "; " + why() +
                " (install the CUDA toolkit's libraries or put their folder on LD_LIBRARY_PATH)");
}

template <typename F>
void bind(void* lib, F& entry, const char* name) {
    dlerror();
    entry = reinterpret_cast<F>(dlsym(lib, name));
    if (entry) return;
    const char* why = dlerror();
    dlclose(lib);  // a retry of cublas() opens it again
    throw Error(std::string("cuBLAS (") + AGL_CUBLAS_SONAME + ") has no function " + name + ": " +
                (why ? why : "a null address") + " (another CUDA version than agl was built with?)");
}

CublasApi load() {
    void* lib = openCublas();
    CublasApi api{};
    // AGL_STRINGIFY expands the header's macro first: the _v2 name of the declaration decltype saw.
#define AGL_BIND(entry, function) bind(lib, api.entry, AGL_STRINGIFY(function))
    AGL_BIND(create, cublasCreate);
    AGL_BIND(destroy, cublasDestroy);
    AGL_BIND(setStream, cublasSetStream);
    AGL_BIND(setMathMode, cublasSetMathMode);
    AGL_BIND(statusName, cublasGetStatusName);
    AGL_BIND(statusString, cublasGetStatusString);
    AGL_BIND(sgemm, cublasSgemm);
    AGL_BIND(dgemm, cublasDgemm);
    AGL_BIND(sgemmStridedBatched, cublasSgemmStridedBatched);
    AGL_BIND(dgemmStridedBatched, cublasDgemmStridedBatched);
    AGL_BIND(sgemv, cublasSgemv);
    AGL_BIND(dgemv, cublasDgemv);
#undef AGL_BIND
    return api;
}

}  // namespace

const CublasApi& cublas() {
    static const CublasApi api = load();  // a failed load throws and is tried again by the next call
    return api;
}

}  // namespace agl::gpu
