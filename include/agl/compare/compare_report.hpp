// Outputs of `agl compare` (in OUT/): compare.md (the paper's table in Markdown: set, N, N_G5, [noise kept],
// test RMSE mean ± std, cost per atom and its ratio to all candidates; then the functions of each set),
// compare.csv (the same at full precision, one line per set, plus every model's test RMSE),
// compare_box.png (box plot of the models' test RMSE per set, Fig. 2b) and selection_matrix.png (which
// candidate columns each set uses, Fig. 2c). All written atomically, never over existing files without force.
#pragma once
#include <string>

#include "agl/compare/compare.hpp"

namespace agl {

// Context printed above the table.
struct CompareInfo {
    std::string data, candidates;     // paths (or descriptions) of the data and the candidate settings
    std::string energyUnit = "energy unit of the data";
    int models = 0, epochs = 0;       // M and the epochs of the warm-restart schedule
    std::vector<std::string> warnings;  // about the comparison itself (e.g. a selection that saw test structures)
};

// Power of ten (a multiple of 3) for the RMSE column: the largest 3k with 10^{3k} <= the smallest finite
// positive mean (so every value shows as >= 1, like the paper's 10^-3 ε/atom). 0 when there is none.
int rmseExponent(const CompareResult& result);

// "mean ± std" of values already divided by 10^exponent. The std gets 1 significant digit, or 2 when its
// leading digit is 1 or 2 (so 0.14 does not collapse to 0.1), and the mean is rounded to the same decimal
// place (never fewer than 0 decimals). One model (or std = 0): the mean alone with 3 significant digits.
// Non-finite mean: "n/a".
std::string formatMeanStd(double mean, double std, int models, int exponent);

// The Markdown report (also printed by `agl demo`).
std::string compareMarkdown(const FeatureTable& table, const CompareResult& result, const CompareInfo& info);

void writeCompareMarkdown(const std::string& path, const FeatureTable& table, const CompareResult& result,
                          const CompareInfo& info, bool force);
void writeCompareCsv(const std::string& path, const FeatureTable& table, const CompareResult& result, bool force);
// dir/compare_box.png and dir/selection_matrix.png.
void writeComparePlots(const std::string& dir, const FeatureTable& table, const CompareResult& result, bool force);

// "Ar: 1 2 5 | noise 23" style list of a set's columns (1-based n2p2 indices within each element).
std::string columnSummary(const FeatureTable& table, const FeatureSet& set);

}  // namespace agl
