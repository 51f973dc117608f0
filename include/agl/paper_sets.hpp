// Candidate symmetry-function sets of the AGL paper (supplementary tables), compiled into the binary so that
// `agl demo` needs no file: the text is an n2p2 input.nn, identical to tests/data/features/<name>.nn.
//
//   lj: Table SII, Lennard-Jones (element written as Ar, rc = 2.8 σ, cutoff_type 6 = poly2): 12 radial G2
//       (η 0.12755 … 3.1888 at rs = 0, then η = 3.858 at rs 0.5 … 2.3) and 10 wide angular G5 (type 9,
//       η = 0.12755, λ = ±1, ζ = 1, 2, 4, 8, 16); network 2 × 10 tanh + linear output, σ-scaled inputs.
#pragma once
#include <string>

namespace agl {

// The input.nn text of the paper's LJ candidates (22 functions, above).
const std::string& paperLjSettingsText();

}  // namespace agl
