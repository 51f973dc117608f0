// Output files that are never half-written: AtomicFile writes to a temporary file next to the target and
// renames it onto the final name in commit(); destroyed without commit (an error, an interrupt) it removes
// the temporary. Existing files are not overwritten unless `force` is set.
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

// Throws agl::InputError when `path` exists and `force` is false.
void refuseOverwrite(const std::string& path, bool force);
// Creates an output directory. An existing non-empty directory is an error unless `force`.
void prepareOutputDir(const std::string& dir, bool force);
// After a failed command: removes the folders prepareOutputDir created that are still empty (innermost first),
// so that a run refused for its input leaves nothing behind. A folder with any file in it is kept.
void removeEmptyCreatedFolders();

}  // namespace agl
