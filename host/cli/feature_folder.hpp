// The output folder of agl features, written so that an interrupted run loses at most the chunk it was in.
//
// While the run goes on, the matrices grow in OUT/state/, one .npy per file of the finished folder:
//   features_G_<El>.npy.part              float64 (rows × nf): G of the element's atoms, data-set order
//   features_dGdr_<El>.npy.part           float64 (entries × 3·nf), with derivatives (layout: cmd_features.cpp)
//   features_dGdr_<El>_index.npy.part     int64 (entries × 2)
//   features_progress.json                structures done, and the rows and a checksum of the rows of every
//                                         file, rewritten after each chunk once the rows before it are on the
//                                         disk (synced); with a checksum of its own fields (an edited file is
//                                         refused)
// A rerun of the same run (cmd_features.cpp checks state/config.json) cuts each file back to the rows the
// progress records (a chunk half-written when the process was killed is dropped), checks those rows against
// their checksum (a damaged file is refused, not continued), reads the G rows back into the table and
// continues. finish() records that it has begun, puts the row counts into the headers, moves the files into OUT
// under their final names, writes scaling.data (and function.data), then features.json, whose presence says the
// folder is complete, and removes the state. A run killed during finish() is finished by the rerun: the files
// already moved go back into state (checked by their checksums) and the rest of OUT is written again.
// Every file is synced before the progress that counts on it, so a power loss, too, loses at most a chunk.
#pragma once
#include <cstddef>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/feature_table.hpp"
#include "agl/features.hpp"
#include "agl/npy.hpp"

namespace agl::cli {

class FeatureFolder {
public:
    // Files for the elements of `table` (the engine's empty table) in out/state; derivative files too when
    // `derivatives`. `force`: finish() may replace files of an earlier run in out.
    FeatureFolder(std::string out, const FeatureTable& table, bool derivatives, bool force);
    ~FeatureFolder();
    FeatureFolder(const FeatureFolder&) = delete;
    FeatureFolder& operator=(const FeatureFolder&) = delete;

    // Opens the state files: those of an earlier run when state holds its progress (its structures, the first
    // of `data`, are restored into `table`: rows and G), new ones otherwise. Returns the structures restored.
    std::size_t open(const Dataset& data, const FeatureEngine& engine, FeatureTable& table);
    // One structure's derivative blocks (continueFeatures' sink): the next entries of each element, whose
    // centre rows are the element's next rows.
    void appendDerivatives(const Structure& s, const StructureFeatures& f);
    // After a chunk: the table's new G rows written, every file flushed, then the progress recorded.
    void checkpoint(const FeatureTable& table);
    // The finished folder. `run`: the top-level fields of features.json (data, settings, device, precision).
    void finish(const FeatureTable& table, nlohmann::json run, bool functionData);

    // The state removed (a structure of the data was refused: the same data cannot finish, other data is
    // another run, so the finished chunks are of no use).
    void discard();

    static std::string stateDir(const std::string& out) { return out + "/state"; }

private:
    struct Part;  // one growing .npy of state
    struct ElementParts {
        int element = 0;  // atomic number
        std::string symbol;
        std::unique_ptr<Part> g, blocks, index;  // blocks, index: with derivatives only
        std::int64_t nextRow = 0;                // G row of the next centre atom whose derivatives arrive
    };
    std::string progressPath() const;
    // Cuts an element's files back to the progress `p` (moving back those a killed finish() had moved) and
    // reads its G rows into `ef`.
    void reopenElement(ElementParts& e, const nlohmann::json& p, ElementFeatures& ef);
    // The progress file: structures done, rows and checksums of every file; `finishing`: finish() has begun.
    void writeProgress(std::size_t structures, bool finishing) const;

    std::string out_;
    bool derivatives_, force_;
    bool finishing_ = false;  // finish() had begun (in this run or the interrupted one)
    std::vector<ElementParts> elements_;  // as table.elements
    std::vector<std::int64_t> pairs_;     // scratch: one atom's index rows
};

}  // namespace agl::cli
