#include "agl/atomic_file.hpp"

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "agl/error.hpp"

namespace fs = std::filesystem;

namespace agl {

void refuseOverwrite(const std::string& path, bool force) {
    if (!force && fs::exists(path))
        throw InputError(path, 0, "exists already; not overwriting it (use --force to replace it)");
}

void prepareOutputDir(const std::string& dir, bool force) {
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir)) throw InputError(dir, 0, "exists and is not a directory");
        if (!force && !fs::is_empty(dir))
            throw InputError(dir, 0, "output folder exists and is not empty (use --force to write into it)");
        return;
    }
    if (!fs::create_directories(dir, ec)) throw InputError(dir, 0, "cannot create folder: " + ec.message());
}

AtomicFile::AtomicFile(std::string path, bool force) : path_(std::move(path)) {
    refuseOverwrite(path_, force);
    tempPath_ = path_ + ".tmp." + std::to_string(::getpid());
    out_.open(tempPath_, std::ios::binary | std::ios::trunc);
    if (!out_) throw InputError(path_, 0, "cannot open for writing");
}

AtomicFile::~AtomicFile() {
    if (!committed_) {
        out_.close();
        std::remove(tempPath_.c_str());
    }
}

void AtomicFile::commit() {
    out_.flush();
    if (!out_) throw InputError(path_, 0, "write failed (disk full?)");
    out_.close();
    std::error_code ec;
    fs::rename(tempPath_, path_, ec);
    if (ec) throw InputError(path_, 0, "cannot rename the finished file into place: " + ec.message());
    committed_ = true;
}

}  // namespace agl
