// The counted work of evaluating a potential with a feature set: the deterministic companion of the measured
// cost (evaluation_cost.hpp). Timings vary from run to run and from machine to machine; these counts depend
// only on the functions, the networks and the structures. They refine the paper's proxies N and N_G5: an
// angular function costs a term per neighbour PAIR within its rc, a radial one a term per neighbour, so
// functions with a small rc, or of a rare element pair, cost less than their count says.
//
// Per atom, averaged over the structures (one term = one function on one neighbour or on one triplet):
//   radialTerms    Σ over the centre's radial functions of its neighbours of element e1 within rc
//   angularTerms   Σ over its angular functions of the unordered neighbour pairs {j, k} with elements
//                  {e1, e2}, both within rc (type 3: r_jk < rc as well)
//   angularTriplets the same triplets counted once per group of angular functions sharing type, elements and
//                  rc: the work a grouped evaluation shares among them (cos θ, the powers of 1 ± cos θ)
//   angularNeighbours Σ over its angular functions of the neighbours of element e1 or e2 within rc: the
//                  derivative entries of the angular functions (one gradient per function and neighbour)
//   networkWeights weights and biases of the centre element's network (one multiply-add each, forward)
// Terms are the counts of a plain evaluation. agl's engine (and n2p2's symmetry-function groups) share
// exponentials, cutoffs and powers within groups, so their time is not a fixed multiple of one count; how
// well the counts predict agl's measured cost: bench/bench_work.cpp and bench/RESULTS.md ("Counted work").
#pragma once
#include <cstddef>
#include <vector>

#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"

namespace agl {

struct EvaluationWork {
    // All per atom (see above).
    double radialTerms = 0.0;
    double angularTerms = 0.0;
    double angularTriplets = 0.0;
    double angularNeighbours = 0.0;
    double networkWeights = 0.0;
    std::size_t atoms = 0;  // atoms counted over
};

// `settings`: the set's functions and networks (noise columns are not functions and count nothing). An
// element without functions counts nothing either (as if its atoms were not there, but they still divide).
EvaluationWork countEvaluationWork(const NnSettings& settings, const std::vector<const Structure*>& structures);

// The counted cost: a deterministic estimate of agl's CPU time for energy and forces per atom, in the time of
// one radial term (13 ± 3 ns on the development CPU):
//   kAtomFloor + radialTerms + kAngularTermWeight · angularTerms + kTripletWeight · angularTriplets
//              + kAngularNeighbourWeight · angularNeighbours.
// The weights were chosen on random subsets of three candidate sets (bench_work: LJ liquid with the paper's 22
// functions, silicon with 60, the small Si/O fixture with 20; bench/RESULTS.md "Counted work") to rank the
// subsets as their measured cost does (chosen on one draw of subsets, checked on another: rank correlation
// 0.96–0.995, against 0.68–0.98 for the number of functions). Within one candidate set whose angular functions share one rc, angular terms and neighbours
// grow together, so only several sets tell them apart. Ratios to all candidates are within about 40 %;
// the networks' weights cost too little to be resolved and are left out. `agl select --suggest-by work`
// minimises it; `agl compare --match cost` sizes the filters by it (cost_matched_set.hpp).
inline constexpr double kAtomFloor = 150.0;            // neighbour list, networks, bookkeeping
inline constexpr double kAngularTermWeight = 0.05;     // one member of a group on one triplet (a multiply-add)
inline constexpr double kTripletWeight = 0.25;         // a group's shared work on a triplet (cos θ, powers)
inline constexpr double kAngularNeighbourWeight = 2.0; // an angular function's gradient for one neighbour
inline double countedCost(const EvaluationWork& work) {
    return kAtomFloor + work.radialTerms + kAngularTermWeight * work.angularTerms +
           kTripletWeight * work.angularTriplets + kAngularNeighbourWeight * work.angularNeighbours;
}

}  // namespace agl
