#include "agl/train/thread_limit.hpp"

#include <cblas.h>
#include <omp.h>

namespace agl {

ThreadLimit::ThreadLimit(int openmp, int blas) {
    if (openmp > 0) {
        omp_ = omp_get_max_threads();
        omp_set_num_threads(openmp);
    }
    if (blas > 0) {
        blas_ = openblas_get_num_threads();
        openblas_set_num_threads(blas);
    }
}

ThreadLimit::~ThreadLimit() {
    if (omp_ > 0) omp_set_num_threads(omp_);
    if (blas_ > 0) openblas_set_num_threads(blas_);
}

}  // namespace agl
