// Counted work of a force evaluation per atom (agl/compare/evaluation_work.hpp).
#include "agl/compare/evaluation_work.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "agl/neighbor_list.hpp"
#include "agl/train/param_layout.hpp"

namespace agl {

namespace {

// The functions of one centre element that see the same neighbours: same type, elements and rc.
struct TermGroup {
    int type = 2, e1 = 0, e2 = 0;
    double rc = 0.0;
    int members = 0;
};

std::vector<TermGroup> termGroupsOf(const NnSettings& settings, int centre) {
    std::map<std::tuple<int, int, int, double>, int> members;
    for (const SymmetryFunction& f : settings.functionsOf(centre)) {
        if (f.isNoise()) continue;
        // An angular function of (e1, e2) sees the same triplets as one of (e2, e1).
        const int e1 = f.isAngular() ? std::min(f.e1, f.e2) : f.e1, e2 = f.isAngular() ? std::max(f.e1, f.e2) : 0;
        ++members[{f.type, e1, e2, f.rc}];
    }
    std::vector<TermGroup> groups;
    for (const auto& [key, count] : members)
        groups.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), count});
    return groups;
}

double largestCutoff(const NnSettings& settings) {
    double rc = 0.0;
    for (const SymmetryFunction& f : settings.functions)
        if (!f.isNoise()) rc = std::max(rc, f.rc);
    return rc;
}

// Neighbours of atom i (positions in the list) within rc that have element e.
void neighboursOf(const NeighborList& list, const Structure& s, std::size_t i, int e, double rc,
                  std::vector<std::uint32_t>& out) {
    out.clear();
    for (std::uint32_t p = list.offsets[i]; p < list.offsets[i + 1]; ++p)
        if (list.distance[p] < rc && s.elements[list.index[p]] == e) out.push_back(p);
}

// Triplet count of one angular group at atom i: pairs {j, k} with elements {e1, e2}, both within rc (and,
// for type 3, r_jk < rc).
double tripletsOf(const NeighborList& list, const Structure& s, std::size_t i, const TermGroup& g,
                  std::vector<std::uint32_t>& first, std::vector<std::uint32_t>& second) {
    neighboursOf(list, s, i, g.e1, g.rc, first);
    const bool same = g.e1 == g.e2;
    if (!same) neighboursOf(list, s, i, g.e2, g.rc, second);
    const std::vector<std::uint32_t>& other = same ? first : second;
    double count = 0.0;
    for (std::size_t a = 0; a < first.size(); ++a)
        for (std::size_t b = same ? a + 1 : 0; b < other.size(); ++b) {
            if (g.type == 3) {
                const Vec3d d = list.delta[other[b]] - list.delta[first[a]];
                if (!(norm(d) < g.rc)) continue;
            }
            count += 1.0;
        }
    return count;
}

}  // namespace

EvaluationWork countEvaluationWork(const NnSettings& settings, const std::vector<const Structure*>& structures) {
    std::map<int, std::vector<TermGroup>> groups;
    std::map<int, double> weights;
    for (const int z : settings.elements) {  // an element without functions has no network (and no work)
        groups[z] = termGroupsOf(settings, z);
        const std::size_t inputs = settings.functionsOf(z).size();
        const NetworkShape shape = settings.networkOf(z);
        if (inputs > 0)
            weights[z] = double(makeElementArch(z, int(inputs), shape.hiddenNodes, shape.activations).numParams());
    }
    const double cutoff = largestCutoff(settings);

    EvaluationWork work;
    std::vector<std::uint32_t> first, second;
    for (const Structure* s : structures) {
        work.atoms += s->numAtoms();
        if (cutoff <= 0.0) continue;
        const NeighborList list = buildNeighborList(*s, cutoff);
        for (std::size_t i = 0; i < s->numAtoms(); ++i) {
            const int z = s->elements[i];
            if (const auto w = weights.find(z); w != weights.end()) work.networkWeights += w->second;
            const auto found = groups.find(z);
            if (found == groups.end()) continue;  // an element the settings do not know: no functions
            for (const TermGroup& g : found->second) {
                if (g.type == 2) {
                    neighboursOf(list, *s, i, g.e1, g.rc, first);
                    work.radialTerms += double(g.members) * double(first.size());
                } else {
                    const double triplets = tripletsOf(list, *s, i, g, first, second);
                    const std::size_t neighbours = first.size() + (g.e1 == g.e2 ? 0 : second.size());
                    work.angularTriplets += triplets;
                    work.angularNeighbours += double(g.members) * double(neighbours);
                    work.angularTerms += double(g.members) * triplets;
                }
            }
        }
    }
    if (work.atoms > 0) {
        const double n = double(work.atoms);
        work.radialTerms /= n;
        work.angularTerms /= n;
        work.angularTriplets /= n;
        work.angularNeighbours /= n;
        work.networkWeights /= n;
    }
    return work;
}

}  // namespace agl
