// FNV-1a, 64 bit: a fast checksum of a byte string. Detects damaged or mismatched files (checkpoints, run
// identities); not a cryptographic hash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
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

// A checksum of a long run of 64-bit words that arrives in pieces of any length (the rows of a growing
// matrix: agl features' state files). fnv1a64 is one multiply per byte in one chain (~0.7 GB/s), too slow
// beside the derivative pass; this is four independent chains of one multiply-rotate-multiply round per word
// (word i goes to chain i mod 4; the round and the two odd constants are xxHash64's), so it runs near memory
// speed, and a final mix of the chains and the count.
// The value depends only on the words and their order, not on how they were split into add() calls.
class WordChecksum {
public:
    void add(const void* words, std::size_t n) {  // n words of 8 bytes (any alignment)
        const auto* p = static_cast<const unsigned char*>(words);
        std::size_t i = 0;
        for (; i < n && (count_ & 3) != 0; ++i) addOne(p + 8 * i);
        for (; i + 4 <= n; i += 4, count_ += 4)  // chain c takes word i + c (count_ is a multiple of 4 here)
            for (int c = 0; c < 4; ++c) chain_[c] = round(chain_[c], load(p + 8 * (i + c)));
        for (; i < n; ++i) addOne(p + 8 * i);
    }
    std::uint64_t value() const {
        std::uint64_t h = count_ * kPrime1;
        for (int c = 0; c < 4; ++c) h = (h ^ round(0, chain_[c])) * kPrime1 + kPrime2;
        h ^= h >> 33;  // final avalanche: every bit of the chains reaches every bit of the value
        h *= kPrime2;
        h ^= h >> 29;
        return h;
    }
    std::uint64_t words() const { return count_; }

private:
    static constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ull, kPrime2 = 0xC2B2AE3D27D4EB4Full;
    static std::uint64_t load(const unsigned char* p) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        return w;
    }
    static std::uint64_t round(std::uint64_t h, std::uint64_t w) {
        h += w * kPrime2;
        h = (h << 31) | (h >> 33);
        return h * kPrime1;
    }
    void addOne(const unsigned char* p) {
        chain_[count_ & 3] = round(chain_[count_ & 3], load(p));
        ++count_;
    }
    std::uint64_t chain_[4] = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
    std::uint64_t count_ = 0;
};

}  // namespace agl
