// Builds the grouped tables of include/agl/symmetry_function_groups.hpp from a list of functions.
#include "agl/symmetry_function_groups.hpp"

#include <algorithm>

#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/symmetry_function_terms.hpp"

namespace agl {
namespace {

template <typename T, typename Same>
int findOrAdd(std::vector<T>& table, const T& item, Same same) {
    for (std::size_t i = 0; i < table.size(); ++i)
        if (same(table[i], item)) return static_cast<int>(i);
    table.push_back(item);
    return static_cast<int>(table.size() - 1);
}

void markPairTerm(ElementGroups& g, int z, int term) {
    auto& list = g.pairTermsOfElement[z];
    if (std::find(list.begin(), list.end(), term) == list.end()) list.push_back(term);
}

}  // namespace

ElementGroups groupSymmetryFunctions(int element, const std::vector<SymmetryFunction>& functions) {
    ElementGroups g;
    g.element = element;
    g.functions = functions;
    g.pairTermsOfElement.resize(kMaxAtomicNumber + 1);
    for (std::size_t col = 0; col < functions.size(); ++col) {
        const SymmetryFunction& sf = functions[col];
        AGL_CHECK(sf.centre == element, "symmetry function of another centre element");
        AGL_CHECK(validationProblem(sf).empty(), validationProblem(sf));
        g.maxCutoff = std::max(g.maxCutoff, sf.rc);
        const int cutoff = findOrAdd(g.cutoffs, CutoffKey{sf.cutoffType, sf.cutoffAlpha, sf.rc},
                                     [](const CutoffKey& a, const CutoffKey& b) {
                                         return a.type == b.type && a.alpha == b.alpha && a.rc == b.rc;
                                     });
        const int term = findOrAdd(g.pairTerms, PairTerm{cutoff, sf.eta, sf.rs}, [](const PairTerm& a, const PairTerm& b) {
            return a.cutoff == b.cutoff && a.eta == b.eta && a.rs == b.rs;
        });
        const int c = static_cast<int>(col);
        if (sf.type == 2) {
            markPairTerm(g, sf.e1, term);
            RadialGroup key{sf.e1, sf.rc, {}};
            const int gi = findOrAdd(g.radial, key, [](const RadialGroup& a, const RadialGroup& b) { return a.e1 == b.e1; });
            g.radial[gi].rc = std::max(g.radial[gi].rc, sf.rc);
            g.radial[gi].members.push_back({c, term});
            continue;
        }
        const int e1 = std::min(sf.e1, sf.e2), e2 = std::max(sf.e1, sf.e2);
        markPairTerm(g, e1, term);
        markPairTerm(g, e2, term);
        AngularGroup key{sf.type, e1, e2, sf.rc, {}, {}, {}, {}};
        const int gi = findOrAdd(g.angular, key, [](const AngularGroup& a, const AngularGroup& b) {
            return a.type == b.type && a.e1 == b.e1 && a.e2 == b.e2;
        });
        AngularGroup& ag = g.angular[gi];
        ag.rc = std::max(ag.rc, sf.rc);
        auto z = std::find(ag.zetas.begin(), ag.zetas.end(), sf.zeta);
        const int zi = static_cast<int>(z - ag.zetas.begin());
        if (z == ag.zetas.end()) {
            ag.zetas.push_back(sf.zeta);
            ag.zetaInt.push_back(integerZeta(sf.zeta));
            ag.zetaScales.push_back(zetaScale(sf.zeta));
        }
        ag.members.push_back({c, term, zi, sf.lambda > 0 ? 1 : -1});
        ag.usesSign[sf.lambda > 0 ? 0 : 1] = true;
    }
    // ζ ascending, so that each power continues from the previous one by a few multiplications; members
    // sorted by pair term, then ζ: the triplet loop walks them in order with the factors at hand.
    for (auto& ag : g.angular) {
        std::vector<int> order(ag.zetas.size()), rank(ag.zetas.size());
        for (std::size_t z = 0; z < order.size(); ++z) order[z] = static_cast<int>(z);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return ag.zetas[a] < ag.zetas[b]; });
        AngularGroup sorted = ag;
        for (std::size_t z = 0; z < order.size(); ++z) {
            rank[order[z]] = static_cast<int>(z);
            sorted.zetas[z] = ag.zetas[order[z]];
            sorted.zetaInt[z] = ag.zetaInt[order[z]];
            sorted.zetaScales[z] = ag.zetaScales[order[z]];
        }
        for (auto& m : sorted.members) m.zeta = rank[m.zeta];
        ag = std::move(sorted);
        std::stable_sort(ag.members.begin(), ag.members.end(), [](const AngularMember& a, const AngularMember& b) {
            return a.pairTerm != b.pairTerm ? a.pairTerm < b.pairTerm : a.zeta < b.zeta;
        });
    }
    return g;
}

}  // namespace agl
