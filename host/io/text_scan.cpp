#include "text_scan.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace agl::io {
namespace {
constexpr std::size_t kBlockBytes = 4u << 20;  // 4 MiB reads: few syscalls, fits in L2/L3 comfortably
}

LineReader::LineReader(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw InputError(path_, 0, std::string("cannot open for reading: ") + std::strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    buf_.resize(kBlockBytes);
}

LineReader::~LineReader() {
    if (fd_ >= 0) ::close(fd_);
}

// Moves the unread tail to the front and appends the next block; grows the buffer for lines longer than it.
bool LineReader::refill() {
    if (eof_) return false;
    if (begin_ > 0) {
        std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    while (true) {
        ssize_t got = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw InputError(path_, line_, std::string("read failed: ") + std::strerror(errno));
        if (got == 0) {
            eof_ = true;
            return false;
        }
        end_ += static_cast<std::size_t>(got);
        return true;
    }
}

bool LineReader::next(std::string_view& line) {
    std::size_t searchFrom = begin_;
    while (true) {
        const char* start = buf_.data() + searchFrom;
        const void* nl = std::memchr(start, '\n', end_ - searchFrom);
        if (nl) {
            const char* lineBegin = buf_.data() + begin_;
            std::size_t len = static_cast<const char*>(nl) - lineBegin;
            begin_ += len + 1;
            consumed_ += len + 1;
            if (len > 0 && lineBegin[len - 1] == '\r') --len;
            line = std::string_view(lineBegin, len);
            ++line_;
            return true;
        }
        std::size_t scanned = end_ - begin_;
        if (!refill()) break;
        searchFrom = begin_ + scanned;  // begin_ is 0 after refill; skip what was already searched
    }
    if (begin_ == end_) return false;
    // Last line without a final newline.
    const char* lineBegin = buf_.data() + begin_;
    std::size_t len = end_ - begin_;
    consumed_ += len;
    begin_ = end_;
    if (len > 0 && lineBegin[len - 1] == '\r') --len;
    line = std::string_view(lineBegin, len);
    ++line_;
    return true;
}

void failNumber(const LineReader& in, std::string_view tok, std::string_view what) {
    double v;
    std::string t(tok);
    if (toDouble(tok, v) && !std::isfinite(v))
        in.fail(std::string(what) + " is '" + t + "': NaN and Inf are not allowed in input data");
    in.fail(std::string(what) + ": '" + t + "' is not a number");
}

long long parseInteger(const LineReader& in, std::string_view tok, std::string_view what) {
    long long v = 0;
    const char* b = tok.data();
    const char* e = b + tok.size();
    if (b != e && *b == '+') ++b;
    auto res = std::from_chars(b, e, v);
    if (res.ec != std::errc() || res.ptr != e || b == e)
        in.fail(std::string(what) + ": '" + std::string(tok) + "' is not an integer");
    return v;
}

char* formatShortest(char* out, double v) {
    char* end = std::to_chars(out, out + 32, v).ptr;
    // "754" -> "754.0"; "1e+20", "inf", "nan" already read as reals everywhere.
    bool real = false;
    for (char* p = out; p != end; ++p)
        if (*p == '.' || *p == 'e' || *p == 'n' || *p == 'i') real = true;
    if (!real) {
        *end++ = '.';
        *end++ = '0';
    }
    return end;
}

void appendShortest(std::string& s, double v) {
    char buf[40];
    s.append(buf, formatShortest(buf, v));
}

std::string shortest(double v) {
    std::string s;
    appendShortest(s, v);
    return s;
}

}  // namespace agl::io
