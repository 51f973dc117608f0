// Output files that are never half-written: AtomicFile writes to a temporary file next to the target and
// renames it onto the final name in commit(); destroyed without commit (an error, an interrupt) it removes
// the temporary. Existing files are not overwritten unless `force` is set. commit() syncs the data before
// the rename and the folder after it, so a power loss leaves the old file or the whole new one.
#pragma once
#include <fstream>
#include <string>

namespace agl {

class AtomicFile {
public:
    AtomicFile(std::string path, bool force);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    std::ostream& stream() { return out_; }
    const std::string& tempPath() const { return tempPath_; }
    void commit();  // flush, check the stream, rename onto the final path

private:
    std::string path_, tempPath_;
    std::ofstream out_;
    bool committed_ = false;
};

// The written data of a file, and the entries of a folder (a rename, a new file), forced onto the disk
// (fsync): what a run records as done then survives a power loss, not only a killed process. agl::Error
// when the system reports a failed write; a file system that cannot sync (EINVAL) is taken as it is.
void syncFile(const std::string& path);
void syncFolder(const std::string& dir);

// Throws agl::InputError when `path` exists and `force` is false.
void refuseOverwrite(const std::string& path, bool force);
// Creates an output directory. An existing non-empty directory is an error unless `force`.
void prepareOutputDir(const std::string& dir, bool force);
// After a failed command: removes the folders prepareOutputDir created that are still empty (innermost first),
// so that a run refused for its input leaves nothing behind. A folder with any file in it is kept.
void removeEmptyCreatedFolders();

}  // namespace agl
