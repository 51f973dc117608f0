// bench_work: how well the counted work of a feature set (agl/compare/evaluation_work.hpp) predicts its
// measured cost (agl/compare/evaluation_cost.hpp: energy and forces per atom, one thread). Random subsets of
// the candidate functions (sizes spread from 1 to all, every element keeping one) are counted and timed on
// the first structures of the data; a least-squares fit
//   cost ≈ c_atom + c_radial · radialTerms + c_angular · angularTerms + c_triplet · angularTriplets
// (the networks' share is small on the CPU and grows with the functions, so it is left in the two slopes)
// gives the per-term costs of agl's engine on this data, and the rank correlations with the measured cost say
// how well each proxy orders the sets: the number of functions N (the paper's), the counted terms, the fit,
// and countedCost with its fixed weights (with its worst error on a set's cost relative to all candidates).
// countedCost's weights were chosen on seed 6 of the three data sets in bench/RESULTS.md and checked on seed 7.
// Usage: bench_work DATA NN [subsets = 30] [structures = 3] [seed = 1]
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>

#include "agl/compare/evaluation_cost.hpp"
#include "agl/compare/evaluation_work.hpp"
#include "agl/io.hpp"

using namespace agl;

namespace {

struct Sample {
    EvaluationWork work;
    double micros = 0.0;
    std::size_t functions = 0;
};

// A random subset: a uniform share of the radial and, independently, of the angular functions (so that the
// fit can tell their costs apart), keeping at least one function of every element.
NnSettings randomSubset(const NnSettings& all, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> share(0.0, 1.0);
    for (;;) {
        const double radial = share(rng), angular = share(rng);
        NnSettings s = all;
        s.functions.clear();
        for (const SymmetryFunction& f : all.functions)
            if (share(rng) < (f.isAngular() ? angular : radial)) s.functions.push_back(f);
        if (!s.functions.empty() && s.everyElementHasFunctions()) return s;
    }
}

// Least squares y ≈ X·c for a few columns, by the normal equations (Gaussian elimination, partial pivots).
template <std::size_t N>
std::array<double, N> leastSquares(const std::vector<std::array<double, N>>& x, const std::vector<double>& y) {
    double a[N][N + 1] = {};
    for (std::size_t n = 0; n < x.size(); ++n)
        for (std::size_t i = 0; i < N; ++i) {
            for (std::size_t j = 0; j < N; ++j) a[i][j] += x[n][i] * x[n][j];
            a[i][N] += x[n][i] * y[n];
        }
    for (std::size_t c = 0; c < N; ++c) {
        std::size_t p = c;
        for (std::size_t r = c + 1; r < N; ++r)
            if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
        for (std::size_t k = 0; k <= N; ++k) std::swap(a[c][k], a[p][k]);
        if (std::fabs(a[c][c]) < 1e-300) continue;  // a column without variation (e.g. no angular function)
        for (std::size_t r = 0; r < N; ++r)
            if (r != c) {
                const double f = a[r][c] / a[c][c];
                for (std::size_t k = c; k <= N; ++k) a[r][k] -= f * a[c][k];
            }
    }
    std::array<double, N> coef{};
    for (std::size_t i = 0; i < N; ++i)
        if (std::fabs(a[i][i]) >= 1e-300) coef[i] = a[i][N] / a[i][i];
    return coef;
}

// Ranks 0 … n−1, ties given their mean rank (Spearman's convention: many subsets share one N).
std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        for (std::size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * double(i + j);
        i = j + 1;
    }
    return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
    const double n = double(a.size());
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_work DATA NN [subsets] [structures] [seed]\n");
        return 2;
    }
    const Dataset data = readDataset(argv[1]);
    const NnSettings all = readNnSettings(argv[2]);
    const int subsets = argc > 3 ? std::stoi(argv[3]) : 30;
    const std::size_t numStructures = std::min<std::size_t>(argc > 4 ? std::stoul(argv[4]) : 3, data.structures.size());
    std::mt19937_64 rng(argc > 5 ? std::stoull(argv[5]) : 1);
    std::vector<const Structure*> structures;
    for (std::size_t i = 0; i < numStructures; ++i) structures.push_back(&data.structures[i]);

    std::vector<Sample> samples;
    for (int k = 0; k <= subsets; ++k) {
        const NnSettings s = k == subsets ? all : randomSubset(all, rng);
        const EvaluationCost cost = measureEvaluationCost(s, structures, 0.1);
        Sample sample{cost.work, cost.forceMicroseconds, s.functions.size()};
        samples.push_back(sample);
        std::printf("%3zu functions: radial %9.1f angular %10.1f terms, %9.1f group triplets, %8.1f angular "
                    "neighbours, %7.1f network weights per atom: %8.2f us/atom\n",
                    sample.functions, sample.work.radialTerms, sample.work.angularTerms, sample.work.angularTriplets,
                    sample.work.angularNeighbours, sample.work.networkWeights, sample.micros);
    }
    // One fit of the whole cost against the counts (the networks' share grows with the number of functions and
    // stays in the slopes); then each proxy's rank correlation and countedCost's ratio error.
    std::vector<std::array<double, 4>> x;
    std::vector<double> y, count, terms, counted;
    for (const Sample& s : samples) {
        x.push_back({1.0, s.work.radialTerms, s.work.angularTerms, s.work.angularTriplets});
        y.push_back(s.micros);
        count.push_back(double(s.functions));
        terms.push_back(s.work.radialTerms + s.work.angularTerms);
        counted.push_back(countedCost(s.work));
    }
    const std::array<double, 4> c = leastSquares(x, y);
    std::vector<double> fit;
    double worstFit = 0.0, worstRatio = 0.0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        fit.push_back(c[0] + c[1] * x[i][1] + c[2] * x[i][2] + c[3] * x[i][3]);
        worstFit = std::max(worstFit, std::fabs(fit[i] / y[i] - 1.0));
        const double countedRatio = counted[i] / counted.back(), measuredRatio = y[i] / y.back();  // last: all
        worstRatio = std::max(worstRatio, std::fabs(countedRatio / measuredRatio - 1.0));
    }
    std::printf("\nfit: %.3g us/atom + %.3g ns/radial term + %.3g ns/angular term + %.3g ns/group triplet; "
                "worst error %.1f %%\n",
                c[0], 1e3 * c[1], 1e3 * c[2], 1e3 * c[3], 100.0 * worstFit);
    std::printf("rank correlation with the measured cost: N %.3f, radial + angular terms %.3f, the fit %.3f, "
                "countedCost %.3f\n",
                pearson(ranks(count), ranks(y)), pearson(ranks(terms), ranks(y)), pearson(ranks(fit), ranks(y)),
                pearson(ranks(counted), ranks(y)));
    std::printf("countedCost against all candidates: worst error of the ratio %.1f %%\n", 100.0 * worstRatio);
    return 0;
}
