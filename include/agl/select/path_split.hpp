// The split an AGL path trained on, as path.json records it ("split"): the structures it held out as test set
// and never used. `agl compare` and `agl evaluate` read it back beside a set file (agl select's selected.nn) to
// check that their own test structures are among them: a set is only fairly judged on structures that did not
// choose it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agl/feature_table.hpp"
#include "agl/train/trainer.hpp"

namespace agl {

struct PathSplit {
    std::uint64_t seed = 0;               // select --seed (the split seed)
    double validationFraction = 0.0, testFraction = 0.0;
    std::size_t numStructures = 0;        // of the data the path was selected on
    std::vector<std::uint32_t> test;      // held out and never used: 0-based in data order, ascending
};

// The split of `config` (splitStructures: tagged test structures included) over `table`.
PathSplit pathSplit(const FeatureTable& table, const TrainerConfig& config);

nlohmann::json pathSplitJson(const PathSplit& split);

// The split in the path.json at `path`; nullopt when there is no such file or it has no split (an agl before the
// record). A malformed split: InputError naming the file.
std::optional<PathSplit> readPathSplit(const std::string& path);

// What is wrong with judging the set `name`, selected on a path whose split is `selection`, on the structures
// `test` of data with `numStructures` structures: "" when every one of them was held out by the selection,
// else a sentence saying how many the selection used and which options would hold out the same ones.
// `pathJson` names the record in the sentence; `splitOptions` is the judging command and its split-seed option
// ("compare --split-seed", "evaluate --seed"), which the sentence completes.
std::string testSetProblem(const std::string& name, const std::string& pathJson, const PathSplit& selection,
                           const std::vector<std::uint32_t>& test, std::size_t numStructures,
                           const std::string& splitOptions);

// testSetProblem for the set `name` read from `setFile`, when the folder of `setFile` holds the path.json of the
// selection that wrote it (agl select writes both); "" when it holds none or the set is fairly judged.
std::string selectionTestSetProblem(const std::string& name, const std::string& setFile,
                                    const std::vector<std::uint32_t>& test, std::size_t numStructures,
                                    const std::string& splitOptions);

}  // namespace agl
