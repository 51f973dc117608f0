#include "agl/npy.hpp"

#include <string>

#include "agl/error.hpp"

namespace agl {
namespace {

constexpr std::size_t kHeaderBytes = 128;  // magic, version, length and the dict: room for any two 20-digit sizes

// magic (6) + version (2) + header length (2, little-endian) + dict, padded with spaces and ended by '\n'.
void writeHeader(std::ostream& out, const char* descr, std::size_t rows, std::size_t cols) {
    std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
    const std::size_t length = kHeaderBytes - 10;
    AGL_CHECK(dict.size() < length, "npy header too long");
    dict.append(length - 1 - dict.size(), ' ');
    dict += '\n';
    out.write("\x93NUMPY\x01\x00", 8);
    const char lengthBytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
    out.write(lengthBytes, 2);
    out << dict;
}

const char* descrOf(NpyRowWriter::Type type) { return type == NpyRowWriter::Type::Float64 ? "<f8" : "<i8"; }

void checkLittleEndian() {
    const std::uint16_t probe = 1;  // the descr says little-endian; this build targets little-endian hosts
    AGL_CHECK(*reinterpret_cast<const unsigned char*>(&probe) == 1, "big-endian host");
}

}  // namespace

NpyRowWriter::NpyRowWriter(std::ostream& out, Type type, std::size_t cols)
    : out_(out), start_(out.tellp()), type_(type), cols_(cols) {
    static_assert(sizeof(double) == 8 && sizeof(std::int64_t) == 8, "8-byte elements");
    checkLittleEndian();
    writeHeader(out_, descrOf(type_), 0, cols_);
}

NpyRowWriter::NpyRowWriter(std::ostream& out, Type type, std::size_t cols, std::size_t rowsWritten)
    : out_(out), start_(out.tellp() - std::streamoff(fileBytes(rowsWritten, cols))), type_(type), cols_(cols),
      rows_(rowsWritten) {
    AGL_CHECK(std::streamoff(start_) >= 0, "npy rows resumed beyond the stream's start");
}

std::uint64_t NpyRowWriter::fileBytes(std::size_t rows, std::size_t cols) {
    return kHeaderBytes + std::uint64_t(rows) * cols * 8;
}

void NpyRowWriter::appendBytes(const void* values, std::size_t rows, Type type) {
    AGL_CHECK(type == type_, "npy rows of the wrong type");
    out_.write(static_cast<const char*>(values), static_cast<std::streamsize>(rows * cols_ * 8));
    rows_ += rows;
}

void NpyRowWriter::append(const double* values, std::size_t rows) { appendBytes(values, rows, Type::Float64); }
void NpyRowWriter::append(const std::int64_t* values, std::size_t rows) { appendBytes(values, rows, Type::Int64); }

void NpyRowWriter::finish() {
    const std::streampos end = out_.tellp();
    out_.seekp(start_);
    writeHeader(out_, descrOf(type_), rows_, cols_);
    out_.seekp(end);
}

void writeNpy(std::ostream& out, const double* values, std::size_t rows, std::size_t cols) {
    checkLittleEndian();
    writeHeader(out, descrOf(NpyRowWriter::Type::Float64), rows, cols);
    out.write(reinterpret_cast<const char*>(values), static_cast<std::streamsize>(rows * cols * sizeof(double)));
}

}  // namespace agl
