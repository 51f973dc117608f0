// Column statistics, the preprocessing transform and the two forms the filters consume: the Gram matrix
// of the preprocessed columns (streamed in row blocks) and a dense column-major copy (for CUR's SVD).
#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "agl/error.hpp"
#include "agl/filters.hpp"

namespace agl::filters {

Preprocess parsePreprocess(const std::string& text) {
    if (text == "none") return Preprocess::None;
    if (text == "center" || text == "centre") return Preprocess::Center;
    if (text == "zscore") return Preprocess::ZScore;
    throw Error("unknown preprocessing '" + text + "' (use none, center or zscore)");
}

Method parseMethod(const std::string& text) {
    if (text == "cur") return Method::Cur;
    if (text == "fps") return Method::Fps;
    if (text == "pc") return Method::Pc;
    throw Error("unknown filter method '" + text + "' (use pc, cur or fps)");
}

CurSolver parseCurSolver(const std::string& text) {
    if (text == "auto") return CurSolver::Auto;
    if (text == "svd") return CurSolver::Svd;
    if (text == "gram") return CurSolver::Gram;
    throw Error("unknown CUR solver '" + text + "' (use auto, svd or gram)");
}

std::string toString(Preprocess p) {
    switch (p) {
        case Preprocess::None: return "none";
        case Preprocess::Center: return "center";
        case Preprocess::ZScore: return "zscore";
    }
    return "?";
}

std::string toString(Method m) {
    switch (m) {
        case Method::Cur: return "cur";
        case Method::Fps: return "fps";
        case Method::Pc: return "pc";
    }
    return "?";
}

std::string toString(CurSolver s) {
    switch (s) {
        case CurSolver::Auto: return "auto";
        case CurSolver::Svd: return "svd";
        case CurSolver::Gram: return "gram";
    }
    return "?";
}

std::size_t ColumnStats::numConstant() const {
    return static_cast<std::size_t>(std::count(constant.begin(), constant.end(), 1));
}

ColumnStats columnStats(const double* X, std::size_t rows, std::size_t cols) {
    ColumnStats s;
    s.rows = rows;
    s.mean.assign(cols, 0.0);
    s.stddev.assign(cols, 0.0);
    s.constant.assign(cols, 1);
    if (rows == 0) return s;
    std::vector<double> m2(cols, 0.0), lo(X, X + cols), hi(X, X + cols);
    for (std::size_t r = 0; r < rows; ++r) {  // Welford: no cancellation when |mean| ≫ std
        const double* x = X + r * cols;
        const double inv = 1.0 / static_cast<double>(r + 1);
        for (std::size_t j = 0; j < cols; ++j) {
            const double delta = x[j] - s.mean[j];
            s.mean[j] += delta * inv;
            m2[j] += delta * (x[j] - s.mean[j]);
            lo[j] = std::min(lo[j], x[j]);
            hi[j] = std::max(hi[j], x[j]);
        }
    }
    for (std::size_t j = 0; j < cols; ++j) {
        s.constant[j] = hi[j] == lo[j] ? 1 : 0;
        if (rows > 1 && !s.constant[j]) s.stddev[j] = std::sqrt(m2[j] / static_cast<double>(rows - 1));
    }
    return s;
}

ColumnTransform columnTransform(const ColumnStats& stats, Preprocess p) {
    const std::size_t d = stats.mean.size();
    ColumnTransform t{std::vector<double>(d, 0.0), std::vector<double>(d, 1.0)};
    if (p == Preprocess::None) return t;
    for (std::size_t j = 0; j < d; ++j) {
        t.shift[j] = stats.mean[j];
        if (stats.constant[j]) t.factor[j] = 0.0;  // exactly zero, never 0/0
        else if (p == Preprocess::ZScore) t.factor[j] = 1.0 / stats.stddev[j];
    }
    return t;
}

namespace {
constexpr std::size_t kBlockRows = 2048;

std::size_t rowCount(std::size_t rows, const std::vector<std::size_t>* subset) {
    return subset ? subset->size() : rows;
}
std::size_t rowAt(std::size_t i, const std::vector<std::size_t>* subset) { return subset ? (*subset)[i] : i; }
}  // namespace

std::vector<double> gramMatrix(const double* X, std::size_t rows, std::size_t cols, const ColumnTransform& t,
                               const std::vector<std::size_t>* rowSubset) {
    AGL_CHECK(t.shift.size() == cols && t.factor.size() == cols, "transform does not match the columns");
    std::vector<double> C(cols * cols, 0.0);
    std::vector<double> block(kBlockRows * cols);  // (blockRows × cols) row-major, preprocessed
    const std::size_t total = rowCount(rows, rowSubset);
    for (std::size_t first = 0; first < total; first += kBlockRows) {
        const std::size_t nb = std::min(kBlockRows, total - first);
        for (std::size_t b = 0; b < nb; ++b) {
            const std::size_t r = rowAt(first + b, rowSubset);
            AGL_CHECK(r < rows, "row subset index out of range");
            const double* x = X + r * cols;
            double* y = block.data() + b * cols;
            for (std::size_t j = 0; j < cols; ++j) y[j] = (x[j] - t.shift[j]) * t.factor[j];
        }
        // C (upper) += blockᵀ block
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, static_cast<int>(cols), static_cast<int>(nb), 1.0,
                    block.data(), static_cast<int>(cols), 1.0, C.data(), static_cast<int>(cols));
    }
    for (std::size_t i = 0; i < cols; ++i)
        for (std::size_t j = 0; j < i; ++j) C[i * cols + j] = C[j * cols + i];
    return C;
}

std::vector<double> preprocessedColumns(const double* X, std::size_t rows, std::size_t cols,
                                        const ColumnTransform& t, const std::vector<std::size_t>* rowSubset) {
    AGL_CHECK(t.shift.size() == cols && t.factor.size() == cols, "transform does not match the columns");
    const std::size_t n = rowCount(rows, rowSubset);
    std::vector<double> R(n * cols);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = rowAt(i, rowSubset);
        AGL_CHECK(r < rows, "row subset index out of range");
        const double* x = X + r * cols;
        for (std::size_t j = 0; j < cols; ++j) R[j * n + i] = (x[j] - t.shift[j]) * t.factor[j];
    }
    return R;
}

std::vector<std::size_t> sampleRows(std::size_t rows, std::size_t count, std::uint64_t seed) {
    std::vector<std::size_t> idx(rows);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    if (count >= rows) return idx;
    std::mt19937_64 rng(seed);
    for (std::size_t i = 0; i < count; ++i) {  // partial Fisher–Yates; modulo bias ≤ rows/2⁶⁴, negligible
        const std::size_t j = i + static_cast<std::size_t>(rng() % (rows - i));
        std::swap(idx[i], idx[j]);
    }
    idx.resize(count);
    std::sort(idx.begin(), idx.end());
    return idx;
}

}  // namespace agl::filters
