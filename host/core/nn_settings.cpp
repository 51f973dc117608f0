#include "agl/nn_settings.hpp"

#include <cctype>
#include <set>
#include <sstream>

namespace agl {

std::vector<SymmetryFunction> NnSettings::functionsOf(int z) const {
    std::vector<SymmetryFunction> out;
    for (const auto& sf : functions)
        if (sf.centre == z) out.push_back(sf);
    return out;
}

bool NnSettings::everyElementHasFunctions() const {
    for (int z : elements)
        if (functionsOf(z).empty()) return false;
    return true;
}

NetworkShape NnSettings::networkOf(int z) const {
    auto it = elementNetworks.find(z);
    return it == elementNetworks.end() ? network : it->second;
}

namespace {

// An `nnp_type` line naming a second-generation HDNNP (2G-HDNNP, 2G or 2, any case).
bool isSecondGeneration(const RawKeyword& nnpType) {
    std::istringstream line(nnpType.text);
    std::string keyword, value, extra;
    line >> keyword >> value;
    if (line >> extra) return false;
    for (char& c : value) c = char(std::toupper(static_cast<unsigned char>(c)));
    return value == "2G-HDNNP" || value == "2G" || value == "2";
}

}  // namespace

N2p2KeywordKind n2p2KeywordKind(const RawKeyword& line) {
    static const std::set<std::string> normalisation{"mean_energy", "conv_energy", "conv_length"};
    // n2p2's training keywords (nnp-train); prefixes cover families such as kalman_* and gradient_*.
    static const std::set<std::string> training{
        "epochs", "updater_type", "parallel_mode", "jacobian_mode", "update_strategy", "selection_mode",
        "task_batch_size_energy", "task_batch_size_force", "memorize_symfunc_results", "test_fraction",
        "use_short_forces", "force_weight", "short_energy_fraction", "short_force_fraction",
        "short_energy_error_threshold", "short_force_error_threshold", "rmse_threshold", "rmse_threshold_energy",
        "rmse_threshold_force", "rmse_threshold_trials", "weights_min", "weights_max", "nguyen_widrow_weights_short",
        "precondition_weights", "use_old_weights_short", "repeated_energy_update", "main_error_metric",
        "force_energy_ratio", "energy_threshold"};
    static const char* prefixes[] = {"kalman_", "gradient_", "write_"};
    const std::string keyword = keywordOf(line);
    if (normalisation.count(keyword)) return N2p2KeywordKind::Normalisation;
    if (keyword == "normalize_nodes") return N2p2KeywordKind::Evaluation;
    if (keyword == "nnp_type") return isSecondGeneration(line) ? N2p2KeywordKind::Agreeing : N2p2KeywordKind::Evaluation;
    if (training.count(keyword)) return N2p2KeywordKind::Training;
    for (const char* p : prefixes)
        if (keyword.rfind(p, 0) == 0) return N2p2KeywordKind::Training;
    return N2p2KeywordKind::Other;
}

std::string keywordOf(const RawKeyword& raw) {
    std::istringstream line(raw.text);
    std::string keyword;
    line >> keyword;
    return keyword;
}

}  // namespace agl
