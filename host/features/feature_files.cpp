#include "agl/feature_files.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>

#include "agl/error.hpp"

namespace agl {

FeatureStatistics featureStatistics(const ElementFeatures& e, const std::vector<char>* useStructure) {
    const std::size_t nf = e.numFunctions();
    auto used = [&](std::size_t r) { return !useStructure || (*useStructure)[e.structure[r]]; };
    FeatureStatistics st;
    st.min.assign(nf, std::numeric_limits<double>::infinity());
    st.max.assign(nf, -std::numeric_limits<double>::infinity());
    st.mean.assign(nf, 0.0);
    st.sigma.assign(nf, 0.0);
    for (std::size_t r = 0; r < e.numAtoms(); ++r) {
        if (!used(r)) continue;
        ++st.count;
        for (std::size_t c = 0; c < nf; ++c) {
            const double v = e.at(r, c);
            st.min[c] = std::min(st.min[c], v);
            st.max[c] = std::max(st.max[c], v);
            st.mean[c] += v;
        }
    }
    const std::size_t n = st.count;
    if (n == 0) st.min.assign(nf, 0.0), st.max.assign(nf, 0.0);
    for (std::size_t c = 0; c < nf && n; ++c) st.mean[c] /= static_cast<double>(n);
    // Two passes (mean first) keep sigma accurate when it is small against the mean.
    for (std::size_t r = 0; r < e.numAtoms(); ++r)
        for (std::size_t c = 0; c < nf && used(r); ++c)
            st.sigma[c] += (e.at(r, c) - st.mean[c]) * (e.at(r, c) - st.mean[c]);
    for (std::size_t c = 0; c < nf; ++c) st.sigma[c] = n > 1 ? std::sqrt(st.sigma[c] / static_cast<double>(n - 1)) : 0.0;
    return st;
}

namespace {
const char* const kScalingHeader =
    "################################################################################\n"
    "# Symmetry function scaling data.\n"
    "################################################################################\n"
    "# Col  Name     Description\n"
    "################################################################################\n"
    "# 1    e_index  Element index.\n"
    "# 2    sf_index Symmetry function index.\n"
    "# 3    sf_min   Symmetry function minimum.\n"
    "# 4    sf_max   Symmetry function maximum.\n"
    "# 5    sf_mean  Symmetry function mean.\n"
    "# 6    sf_sigma Symmetry function sigma.\n"
    "#########################################################################################################################\n"
    "#        1          2                        3                        4                        5                        6\n"
    "#  e_index   sf_index                   sf_min                   sf_max                  sf_mean                 sf_sigma\n"
    "#########################################################################################################################\n";

void printf(std::ostream& out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void printf(std::ostream& out, const char* format, ...) {
    char buf[256];
    va_list args;
    va_start(args, format);
    const int n = std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    AGL_CHECK(n >= 0 && n < static_cast<int>(sizeof buf), "formatted line too long");
    out.write(buf, n);
}
}  // namespace

void writeScalingData(std::ostream& out, const std::vector<const FeatureStatistics*>& elements, double zeroSigmaAs) {
    out << kScalingHeader;
    for (std::size_t e = 0; e < elements.size(); ++e) {
        const FeatureStatistics& st = *elements[e];
        for (std::size_t c = 0; c < st.min.size(); ++c)
            printf(out, "%10d %10d %24.16E %24.16E %24.16E %24.16E\n", static_cast<int>(e + 1), static_cast<int>(c + 1),
                   st.min[c], st.max[c], st.mean[c], st.sigma[c] > 0.0 ? st.sigma[c] : zeroSigmaAs);
    }
}

void writeScalingData(std::ostream& out, const FeatureTable& table) {
    std::vector<FeatureStatistics> stats;
    for (const ElementFeatures& e : table.elements) stats.push_back(featureStatistics(e));
    std::vector<const FeatureStatistics*> rows;
    for (const auto& st : stats) rows.push_back(&st);
    writeScalingData(out, rows, 0.0);
}

void writeFunctionData(std::ostream& out, const FeatureTable& table) {
    // Rows of each element are in data-set order: walk them with one cursor per element.
    std::vector<std::size_t> cursor(table.elements.size(), 0);
    for (std::size_t s = 0; s < table.numStructures(); ++s) {
        const std::uint32_t n = table.numAtoms[s];
        printf(out, "%6u\n", static_cast<unsigned>(n));
        for (std::uint32_t atom = 0; atom < n; ++atom) {
            bool found = false;
            for (std::size_t e = 0; e < table.elements.size() && !found; ++e) {
                const ElementFeatures& ef = table.elements[e];
                std::size_t& r = cursor[e];
                if (r >= ef.numAtoms() || ef.structure[r] != s || ef.atom[r] != atom) continue;
                printf(out, "%3d ", ef.element);  // n2p2 prints one more space after Z
                for (std::size_t c = 0; c < ef.numFunctions(); ++c) printf(out, " %14.10f", ef.at(r, c));
                out << '\n';
                ++r;
                found = true;
            }
            AGL_CHECK(found, "feature table misses an atom of structure " + std::to_string(s));
        }
        const double perAtom = n ? table.energies[s] / n : 0.0;
        printf(out, " %19.10f %19.10f %19.10f %19.10f\n", 0.0, perAtom, perAtom, 0.0);
    }
}

}  // namespace agl
