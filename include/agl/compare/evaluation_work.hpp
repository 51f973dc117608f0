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
//   networkWeights weights and biases of the centre element's network (one multiply-add each, forward)
// These are the counts of a plain evaluation. agl's engine (and n2p2's symmetry-function groups) share
// exponentials, cutoffs and powers within groups, so their time is not a fixed multiple of a count; how well
// the counts predict agl's measured cost: bench/bench_work.cpp and bench/RESULTS.md ("Counted work").
#pragma once
#include <cstddef>
#include <vector>

#include "agl/nn_settings.hpp"
#include "agl/structure.hpp"

namespace agl {

struct EvaluationWork {
    double radialTerms = 0.0;     // per atom
    double angularTerms = 0.0;    // per atom
    double angularTriplets = 0.0; // per atom
    double networkWeights = 0.0;  // per atom
    std::size_t atoms = 0;        // atoms counted over
};

// `settings`: the set's functions and networks (noise columns are not functions and count nothing).
EvaluationWork countEvaluationWork(const NnSettings& settings, const std::vector<const Structure*>& structures);

// The counted cost: a deterministic estimate of agl's CPU time for energy and forces per atom, in the time of
// one radial term (about 13 ns on the development CPU):
//   kAtomFloor + radialTerms + kAngularTermWeight · angularTerms + kTripletWeight · angularTriplets.
// The weights are rounded from least-squares fits of the measured cost of random subsets on three data sets
// (bench_work: LJ, SiO₂ and silicon; bench/RESULTS.md "Counted work"), where the fits' per-term costs agreed
// within a factor of about 3; the networks' weights cost too little to be resolved there and are left out.
// It ranks sets by cost far better than their number of functions does (same place), and it is what
// `agl select --suggest-by work` minimises.
inline constexpr double kAtomFloor = 250.0;         // neighbour list, networks, chain rule bookkeeping
inline constexpr double kAngularTermWeight = 0.15;  // one member of a group on one triplet
inline constexpr double kTripletWeight = 0.5;       // a group's shared work on one triplet (cos θ, powers)
inline double countedCost(const EvaluationWork& work) {
    return kAtomFloor + work.radialTerms + kAngularTermWeight * work.angularTerms +
           kTripletWeight * work.angularTriplets;
}

}  // namespace agl
