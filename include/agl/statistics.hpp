// Mean and sample standard deviation of a few numbers: the test errors of M models of a feature set, the
// refits of one λ. One way to compute them, so that a saved result and a recomputed one agree to the bit.
#pragma once
#include <cmath>
#include <vector>

#include "agl/error.hpp"

namespace agl {

struct MeanStd {
    double mean = 0.0;
    double std = 0.0;  // sample (n − 1); 0 for one value
};

// Σ v/n and √(Σ (v − mean)² / (n − 1)); NaN in, NaN out; agl::Error for no values.
inline MeanStd meanAndSampleStd(const std::vector<double>& v) {
    AGL_CHECK(!v.empty(), "no values to average");
    MeanStd s;
    for (double x : v) s.mean += x / double(v.size());
    if (v.size() > 1) {
        double ss = 0.0;
        for (double x : v) ss += (x - s.mean) * (x - s.mean);
        s.std = std::sqrt(ss / double(v.size() - 1));
    }
    return s;
}

}  // namespace agl
