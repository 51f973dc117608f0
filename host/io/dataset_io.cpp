// io.hpp's structure functions: format choice, streaming reads, atomic writes.
#include <ostream>

#include "agl/atomic_file.hpp"
#include "agl/io.hpp"
#include "agl/timings.hpp"
#include "structure_readers.hpp"

namespace agl {

StructureFormat structureFormat(const std::string& path, const std::string& option) {
    if (option == "n2p2") return StructureFormat::InputData;
    if (option == "extxyz") return StructureFormat::ExtXyz;
    if (option != "auto")
        throw InputError(path, 0, "unknown structure format '" + option + "' (use auto, n2p2 or extxyz)");
    auto endsWith = [&](const char* ext) {
        std::string e(ext);
        return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
    };
    return endsWith(".xyz") || endsWith(".extxyz") ? StructureFormat::ExtXyz : StructureFormat::InputData;
}

namespace {
template <typename Reader>
std::size_t streamStructures(io::LineReader& in, const std::function<bool(Structure&&)>& visit,
                             const ReadOptions& options) {
    Reader reader(in, options);
    Structure s;
    std::size_t count = 0;
    while (reader.next(s)) {
        ++count;
        if (!visit(std::move(s))) break;
    }
    return count;
}
}  // namespace

void forEachStructure(const std::string& path, StructureFormat format,
                      const std::function<bool(Structure&&)>& visit, const ReadOptions& options) {
    AGL_CHECK(options.minAtomDistance >= 0.0, "minimum atom distance must not be negative");
    const std::string problem = readOptionsProblem(options);
    AGL_CHECK(problem.empty(), problem);
    io::LineReader in(path);
    std::size_t count = format == StructureFormat::ExtXyz ? streamStructures<io::ExtXyzReader>(in, visit, options)
                                                          : streamStructures<io::InputDataReader>(in, visit, options);
    if (count == 0) throw InputError(path, 0, "no structures in the file (empty?)");
}

Dataset readDataset(const std::string& path, StructureFormat format, const ReadOptions& options) {
    ScopedPhase phase("read structures");
    Dataset data;
    forEachStructure(path, format, [&](Structure&& s) {
        data.structures.push_back(std::move(s));
        return true;
    }, options);
    data.structures.shrink_to_fit();
    data.source = path;
    return data;
}

Dataset readDataset(const std::string& path) { return readDataset(path, structureFormat(path)); }

namespace {
void appendStructure(std::string& text, const Structure& s, StructureFormat format) {
    if (format == StructureFormat::ExtXyz) io::appendExtXyz(text, s);
    else io::appendInputData(text, s);
}
}  // namespace

void writeStructure(std::ostream& out, const Structure& s, StructureFormat format) {
    std::string text;
    appendStructure(text, s, format);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void writeDataset(const std::string& path, const Dataset& data, StructureFormat format, bool force) {
    ScopedPhase phase("write structures");
    AtomicFile file(path, force);
    std::string text;
    for (const Structure& s : data.structures) {
        appendStructure(text, s, format);
        if (text.size() > (1u << 20)) {  // write in ~1 MiB pieces
            file.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
            text.clear();
        }
    }
    file.stream().write(text.data(), static_cast<std::streamsize>(text.size()));
    file.commit();
}

}  // namespace agl
