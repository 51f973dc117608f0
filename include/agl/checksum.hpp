// FNV-1a, 64 bit: a fast checksum of a byte string. Detects damaged or mismatched files (checkpoints, run
// identities); not a cryptographic hash.
#pragma once
#include <cstdint>
#include <string>

namespace agl {

inline std::uint64_t fnv1a64(const std::string& bytes) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    return h;
}

}  // namespace agl
