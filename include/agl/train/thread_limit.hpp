// ThreadLimit: while alive, OpenMP runs at most `openmp` threads and OpenBLAS `blas` threads (0 = leave that
// library as it is); the previous counts come back when it goes out of scope (also on throw). Single-core
// measurements (bench-potential, evaluation cost) limit both; a loop that is already parallel over chunks
// (ModelBatch) makes its BLAS calls single-threaded, so nested BLAS threads do not oversubscribe the cores.
#pragma once

namespace agl {

class ThreadLimit {
public:
    explicit ThreadLimit(int threads) : ThreadLimit(threads, threads) {}
    ThreadLimit(int openmp, int blas);
    ~ThreadLimit();
    ThreadLimit(const ThreadLimit&) = delete;
    ThreadLimit& operator=(const ThreadLimit&) = delete;

private:
    int omp_ = 0, blas_ = 0;  // the counts to restore, 0 = untouched
};

}  // namespace agl
