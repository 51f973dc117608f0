#include "agl/train/synthetic.hpp"

#include <cmath>
#include <random>

#include "agl/error.hpp"

namespace agl {

namespace {

double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * (1.0 / 9007199254740992.0); }

double gaussian(std::mt19937_64& rng) {  // Box–Muller, platform independent
    const double u1 = 1.0 - uniform01(rng), u2 = uniform01(rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

struct Teacher {
    std::vector<std::vector<double>> W, b;  // per layer (in × out) row-major, (out)
    std::vector<int> sizes;
    double eval(const std::vector<double>& x) const {
        std::vector<double> a = x;
        for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
            std::vector<double> z(b[l]);
            for (int i = 0; i < sizes[l]; ++i)
                for (int o = 0; o < sizes[l + 1]; ++o) z[o] += a[i] * W[l][i * sizes[l + 1] + o];
            if (l + 2 < sizes.size())
                for (double& v : z) v = std::tanh(v);
            a = std::move(z);
        }
        return a[0];
    }
};

}  // namespace

FeatureTable makeSyntheticTable(const SyntheticSpec& spec) {
    AGL_CHECK(spec.elements.size() == spec.numFunctions.size() && !spec.elements.empty(),
              "one feature count per element expected");
    AGL_CHECK(spec.minAtoms >= 1 && spec.maxAtoms >= spec.minAtoms, "atom counts must satisfy 1 <= min <= max");
    std::mt19937_64 rng(spec.seed);
    const std::size_t ne = spec.elements.size();
    FeatureTable t;
    std::vector<Teacher> teachers(ne);
    std::vector<std::vector<double>> offset(ne), scale(ne);
    for (std::size_t e = 0; e < ne; ++e) {
        ElementFeatures el;
        el.element = spec.elements[e];
        for (int j = 0; j < spec.numFunctions[e]; ++j) {
            SymmetryFunction sf;
            sf.type = 2;
            sf.centre = sf.e1 = spec.elements[e];
            sf.eta = 0.01 * (j + 1);
            sf.rc = 6.0;
            el.functions.push_back(sf);
            offset[e].push_back(0.5 + 2.0 * uniform01(rng));
            scale[e].push_back(0.1 + uniform01(rng));
        }
        t.elements.push_back(std::move(el));
        Teacher& T = teachers[e];
        T.sizes.push_back(spec.numFunctions[e]);
        for (int h : spec.teacherHidden) T.sizes.push_back(h);
        T.sizes.push_back(1);
        for (std::size_t l = 0; l + 1 < T.sizes.size(); ++l) {
            std::vector<double> w(std::size_t(T.sizes[l]) * T.sizes[l + 1]), bias(T.sizes[l + 1]);
            for (double& v : w) v = gaussian(rng) / std::sqrt(double(T.sizes[l]));
            for (double& v : bias) v = 0.3 * gaussian(rng) - (l + 2 == T.sizes.size() ? 1.0 + double(e) : 0.0);
            T.W.push_back(std::move(w));
            T.b.push_back(std::move(bias));
        }
    }
    for (int s = 0; s < spec.numStructures; ++s) {
        const int n = spec.minAtoms + int(rng() % std::uint64_t(spec.maxAtoms - spec.minAtoms + 1));
        std::vector<int> elementOf(n);
        for (int& z : elementOf) z = int(rng() % ne);
        double energy = 0.0;
        std::vector<std::uint32_t> counter(ne, 0);
        for (std::size_t e = 0; e < ne; ++e) {  // rows grouped by element, then in atom order
            ElementFeatures& el = t.elements[e];
            for (int i = 0; i < n; ++i) {
                if (elementOf[i] != int(e)) continue;
                std::vector<double> x(spec.numFunctions[e]);
                for (int j = 0; j < spec.numFunctions[e]; ++j) {
                    x[j] = std::fabs(gaussian(rng));
                    el.values.push_back(offset[e][j] + scale[e][j] * x[j]);
                }
                energy += teachers[e].eval(x);
                el.structure.push_back(std::uint32_t(s));
                el.atom.push_back(std::uint32_t(i));
            }
        }
        t.energies.push_back(energy);
        t.numAtoms.push_back(std::uint32_t(n));
        t.tags.push_back(s >= spec.numStructures - spec.testTagged ? SetTag::Test : SetTag::Unspecified);
    }
    return t;
}

}  // namespace agl
