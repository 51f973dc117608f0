// The structure-reading options of the commands (data_source.hpp).
#include "data_source.hpp"

#include <vector>

#include "agl/error.hpp"

namespace agl::cli {

void addDataOptions(cxxopts::Options& options, const std::string& formatOption) {
    options.add_options("data")
        (formatOption, "structure format: auto (by extension: .xyz/.extxyz = extended XYZ), n2p2 or extxyz",
         cxxopts::value<std::string>()->default_value("auto"))
        ("energy-key", "extxyz: the info key holding the reference energy (e.g. REF_energy, free_energy)",
         cxxopts::value<std::string>()->default_value("energy"))
        ("forces-key", "extxyz: the per-atom property holding the reference forces (e.g. REF_forces)",
         cxxopts::value<std::string>()->default_value("forces"))
        ("drop", "extxyz: info keys and per-atom properties to leave out, comma-separated (e.g. energy,magmoms); "
                 "any other property agl does not read is an error",
         cxxopts::value<std::vector<std::string>>());
}

bool hasChosenKeys(const ReadOptions& read) {
    const ReadOptions defaults;
    return read.energyKey != defaults.energyKey || read.forcesKey != defaults.forcesKey || !read.drop.empty();
}

DataSource dataSource(const cxxopts::ParseResult& args, const std::string& path, const std::string& formatOption) {
    DataSource s;
    s.path = path;
    s.format = structureFormat(path, args[formatOption].as<std::string>());
    s.read.energyKey = args["energy-key"].as<std::string>();
    s.read.forcesKey = args["forces-key"].as<std::string>();
    if (args.count("drop")) s.read.drop = args["drop"].as<std::vector<std::string>>();
    if (const std::string problem = readOptionsProblem(s.read); !problem.empty())
        throw UsageError("command line", problem);
    if (hasChosenKeys(s.read) && s.format != StructureFormat::ExtXyz)
        throw InputError(path, 0, "--energy-key, --forces-key and --drop apply to extxyz input only");
    return s;
}

Dataset readData(const DataSource& source) { return readDataset(source.path, source.format, source.read); }

void forEachStructure(const DataSource& source, const std::function<bool(Structure&&)>& visit) {
    agl::forEachStructure(source.path, source.format, visit, source.read);
}

}  // namespace agl::cli
