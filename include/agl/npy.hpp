// numpy `.npy` matrices (format 1.0, C order, little-endian): float64 (`<f8`) or int64 (`<i8`), shape (rows,
// cols). np.load reads them; the header is always 128 bytes, so a file written row block by row block can have
// its final row count put into the header at the end (NpyRowWriter); numpy, too, pads its headers with spaces.
#pragma once
#include <cstddef>
#include <cstdint>
#include <ostream>

namespace agl {

// A whole float64 matrix, `values` row-major (rows × cols); any stream.
void writeNpy(std::ostream& out, const double* values, std::size_t rows, std::size_t cols);

// A matrix of `cols` columns whose rows arrive in blocks and whose row count is known only when they have all
// arrived: the constructor writes a header for 0 rows, append() writes rows, finish() seeks back and writes
// the header with the rows appended (the stream must be seekable: a file). Memory: none beyond the caller's
// block, so a matrix larger than memory can be written.
class NpyRowWriter {
public:
    enum class Type { Float64, Int64 };
    NpyRowWriter(std::ostream& out, Type type, std::size_t cols);
    // Continues such a matrix of which `rowsWritten` rows are in the stream already, the stream at their end
    // (a resumed run: agl features). The header is the one the constructor above wrote, fileBytes() before.
    NpyRowWriter(std::ostream& out, Type type, std::size_t cols, std::size_t rowsWritten);
    // Bytes of a file holding `rows` rows of `cols` columns: header and data.
    static std::uint64_t fileBytes(std::size_t rows, std::size_t cols);
    // `rows` rows (rows × cols values, row-major); the type must be the writer's.
    void append(const double* values, std::size_t rows);
    void append(const std::int64_t* values, std::size_t rows);
    void finish();  // the header with rows(); then the stream is at its end again
    std::size_t rows() const { return rows_; }

private:
    void appendBytes(const void* values, std::size_t rows, Type type);
    std::ostream& out_;
    std::streampos start_;
    Type type_;
    std::size_t cols_, rows_ = 0;
};

}  // namespace agl
