// Kernels that give one warp to one item (a centre atom, a weight group): the lane count and the sum over
// the lanes. Internal to cuda/.
#pragma once

namespace agl::gpu {

constexpr int kWarp = 32;

// The sum of v over the 32 lanes of the warp, returned on every lane; every lane must take part (full mask:
// a kernel that returns early must do so for the whole warp). A butterfly (xor) reduction: the same
// additions in the same order on every call, so results repeat bit for bit.
__device__ __forceinline__ double warpSum(double v) {
    for (int offset = kWarp / 2; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
    return v;
}

}  // namespace agl::gpu
