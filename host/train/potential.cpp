#include "agl/train/potential.hpp"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/feature_files.hpp"
#include "agl/train/model_batch.hpp"

namespace agl {

namespace {

std::string printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string printf(const char* fmt, ...) {
    char buf[256];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

std::string weightsFileName(int element) { return printf("weights.%03d.data", element); }

// Non-comment, non-blank lines with their 1-based line numbers.
template <class Fn>
void forEachDataLine(const std::string& path, Fn fn) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open for reading");
    std::string line;
    long number = 0;
    while (std::getline(in, line)) {
        ++number;
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') continue;
        fn(line, number);
    }
}

}  // namespace

std::vector<ElementArch> archsFromSettings(const NnSettings& settings) {
    std::vector<ElementArch> archs;
    for (int z : settings.elements) {
        const NetworkShape shape = settings.networkOf(z);
        archs.push_back(makeElementArch(z, int(settings.functionsOf(z).size()), shape.hiddenNodes, shape.activations));
    }
    return archs;
}

void writeScalingData(const std::string& path, const Potential& potential, bool force) {
    AtomicFile file(path, force);
    std::vector<const FeatureStatistics*> rows;
    for (const auto& element : potential.elements) rows.push_back(&element.scaling);
    writeScalingData(file.stream(), rows, 1.0);  // σ = 0: see potential.hpp
    file.commit();
}

void writeWeights(const std::string& path, const ElementPotential& element, bool force) {
    const ElementArch& arch = element.arch;
    AGL_CHECK(element.weights.size() == arch.numParams(), "weight vector does not match the network");
    // Constant inputs (σ = 0) are fed as 0: their first-layer weights are written as 0 (see potential.hpp).
    std::vector<double> weights = element.weights;
    const LayerShape& first = arch.layers.front();
    for (int j = 0; j < first.in && std::size_t(j) < element.scaling.sigma.size(); ++j)
        if (!(element.scaling.sigma[j] > 0.0)) std::fill_n(weights.begin() + std::size_t(j) * first.out, first.out, 0.0);
    AtomicFile file(path, force);
    std::ostream& out = file.stream();
    out << "################################################################################\n"
           "# Neural network connection values (weights and biases), written by agl.\n"
           "# Per layer: weights (source neuron outer, target inner), then biases.\n"
           "################################################################################\n"
           "#             connection t     index   l_s   n_s   l_e   n_e\n"
           "################################################################################\n";
    std::size_t index = 0;
    for (std::size_t l = 0; l < arch.layers.size(); ++l) {
        const LayerShape& L = arch.layers[l];
        for (int i = 0; i < L.in; ++i)
            for (int o = 0; o < L.out; ++o, ++index)
                out << printf("%24.16E a %9d %5d %5d %5d %5d\n", weights[index], int(index + 1), int(l),
                              i + 1, int(l + 1), o + 1);
        for (int o = 0; o < L.out; ++o, ++index)
            out << printf("%24.16E b %9d %5d %5d\n", weights[index], int(index + 1), int(l + 1), o + 1);
    }
    file.commit();
}

void writePotential(const std::string& dir, const Potential& potential, bool force) {
    writeScalingData(dir + "/scaling.data", potential, force);
    for (const ElementPotential& e : potential.elements)
        writeWeights(dir + "/" + weightsFileName(e.arch.element), e, force);
}

std::vector<double> readWeights(const std::string& path, const ElementArch& arch) {
    std::vector<double> w;
    const std::size_t expected = arch.numParams();
    forEachDataLine(path, [&](const std::string& line, long number) {
        std::istringstream ss(line);
        double v;
        if (!(ss >> v)) throw InputError(path, number, "expected a number in the first column");
        if (w.size() == expected)
            throw InputError(path, number, "more values than the network has parameters (" + std::to_string(expected) + ")");
        w.push_back(v);
    });
    if (w.size() != expected)
        throw InputError(path, 0, "has " + std::to_string(w.size()) + " values, the network needs " +
                                      std::to_string(expected));
    return w;
}

std::vector<FeatureScaling> readScalingData(const std::string& path, const std::vector<ElementArch>& archs) {
    std::vector<FeatureScaling> sc(archs.size());
    std::vector<std::vector<char>> seen(archs.size());
    for (std::size_t e = 0; e < archs.size(); ++e) {
        const std::size_t n = std::size_t(archs[e].numInputs());
        sc[e].min.assign(n, 0.0);
        sc[e].max.assign(n, 0.0);
        sc[e].mean.assign(n, 0.0);
        sc[e].sigma.assign(n, 0.0);
        seen[e].assign(n, 0);
    }
    forEachDataLine(path, [&](const std::string& line, long number) {
        std::istringstream ss(line);
        long e, j;
        double mn, mx, mean, sigma;
        if (!(ss >> e >> j >> mn >> mx >> mean >> sigma))
            throw InputError(path, number, "expected `e_index sf_index min max mean sigma`");
        if (e < 1 || e > long(archs.size()))
            throw InputError(path, number, "element index " + std::to_string(e) + " out of range: the settings have " +
                                               std::to_string(archs.size()) + " elements (does this scaling.data "
                                               "belong to that input.nn?)");
        if (j < 1 || j > archs[e - 1].numInputs())
            throw InputError(path, number, "function index " + std::to_string(j) + " out of range: the settings have " +
                                               std::to_string(archs[e - 1].numInputs()) + " functions for element " +
                                               std::to_string(e) + " (does this scaling.data belong to that "
                                               "input.nn?)");
        if (seen[e - 1][j - 1]) throw InputError(path, number, "function listed twice");
        if (!(std::isfinite(mn) && std::isfinite(mx) && std::isfinite(mean) && mn <= mx))
            throw InputError(path, number, "min, max and mean must be finite numbers with min <= max");
        if (!(sigma >= 0.0 && std::isfinite(1.0 / (sigma > 0.0 ? sigma : 1.0))))
            throw InputError(path, number, "sigma must be >= 0, and not so small that 1/sigma overflows");
        seen[e - 1][j - 1] = 1;
        sc[e - 1].min[j - 1] = mn;
        sc[e - 1].max[j - 1] = mx;
        sc[e - 1].mean[j - 1] = mean;
        sc[e - 1].sigma[j - 1] = sigma;
    });
    for (std::size_t e = 0; e < archs.size(); ++e)
        for (std::size_t j = 0; j < seen[e].size(); ++j)
            if (!seen[e][j])
                throw InputError(path, 0, "no line for element " + std::to_string(e + 1) + " (" +
                                              elementSymbol(archs[e].element) + ") function " + std::to_string(j + 1) +
                                              " (input.nn gives it " + std::to_string(seen[e].size()) + " functions)");
    return sc;
}

Potential readPotential(const std::string& dir, const std::vector<ElementArch>& archs) {
    Potential p;
    const auto scaling = readScalingData(dir + "/scaling.data", archs);
    for (std::size_t e = 0; e < archs.size(); ++e)
        p.elements.push_back({archs[e], scaling[e], readWeights(dir + "/" + weightsFileName(archs[e].element), archs[e])});
    return p;
}

namespace {

// One-slot model of the potential's networks, and the table standardised with its scaling.
ModelBatch potentialModel(const Potential& p, const FeatureTable& table, StandardisedData& data) {
    AGL_CHECK(table.elements.size() == p.elements.size(), "feature table and potential have different elements");
    std::vector<ElementArch> archs;
    std::vector<FeatureScaling> scaling;
    std::vector<double> canonical;
    for (std::size_t e = 0; e < p.elements.size(); ++e) {
        AGL_CHECK(table.elements[e].element == p.elements[e].arch.element &&
                      int(table.elements[e].numFunctions()) == p.elements[e].arch.numInputs(),
                  "feature table does not match the potential's element " + std::to_string(p.elements[e].arch.element));
        archs.push_back(p.elements[e].arch);
        scaling.push_back(p.elements[e].scaling);
        canonical.insert(canonical.end(), p.elements[e].weights.begin(), p.elements[e].weights.end());
    }
    ModelBatch model(archs, 1);
    model.setSlotParams(0, canonical);
    data = standardise(table, scaling);
    return model;
}

}  // namespace

std::vector<std::vector<double>> Potential::atomicEnergies(const FeatureTable& table) const {
    StandardisedData data;
    ModelBatch model = potentialModel(*this, table, data);
    std::vector<std::vector<double>> out(elements.size());
    // Every atom of one element is its own "structure" of a batch in which the other elements have no rows.
    const std::size_t chunk = 4096;
    MiniBatch batch;
    batch.elements.resize(elements.size());
    std::vector<double> part;
    for (std::size_t e = 0; e < elements.size(); ++e) {
        const StandardisedElement& el = data.elements[e];
        const std::size_t rows = el.values.size() / std::size_t(el.numFunctions), nf = std::size_t(el.numFunctions);
        for (std::size_t from = 0; from < rows; from += chunk) {
            const int n = int(std::min(chunk, rows - from));
            batch.numStructures = n;
            batch.energy.assign(n, 0.0);
            batch.numAtoms.assign(n, 1.0);
            for (std::size_t f = 0; f < elements.size(); ++f) {
                MiniBatch::Element& b = batch.elements[f];
                b.rows = f == e ? n : 0;
                b.start.resize(std::size_t(n) + 1);
                for (int s = 0; s <= n; ++s) b.start[s] = f == e ? s : 0;
                if (f == e) b.X.assign(el.values.begin() + from * nf, el.values.begin() + (from + n) * nf);
                else b.X.clear();
            }
            model.predict(batch, 1, part);
            out[e].insert(out[e].end(), part.begin(), part.end());
        }
    }
    return out;
}

std::vector<double> Potential::predict(const FeatureTable& table) const {
    StandardisedData data;
    ModelBatch model = potentialModel(*this, table, data);
    std::vector<std::uint32_t> all(table.numStructures());
    std::iota(all.begin(), all.end(), 0u);
    std::vector<double> energies, part;
    MiniBatch batch;
    const std::size_t chunk = 256;
    for (std::size_t from = 0; from < all.size(); from += chunk) {
        const int n = int(std::min(chunk, all.size() - from));
        gatherBatch(data, all.data() + from, n, batch);
        model.predict(batch, 1, part);
        energies.insert(energies.end(), part.begin(), part.end());
    }
    return energies;
}

}  // namespace agl
