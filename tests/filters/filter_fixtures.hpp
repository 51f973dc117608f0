// Shared helpers for the filter tests: the diabetes reference matrix (tests/data/filters/diabetes_X.csv,
// scikit-learn's load_diabetes() X, BSD-3) and seeded random matrices.
#pragma once
#include <cmath>
#include <cstddef>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace agl::test {

// A (rows × cols) row-major matrix.
struct Matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> v;
    double& at(std::size_t r, std::size_t c) { return v[r * cols + c]; }
    double at(std::size_t r, std::size_t c) const { return v[r * cols + c]; }
};

inline Matrix readCsv(const std::string& path) {
    Matrix m;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream ss(line);
        std::string cell;
        std::size_t c = 0;
        while (std::getline(ss, cell, ',')) m.v.push_back(std::stod(cell)), ++c;
        m.cols = c;
        ++m.rows;
    }
    return m;
}

inline Matrix diabetes() { return readCsv(std::string(AGL_TEST_DATA) + "/filters/diabetes_X.csv"); }

inline Matrix randomMatrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g(0.0, 1.0);
    Matrix m{rows, cols, std::vector<double>(rows * cols)};
    for (double& x : m.v) x = g(rng);
    return m;
}

// Column-major copy (what selectCurSvd takes).
inline std::vector<double> columnMajor(const Matrix& m) {
    std::vector<double> out(m.rows * m.cols);
    for (std::size_t r = 0; r < m.rows; ++r)
        for (std::size_t c = 0; c < m.cols; ++c) out[c * m.rows + r] = m.at(r, c);
    return out;
}

// Brute-force XᵀX.
inline std::vector<double> naiveGram(const Matrix& m) {
    std::vector<double> g(m.cols * m.cols, 0.0);
    for (std::size_t i = 0; i < m.cols; ++i)
        for (std::size_t j = 0; j < m.cols; ++j)
            for (std::size_t r = 0; r < m.rows; ++r) g[i * m.cols + j] += m.at(r, i) * m.at(r, j);
    return g;
}

}  // namespace agl::test
