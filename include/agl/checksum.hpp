// FNV-1a, 64 bit: a fast checksum of a byte string. Detects damaged or mismatched files (checkpoints, run
// identities); not a cryptographic hash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace agl {

constexpr std::uint64_t kFnv1a64Start = 14695981039346656037ull;

// `h`: the checksum of the bytes before these, to run on over several pieces.
inline std::uint64_t fnv1a64(const void* bytes, std::size_t n, std::uint64_t h = kFnv1a64Start) {
    const auto* p = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

inline std::uint64_t fnv1a64(const std::string& bytes) { return fnv1a64(bytes.data(), bytes.size()); }

}  // namespace agl
