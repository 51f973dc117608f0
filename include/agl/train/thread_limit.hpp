// ThreadLimit: while alive, OpenMP and OpenBLAS run at most `threads` threads (0 = leave both as they are);
// the previous counts come back when it goes out of scope (also on throw). Single-core measurements
// (bench-potential, evaluation cost) and nested parallel loops use it.
#pragma once

namespace agl {

class ThreadLimit {
public:
    explicit ThreadLimit(int threads);
    ~ThreadLimit();
    ThreadLimit(const ThreadLimit&) = delete;
    ThreadLimit& operator=(const ThreadLimit&) = delete;

private:
    bool active_ = false;
    int omp_ = 0, blas_ = 0;
};

}  // namespace agl
