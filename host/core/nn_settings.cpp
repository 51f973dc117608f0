#include "agl/nn_settings.hpp"

namespace agl {

std::vector<SymmetryFunction> NnSettings::functionsOf(int z) const {
    std::vector<SymmetryFunction> out;
    for (const auto& sf : functions)
        if (sf.centre == z) out.push_back(sf);
    return out;
}

NetworkShape NnSettings::networkOf(int z) const {
    auto it = elementNetworks.find(z);
    return it == elementNetworks.end() ? network : it->second;
}

}  // namespace agl
