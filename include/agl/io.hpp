// Reading and writing structures (n2p2 input.data, extended XYZ) and settings (n2p2 input.nn).
// Every malformed input throws agl::InputError naming the file, the line and the problem.
// Writers that take a path write atomically (AtomicFile) and refuse to overwrite unless `force`.
#pragma once
#include <functional>
#include <ostream>
#include <string>

#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"

namespace agl {

enum class StructureFormat { InputData, ExtXyz };

// `option` is "auto" (by extension: .xyz/.extxyz → ExtXyz, otherwise input.data), "n2p2" or "extxyz".
StructureFormat structureFormat(const std::string& path, const std::string& option = "auto");

// Streams structures one by one (memory stays near one structure); `visit` may stop early by returning false.
void forEachStructure(const std::string& path, StructureFormat format,
                      const std::function<bool(Structure&&)>& visit);
Dataset readDataset(const std::string& path, StructureFormat format);
Dataset readDataset(const std::string& path);  // format by extension

void writeStructure(std::ostream& out, const Structure& s, StructureFormat format);
void writeDataset(const std::string& path, const Dataset& data, StructureFormat format, bool force);

NnSettings readNnSettings(const std::string& path);
void writeNnSettings(std::ostream& out, const NnSettings& settings);
void writeNnSettings(const std::string& path, const NnSettings& settings, bool force);

}  // namespace agl
