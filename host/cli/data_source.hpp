// Where a command's structures come from: a path read as --format says (auto: by extension), with the
// extxyz options every command that reads structures shares (agl/io.hpp ReadOptions): --energy-key and
// --forces-key (data sets that keep the reference in REF_energy, REF_forces, …) and --drop (info keys and
// per-atom properties to leave out; anything else agl does not read stays an error).
#pragma once
#include <functional>
#include <string>

#include <cxxopts.hpp>

#include "agl/io.hpp"
#include "agl/structure.hpp"

namespace agl::cli {

struct DataSource {
    std::string path;
    StructureFormat format = StructureFormat::InputData;
    ReadOptions read;
};

// `formatOption`: the name of the format option ("format"; agl convert: "format-in").
void addDataOptions(cxxopts::Options& options, const std::string& formatOption = "format");
// InputError naming the option when the options cannot work (or the key options are given for input.data).
DataSource dataSource(const cxxopts::ParseResult& args, const std::string& path,
                      const std::string& formatOption = "format");
// True when the key options differ from the defaults (said in the log by the command that reads).
bool hasChosenKeys(const ReadOptions& read);

Dataset readData(const DataSource& source);  // the whole file
void forEachStructure(const DataSource& source, const std::function<bool(Structure&&)>& visit);

}  // namespace agl::cli
