// FeatureEngine (CPU): grouped tables built once from the settings, neighbour lists per structure, the
// per-atom kernel of atom_features.cpp over all atoms with OpenMP.
#include <omp.h>

#include <algorithm>
#include <limits>

#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/first_error.hpp"
#include "agl/features.hpp"
#include "agl/neighbor_list.hpp"
#include "agl/timings.hpp"
#include "atom_features.hpp"

namespace agl {

using features::AtomScratch;

FeatureEngine::FeatureEngine(const NnSettings& settings) : slotOfElement_(kMaxAtomicNumber + 1, -1) {
    for (int z : settings.elements) {
        AGL_CHECK(z >= 1 && z <= kMaxAtomicNumber, "element out of range");
        slotOfElement_[z] = static_cast<int>(groups_.size());
        groups_.push_back(groupSymmetryFunctions(z, settings.functionsOf(z)));
        maxCutoff_ = std::max(maxCutoff_, groups_.back().maxCutoff);
    }
}

const ElementGroups* FeatureEngine::groupsOf(int z) const {
    if (z < 0 || z > kMaxAtomicNumber || slotOfElement_[z] < 0) return nullptr;
    return &groups_[slotOfElement_[z]];
}

FeatureTable FeatureEngine::emptyTable() const {
    FeatureTable table;
    for (const auto& g : groups_) {
        ElementFeatures ef;
        ef.element = g.element;
        ef.functions = g.functions;
        table.elements.push_back(std::move(ef));
    }
    return table;
}

namespace {

int threadCount(int requested) { return requested > 0 ? requested : omp_get_max_threads(); }

const ElementGroups& groupsFor(const FeatureEngine& engine, int z) {
    const ElementGroups* g = engine.groupsOf(z);
    if (!g) throw Error("the structures contain element " + elementSymbol(z) +
                                        " but the settings (input.nn) have no symmetry functions for it");
    return *g;
}

std::vector<std::vector<Cutoff<double>>> cutoffTables(const FeatureEngine& engine) {
    std::vector<std::vector<Cutoff<double>>> out;
    for (const auto& g : engine.groups()) out.push_back(features::makeCutoffs(g));
    return out;
}

// Neighbour list with the engine's largest cutoff (an empty list when no function has a cutoff).
NeighborList neighborsFor(const FeatureEngine& engine, const Structure& s) {
    if (engine.maxCutoff() <= 0) {
        NeighborList empty;
        empty.offsets.assign(s.numAtoms() + 1, 0);
        return empty;
    }
    return buildNeighborList(s, engine.maxCutoff());
}

}  // namespace

StructureFeatures FeatureEngine::compute(const Structure& s, bool derivatives, int threads) const {
    StructureFeatures out;
    compute(s, derivatives, threads, out);
    return out;
}

void FeatureEngine::compute(const Structure& s, bool derivatives, int threads, StructureFeatures& out) const {
    compute(s, neighborsFor(*this, s), derivatives, threads, out);
}

void FeatureEngine::compute(const Structure& s, const NeighborList& list, bool derivatives, int threads,
                            StructureFeatures& out) const {
    AGL_CHECK(list.numAtoms() == s.numAtoms(), "neighbour list of another structure");
    AGL_CHECK(maxCutoff_ <= 0.0 || list.cutoff >= maxCutoff_, "neighbour list shorter than the largest cutoff");
    const std::size_t n = s.numAtoms();
    out.numFunctions.resize(n);
    out.valueOffsets.assign(n + 1, 0);
    std::vector<int> slot(n);
    for (std::size_t i = 0; i < n; ++i) {
        const ElementGroups& g = groupsFor(*this, s.elements[i]);
        slot[i] = slotOfElement_[g.element];
        out.numFunctions[i] = static_cast<int>(g.numFunctions());
        out.valueOffsets[i + 1] = out.valueOffsets[i] + g.numFunctions();
    }
    out.values.assign(out.valueOffsets[n], 0.0);
    const auto cutoffs = cutoffTables(*this);
    const int nThreads = threadCount(threads);
    if (!derivatives) {
#pragma omp parallel num_threads(nThreads) if (n > 1)
        {
            AtomScratch scratch;
#pragma omp for schedule(dynamic, 16)
            for (std::size_t i = 0; i < n; ++i)
                features::computeAtom(groups_[slot[i]], cutoffs[slot[i]], s.elements, list, i, scratch,
                                      out.values.data() + out.valueOffsets[i]);
        }
        out.derivativeOffsets.clear();
        out.derivativeAtom.clear();
        out.derivativeStart.clear();
        out.derivatives.clear();
        return;
    }
    // Derivative blocks differ in size per atom: sizes first, then every atom writes its block in place.
    out.derivativeOffsets.assign(n + 1, 0);
    out.derivativeStart.assign(n, 0);
#pragma omp parallel num_threads(nThreads) if (n > 1)
    {
        AtomScratch scratch;
#pragma omp for schedule(dynamic, 64)
        for (std::size_t i = 0; i < n; ++i)
            out.derivativeOffsets[i + 1] =
                static_cast<std::uint32_t>(features::countEntries(groups_[slot[i]], list, i, scratch));
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        AGL_CHECK(static_cast<std::uint64_t>(out.derivativeOffsets[i]) + out.derivativeOffsets[i + 1] <
                      std::numeric_limits<std::uint32_t>::max(),
                  "too many derivative entries");
        out.derivativeStart[i] = total;
        total += out.derivativeOffsets[i + 1] * 3 * static_cast<std::size_t>(out.numFunctions[i]);
        out.derivativeOffsets[i + 1] += out.derivativeOffsets[i];
    }
    out.derivativeAtom.resize(out.derivativeOffsets[n]);
    out.derivatives.resize(total);
#pragma omp parallel num_threads(nThreads) if (n > 1)
    {
        AtomScratch scratch;
#pragma omp for schedule(dynamic, 16)
        for (std::size_t i = 0; i < n; ++i)
            features::computeAtom(groups_[slot[i]], cutoffs[slot[i]], s.elements, list, i, scratch,
                                  out.values.data() + out.valueOffsets[i],
                                  out.derivativeAtom.data() + out.derivativeOffsets[i],
                                  out.derivatives.data() + out.derivativeStart[i]);
    }
}

void FeatureEngine::appendLayout(const std::vector<const Structure*>& chunk, FeatureTable& table) const {
    AGL_CHECK(table.elements.size() == groups_.size(), "feature table does not match the engine's elements");
    for (const Structure* s : chunk) {
        const auto structureIndex = static_cast<std::uint32_t>(table.numStructures());
        for (std::size_t i = 0; i < s->numAtoms(); ++i) {
            ElementFeatures& ef = table.elements[slotOfElement_[groupsFor(*this, s->elements[i]).element]];
            ef.structure.push_back(structureIndex);
            ef.atom.push_back(static_cast<std::uint32_t>(i));
        }
        table.energies.push_back(s->energy);
        table.numAtoms.push_back(static_cast<std::uint32_t>(s->numAtoms()));
        table.tags.push_back(s->tag);
    }
    for (ElementFeatures& ef : table.elements) ef.values.resize(ef.numAtoms() * ef.numFunctions(), 0.0);
}

void FeatureEngine::appendTo(const std::vector<const Structure*>& chunk, FeatureTable& table, int threads) const {
    // Rows: every atom of the chunk gets its row in its element's matrix (appendLayout), then one job per row.
    struct AtomJob {
        std::uint32_t structure, atom;  // structure: position in the chunk
        int slot;
        std::size_t row;
    };
    std::vector<std::size_t> rowsBefore;
    for (const ElementFeatures& ef : table.elements) rowsBefore.push_back(ef.numAtoms());
    const auto firstStructure = static_cast<std::uint32_t>(table.numStructures());
    appendLayout(chunk, table);
    std::vector<AtomJob> jobs;
    for (std::size_t e = 0; e < groups_.size(); ++e) {
        const ElementFeatures& ef = table.elements[e];
        for (std::size_t row = rowsBefore[e]; row < ef.numAtoms(); ++row)
            jobs.push_back({ef.structure[row] - firstStructure, ef.atom[row], static_cast<int>(e), row});
    }
    const int nThreads = threadCount(threads);
    std::vector<NeighborList> lists(chunk.size());
    {
        ScopedPhase phase("neighbour lists");
        // Many small structures: one list per thread; one big structure: the list builder's own threads.
        FirstError error;  // a refused cell or an allocation failure in one structure
#pragma omp parallel for schedule(dynamic, 1) num_threads(nThreads) if (chunk.size() > 1)
        for (std::size_t c = 0; c < chunk.size(); ++c) error.run([&] { lists[c] = neighborsFor(*this, *chunk[c]); });
        error.rethrow();
    }
    const auto cutoffs = cutoffTables(*this);
    ScopedPhase phase("feature kernels");
#pragma omp parallel num_threads(nThreads) if (jobs.size() > 1)
    {
        AtomScratch scratch;
#pragma omp for schedule(dynamic, 16)
        for (std::size_t t = 0; t < jobs.size(); ++t) {
            const AtomJob& job = jobs[t];
            ElementFeatures& ef = table.elements[job.slot];
            features::computeAtom(groups_[job.slot], cutoffs[job.slot], chunk[job.structure]->elements,
                                  lists[job.structure], job.atom, scratch,
                                  ef.values.data() + job.row * ef.numFunctions());
        }
    }
}

}  // namespace agl
