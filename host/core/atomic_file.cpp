#include "agl/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "agl/error.hpp"

namespace fs = std::filesystem;

namespace agl {

void refuseOverwrite(const std::string& path, bool force) {
    if (!force && fs::exists(path))
        throw InputError(path, 0, "exists already; not overwriting it (use --force to replace it)");
}

namespace {
// The folders prepareOutputDir created in this process (parents included), in the order created.
std::vector<fs::path>& createdFolders() {
    static std::vector<fs::path> folders;
    return folders;
}
}  // namespace

void prepareOutputDir(const std::string& dir, bool force) {
    std::error_code ec;
    if (fs::exists(dir, ec)) {
        if (!fs::is_directory(dir)) throw InputError(dir, 0, "exists and is not a directory");
        if (!force && !fs::is_empty(dir))
            throw InputError(dir, 0, "output folder exists and is not empty (use --force to write into it)");
        return;
    }
    std::vector<fs::path> missing;  // dir and its missing parents, innermost first
    for (fs::path p = fs::absolute(dir, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) break;
    }
    if (!fs::create_directories(dir, ec)) throw InputError(dir, 0, "cannot create folder: " + ec.message());
    createdFolders().insert(createdFolders().end(), missing.rbegin(), missing.rend());
}

void removeEmptyCreatedFolders() {
    std::error_code ec;
    auto& folders = createdFolders();
    for (auto it = folders.rbegin(); it != folders.rend(); ++it)
        if (fs::is_directory(*it, ec) && fs::is_empty(*it, ec)) fs::remove(*it, ec);  // never a folder with files
    folders.clear();
}

namespace {
void syncPath(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw Error(path + ": cannot open to sync it to the disk: " + std::strerror(errno));
    const int rc = ::fsync(fd), err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL && err != ENOTSUP)
        throw Error(path + ": syncing to the disk failed: " + std::strerror(err));
}
}  // namespace

void syncFile(const std::string& path) { syncPath(path, O_RDONLY); }

void syncFolder(const std::string& dir) { syncPath(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY); }

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
    syncFile(tempPath_);
    std::error_code ec;
    fs::rename(tempPath_, path_, ec);
    if (ec) throw InputError(path_, 0, "cannot rename the finished file into place: " + ec.message());
    committed_ = true;
    syncFolder(fs::path(path_).parent_path().string());
}

}  // namespace agl
