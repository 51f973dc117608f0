// Fast text scanning shared by the readers of host/io (private to the io job).
//
// LineReader streams a file in large blocks (no iostream) and hands out each line as a string_view into its
// buffer, valid until the next call. splitTokens cuts a line at blanks without allocating. The number parsers
// use std::from_chars (locale-free, exact round trip) and throw agl::InputError naming file, line and problem:
// a token that is not a number, trailing garbage, or NaN/Inf (never accepted in input data).
#pragma once
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agl/error.hpp"

namespace agl::io {

class LineReader {
public:
    explicit LineReader(std::string path);  // throws InputError when the file cannot be opened
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // Next line without its '\n' (and a trailing '\r'); false at the end of the file.
    bool next(std::string_view& line);
    long lineNumber() const { return line_; }  // 1-based number of the line last returned
    const std::string& path() const { return path_; }
    std::uint64_t bytesConsumed() const { return consumed_; }

    [[noreturn]] void fail(const std::string& problem) const { throw InputError(path_, line_, problem); }
    [[noreturn]] void failAt(long line, const std::string& problem) const { throw InputError(path_, line, problem); }

private:
    bool refill();
    std::string path_;
    int fd_ = -1;
    std::vector<char> buf_;
    std::size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
    bool eof_ = false;
    long line_ = 0;
    std::uint64_t consumed_ = 0;
};

inline bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// Splits at runs of blanks. Fills at most `max` tokens and returns how many there are in total, so a caller
// can check an exact count without a second pass.
inline std::size_t splitTokens(std::string_view line, std::string_view* out, std::size_t max) {
    std::size_t n = 0, i = 0, len = line.size();
    const char* p = line.data();
    while (true) {
        while (i < len && isBlank(p[i])) ++i;
        if (i == len) return n;
        std::size_t start = i;
        while (i < len && !isBlank(p[i])) ++i;
        if (n < max) out[n] = std::string_view(p + start, i - start);
        ++n;
    }
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && isBlank(s.front())) s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
    return s;
}

// Parses a whole token as a finite double ("1.5", "-2E+03", "+0.25"); false when it is not one.
inline bool toDouble(std::string_view tok, double& v) {
    const char* b = tok.data();
    const char* e = b + tok.size();
    if (b != e && *b == '+') ++b;  // from_chars rejects a leading '+', C and Python accept it
    auto res = std::from_chars(b, e, v);
    return res.ec == std::errc() && res.ptr == e && b != e;
}

[[noreturn]] void failNumber(const LineReader& in, std::string_view tok, std::string_view what);

// A finite double, or InputError "<what>: 'tok' is not a number" / "... is not finite".
inline double parseDouble(const LineReader& in, std::string_view tok, std::string_view what) {
    double v;
    if (!toDouble(tok, v) || !std::isfinite(v)) failNumber(in, tok, what);
    return v;
}

long long parseInteger(const LineReader& in, std::string_view tok, std::string_view what);

// Shortest text that reads back to exactly the same double (std::to_chars), with ".0" added to integral
// values so that every number looks like a real ("0.0", "-754.0", "1e-05", "2.8"). Writes at most 32 chars.
char* formatShortest(char* out, double v);
void appendShortest(std::string& s, double v);
std::string shortest(double v);

}  // namespace agl::io
