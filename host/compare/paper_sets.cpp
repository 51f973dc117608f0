// The paper's candidate sets as input.nn text (include/agl/paper_sets.hpp). Kept byte-identical to
// tests/data/features/lj.nn (checked by tests/compare/paper_sets_test.cpp).
#include "agl/paper_sets.hpp"

namespace agl {

const std::string& paperLjSettingsText() {
    static const std::string text =
        "number_of_elements 1\n"
        "elements Ar\n"
        "cutoff_type 6 0.0\n"
        "random_seed 12345\n"
        "scale_symmetry_functions_sigma\n"
        "global_hidden_layers_short 2\n"
        "global_nodes_short 10 10\n"
        "global_activation_short t t l\n"
        "symfunction_short Ar 2 Ar 0.12755 0.0 2.8\n"
        "symfunction_short Ar 2 Ar 0.24281 0.0 2.8\n"
        "symfunction_short Ar 2 Ar 0.46223 0.0 2.8\n"
        "symfunction_short Ar 2 Ar 0.87993 0.0 2.8\n"
        "symfunction_short Ar 2 Ar 1.6751 0.0 2.8\n"
        "symfunction_short Ar 2 Ar 3.1888 0.0 2.8\n"
        "symfunction_short Ar 2 Ar 3.858 0.5 2.8\n"
        "symfunction_short Ar 2 Ar 3.858 0.86 2.8\n"
        "symfunction_short Ar 2 Ar 3.858 1.22 2.8\n"
        "symfunction_short Ar 2 Ar 3.858 1.58 2.8\n"
        "symfunction_short Ar 2 Ar 3.858 1.94 2.8\n"
        "symfunction_short Ar 2 Ar 3.858 2.3 2.8\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 -1.0 1.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 1.0 1.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 -1.0 2.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 1.0 2.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 -1.0 4.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 1.0 4.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 -1.0 8.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 1.0 8.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 -1.0 16.0 2.8 0.0\n"
        "symfunction_short Ar 9 Ar Ar 0.12755 1.0 16.0 2.8 0.0\n"
        ;
    return text;
}

}  // namespace agl
