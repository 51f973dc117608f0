// The split an AGL path trained on, recorded and checked (agl/select/path_split.hpp).
#include "agl/select/path_split.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "agl/error.hpp"
#include "agl/number_text.hpp"
#include "agl/train/training_data.hpp"

namespace agl {

PathSplit pathSplit(const FeatureTable& table, const TrainerConfig& config) {
    PathSplit s;
    s.seed = config.splitSeed;
    s.validationFraction = config.validationFraction;
    s.testFraction = config.testFraction;
    s.numStructures = table.numStructures();
    s.test = splitStructures(table, config.validationFraction, config.testFraction, config.splitSeed).test;
    return s;
}

nlohmann::json pathSplitJson(const PathSplit& split) {
    return {{"note", "the structures of 'test' (0-based, data order) were held out and never used"},
            {"seed", split.seed},
            {"validationFraction", split.validationFraction},
            {"testFraction", split.testFraction},
            {"structures", split.numStructures},
            {"test", split.test}};
}

std::optional<PathSplit> readPathSplit(const std::string& path) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open for reading");
    PathSplit s;
    try {
        const nlohmann::json j = nlohmann::json::parse(in);
        if (!j.contains("split")) return std::nullopt;
        const nlohmann::json& r = j.at("split");
        s.seed = r.at("seed").get<std::uint64_t>();
        s.validationFraction = r.at("validationFraction").get<double>();
        s.testFraction = r.at("testFraction").get<double>();
        s.numStructures = r.at("structures").get<std::size_t>();
        s.test = r.at("test").get<std::vector<std::uint32_t>>();
    } catch (const nlohmann::json::exception& e) {
        throw InputError(path, 0, std::string("malformed split record: ") + e.what());
    }
    if (!std::is_sorted(s.test.begin(), s.test.end()) ||
        std::adjacent_find(s.test.begin(), s.test.end()) != s.test.end() ||
        (!s.test.empty() && s.test.back() >= s.numStructures))
        throw InputError(path, 0, "split: 'test' must hold ascending, distinct structure indices below 'structures'");
    return s;
}

std::string testSetProblem(const std::string& name, const std::string& pathJson, const PathSplit& selection,
                           const std::vector<std::uint32_t>& test, std::size_t numStructures,
                           const std::string& splitOptions) {
    // The judging command draws the same test set as the selection with the selection's seed and test fraction.
    const std::string seedAndFraction =
        std::to_string(selection.seed) + " --test-fraction " + significant(selection.testFraction);
    if (selection.numStructures != numStructures)
        return name + " was selected on " + std::to_string(selection.numStructures) + " structures (" + pathJson +
               "), these data have " + std::to_string(numStructures) +
               ": whether its test structures were held out by the selection is not known";
    std::size_t used = 0;
    for (std::uint32_t s : test) used += !std::binary_search(selection.test.begin(), selection.test.end(), s);
    if (used == 0) return "";
    const std::string head = std::to_string(used) + " of the " + std::to_string(test.size()) +
                             " test structures were used by the selection of " + name + " (" + pathJson + ": " +
                             "select --seed " + seedAndFraction +
                             "), so its test RMSE is not independent of the choice; ";
    if (selection.test.empty())
        return head + "that selection held out no structure: run select again with a test fraction (its default " +
               "0.1) to judge the set on structures that did not choose it";
    return head + splitOptions + " " + seedAndFraction + " tests on the structures it held out";
}

std::string selectionTestSetProblem(const std::string& name, const std::string& setFile,
                                    const std::vector<std::uint32_t>& test, std::size_t numStructures,
                                    const std::string& splitOptions) {
    const std::string pathJson = (std::filesystem::path(setFile).parent_path() / "path.json").string();
    const std::optional<PathSplit> selection = readPathSplit(pathJson);
    if (!selection) return "";
    return testSetProblem(name, pathJson, *selection, test, numStructures, splitOptions);
}

}  // namespace agl
