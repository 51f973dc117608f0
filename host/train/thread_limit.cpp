#include "agl/train/thread_limit.hpp"

#include <cblas.h>
#include <omp.h>

namespace agl {

ThreadLimit::ThreadLimit(int threads) : active_(threads > 0) {
    if (!active_) return;
    omp_ = omp_get_max_threads();
    blas_ = openblas_get_num_threads();
    omp_set_num_threads(threads);
    openblas_set_num_threads(threads);
}

ThreadLimit::~ThreadLimit() {
    if (!active_) return;
    omp_set_num_threads(omp_);
    openblas_set_num_threads(blas_);
}

}  // namespace agl
