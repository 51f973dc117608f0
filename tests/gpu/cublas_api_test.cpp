// cuBLAS is loaded at the first GPU use, not when a process starts (include/agl/gpu/cublas_api.hpp). Unlike the
// other GPU tests, these run without a GPU: they need only the toolkit's libraries, which a CUDA build has.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "agl/device.hpp"
#include "agl/gpu/cublas_api.hpp"

namespace {

// Every entry bound to the v2 function its type names: the status names come back, and a handle is made
// where a GPU is usable (refused with a status, not a crash, where none is).
TEST(CublasApi, EveryEntryIsBoundAndCallable) {
    const agl::gpu::CublasApi& api = agl::gpu::cublas();
    EXPECT_STREQ(api.statusName(CUBLAS_STATUS_SUCCESS), "CUBLAS_STATUS_SUCCESS");
    EXPECT_STREQ(api.statusName(CUBLAS_STATUS_INVALID_VALUE), "CUBLAS_STATUS_INVALID_VALUE");
    EXPECT_NE(api.statusString(CUBLAS_STATUS_NOT_INITIALIZED), nullptr);
    const void* entries[] = {reinterpret_cast<const void*>(api.create),
                             reinterpret_cast<const void*>(api.destroy),
                             reinterpret_cast<const void*>(api.setStream),
                             reinterpret_cast<const void*>(api.setMathMode),
                             reinterpret_cast<const void*>(api.sgemm),
                             reinterpret_cast<const void*>(api.dgemm),
                             reinterpret_cast<const void*>(api.sgemmStridedBatched),
                             reinterpret_cast<const void*>(api.dgemmStridedBatched),
                             reinterpret_cast<const void*>(api.sgemv),
                             reinterpret_cast<const void*>(api.dgemv)};
    for (const void* e : entries) EXPECT_NE(e, nullptr);
    cublasHandle_t handle = nullptr;
    const cublasStatus_t status = api.create(&handle);
    if (agl::gpu::available(nullptr)) {
        ASSERT_EQ(status, CUBLAS_STATUS_SUCCESS) << api.statusName(status);
        EXPECT_EQ(api.destroy(handle), CUBLAS_STATUS_SUCCESS);
    } else {
        EXPECT_NE(status, CUBLAS_STATUS_SUCCESS) << "a handle without a GPU";
    }
}

// A CPU run of this CUDA build (HDNNP MD on one core) does not load cuBLAS: linked directly, libcublasLt alone
// made every agl process ~227 MB resident (the run itself needs ~20 MB). The dynamic loader's own log
// (LD_DEBUG=files) lists every library the process loads, dlopen included; that it lists libcudart shows that
// the log works here.
TEST(CublasApi, ACpuRunOfTheCudaBuildDoesNotLoadCublas) {
    const std::string log = testing::TempDir() + "agl_cublas_ld_debug.txt";
    const std::string cmd = "LD_DEBUG=files " + std::string(AGL_BINARY) + " bench-potential --potential " +
                            AGL_TEST_DATA + "/hdnnp/lj7 --measure one-core --atoms 256 --steps 2 --warmup 0 "
                            "--repeats 1 --drift-steps 0 > /dev/null 2> " + log;
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::remove(log.c_str());
    ASSERT_NE(text.find("libcudart"), std::string::npos) << "no loader log: " << text.substr(0, 2000);
    EXPECT_EQ(text.find("libcublas"), std::string::npos) << "cuBLAS loaded by a CPU run";
}

}  // namespace
