// Vec3<T>: the 3-vector used by the CPU and GPU code alike (__host__ __device__, no dependencies).
#pragma once
#include <cmath>

#if defined(__CUDACC__)
#define AGL_HD __host__ __device__ __forceinline__
#else
#define AGL_HD inline
#endif

namespace agl {

template <typename T>
struct Vec3 {
    T x, y, z;
    AGL_HD T& operator[](int i) { return i == 0 ? x : (i == 1 ? y : z); }
    AGL_HD const T& operator[](int i) const { return i == 0 ? x : (i == 1 ? y : z); }
};
using Vec3d = Vec3<double>;
using Vec3f = Vec3<float>;

template <typename T> AGL_HD Vec3<T> operator+(Vec3<T> a, Vec3<T> b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
template <typename T> AGL_HD Vec3<T> operator-(Vec3<T> a, Vec3<T> b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
template <typename T> AGL_HD Vec3<T> operator*(T s, Vec3<T> a) { return {s * a.x, s * a.y, s * a.z}; }
template <typename T> AGL_HD T dot(Vec3<T> a, Vec3<T> b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
template <typename T> AGL_HD Vec3<T> cross(Vec3<T> a, Vec3<T> b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
template <typename T> AGL_HD T norm(Vec3<T> a) { return std::sqrt(dot(a, a)); }

}  // namespace agl
