#include "agl/feature_table.hpp"

#include "agl/element.hpp"

namespace agl {

std::vector<std::string> featureColumnLabels(const FeatureTable& table) {
    std::vector<std::string> labels;
    for (const ElementFeatures& el : table.elements)
        for (std::size_t j = 0; j < el.numFunctions(); ++j)
            labels.push_back(elementSymbol(el.element) + ":" + std::to_string(j + 1) +
                             (el.functions[j].isNoise() ? "n" : ""));
    return labels;
}

}  // namespace agl
