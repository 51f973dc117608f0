// bench_filters: CUR on a tall feature matrix, baseline = SVD of the residual (selectCurSvd via runFilter),
// candidate = eigenvectors of the d × d Gram matrix (selectCurGram). Also times the streamed Gram matrix that
// FPS and PC use. Checks the picks agree before printing times.
//   bench_filters [rows=200000] [cols=64] [picks=20]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "agl/filters.hpp"

using namespace agl::filters;

namespace {

// Correlated, positive, unequally scaled columns: a crude stand-in for symmetry functions.
std::vector<double> makeMatrix(std::size_t rows, std::size_t cols) {
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0.0, 1.0);
    std::vector<double> X(rows * cols);
    for (std::size_t r = 0; r < rows; ++r) {
        double prev = 0.0;
        for (std::size_t c = 0; c < cols; ++c) {
            prev = 0.7 * prev + g(rng);
            X[r * cols + c] = (1.0 + c) * (5.0 + prev);
        }
    }
    return X;
}

template <class F>
double seconds(F f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t rows = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
    const std::size_t cols = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 64;
    const int picks = argc > 3 ? std::atoi(argv[3]) : 20;
    const std::vector<double> X = makeMatrix(rows, cols);
    std::printf("CUR k=1 iterative, zscore, %zu x %zu, %d picks\n", rows, cols, picks);

    FilterOptions o;
    o.method = Method::Cur;
    o.n = picks;
    o.curSolver = CurSolver::Svd;
    FilterRun svd, gram;
    const double tSvd = seconds([&] { svd = runFilter(X.data(), rows, cols, o); });
    o.curSolver = CurSolver::Gram;
    const double tGram = seconds([&] { gram = runFilter(X.data(), rows, cols, o); });
    const bool same = svd.selection.picks == gram.selection.picks;
    double worst = 0.0;
    for (std::size_t i = 0; i < svd.selection.residualNorm2.size() && i < gram.selection.residualNorm2.size(); ++i)
        worst = std::max(worst, std::abs(svd.selection.residualNorm2[i] - gram.selection.residualNorm2[i]) /
                                    svd.selection.residualNorm2[i]);
    std::printf("picks identical: %s; max relative difference of ||R||_F^2: %.2e\n", same ? "yes" : "NO", worst);
    std::printf("svd  (baseline)  %8.3f s\ngram (candidate) %8.3f s   speed-up %.1fx\n", tSvd, tGram, tSvd / tGram);

    o.method = Method::Fps;
    const double tFps = seconds([&] { runFilter(X.data(), rows, cols, o); });
    std::printf("fps (streamed Gram + selection)  %8.3f s\n", tFps);
    return same ? 0 : 1;
}
