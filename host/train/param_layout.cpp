#include "agl/train/param_layout.hpp"

#include <algorithm>
#include <utility>

#include "agl/error.hpp"

namespace agl {

Activation activationFromLetter(char letter) {
    switch (letter) {
        case 'l': return Activation::Linear;
        case 't': return Activation::Tanh;
        case 's': return Activation::Logistic;
        case 'p': return Activation::Softplus;
        case 'r': return Activation::Relu;
        default:
            throw Error(std::string("unknown activation letter '") + letter +
                        "' (known: l linear, t tanh, s logistic, p softplus, r relu)");
    }
}

void checkActivationLetters(const std::string& letters, const std::string& nnPath) {
    for (char letter : letters) {
        try {
            activationFromLetter(letter);
        } catch (const Error& e) {
            throw InputError(nnPath, 0, std::string("global_activation_short: ") + e.what());
        }
    }
}

std::size_t ElementArch::numParams() const {
    std::size_t n = 0;
    for (const auto& L : layers) n += std::size_t(L.in) * L.out + L.out;
    return n;
}

ElementArch makeElementArch(int element, int numInputs, const std::vector<int>& hiddenNodes,
                            const std::string& activations) {
    AGL_CHECK(numInputs > 0, "an atomic network needs at least one input feature");
    if (activations.size() != hiddenNodes.size() + 1)
        throw Error("activation letters '" + activations + "' must be one per hidden layer plus the output (" +
                    std::to_string(hiddenNodes.size() + 1) + ")");
    ElementArch arch;
    arch.element = element;
    int in = numInputs;
    for (std::size_t l = 0; l <= hiddenNodes.size(); ++l) {
        int out = l < hiddenNodes.size() ? hiddenNodes[l] : 1;
        AGL_CHECK(out > 0, "hidden layers need at least one node");
        arch.layers.push_back({in, out, activationFromLetter(activations[l])});
        in = out;
    }
    return arch;
}

ParamLayout::ParamLayout(std::vector<ElementArch> archs, int numSlots)
    : archs_(std::move(archs)), numSlots_(numSlots) {
    AGL_CHECK(numSlots >= 1 && numSlots <= 65535, "number of models must be in [1, 65535]");
    const std::size_t K = std::size_t(numSlots);
    weight_.resize(archs_.size());
    bias_.resize(archs_.size());
    for (std::size_t e = 0; e < archs_.size(); ++e) {
        AGL_CHECK(!archs_[e].layers.empty() && archs_[e].layers.back().out == 1,
                  "an atomic network ends in one output");
        canonical_.push_back(modelSize_);
        modelSize_ += archs_[e].numParams();
        for (const auto& L : archs_[e].layers) {
            weight_[e].push_back(size_);
            size_ += K * L.in * L.out;
            bias_[e].push_back(size_);
            size_ += K * L.out;
        }
    }
    slotOf_.assign(size_, 0);
    decayed_.assign(size_, 0);
    for (int k = 0; k < numSlots; ++k)
        for (const Span& s : slotSpans(k))
            for (std::size_t i = 0; i < s.count; ++i)
                std::fill_n(slotOf_.begin() + s.offset + i * s.stride, s.run, std::uint16_t(k));
    for (std::size_t e = 0; e < archs_.size(); ++e)
        for (std::size_t l = 1; l < archs_[e].layers.size(); ++l)
            std::fill(decayed_.begin() + weight_[e][l], decayed_.begin() + bias_[e][l], std::uint8_t(1));
}

std::size_t ParamLayout::slotWeight(int e, int l, int k) const {
    const LayerShape& L = archs_[e].layers[l];
    return l == 0 ? weight_[e][0] + std::size_t(k) * L.out : weight_[e][l] + std::size_t(k) * L.in * L.out;
}

int ParamLayout::weightLd(int e, int l) const {
    const LayerShape& L = archs_[e].layers[l];
    return l == 0 ? numSlots_ * L.out : L.out;
}

std::vector<Span> ParamLayout::slotSpans(int k) const {
    std::vector<Span> spans;
    for (std::size_t e = 0; e < archs_.size(); ++e)
        for (std::size_t l = 0; l < archs_[e].layers.size(); ++l) {
            const LayerShape& L = archs_[e].layers[l];
            if (l == 0)
                spans.push_back({slotWeight(int(e), 0, k), std::size_t(L.out), std::size_t(L.in),
                                 std::size_t(weightLd(int(e), 0))});
            else
                spans.push_back({slotWeight(int(e), int(l), k), std::size_t(L.in) * L.out, 1, 0});
            spans.push_back({bias_[e][l] + std::size_t(k) * L.out, std::size_t(L.out), 1, 0});
        }
    return spans;
}

void gatherSlot(const ParamLayout& layout, const double* flat, int slot, double* canonical) {
    for (const Span& s : layout.slotSpans(slot))
        for (std::size_t i = 0; i < s.count; ++i, canonical += s.run)
            std::copy_n(flat + s.offset + i * s.stride, s.run, canonical);
}

void scatterSlot(const ParamLayout& layout, const double* canonical, int slot, double* flat) {
    for (const Span& s : layout.slotSpans(slot))
        for (std::size_t i = 0; i < s.count; ++i, canonical += s.run)
            std::copy_n(canonical, s.run, flat + s.offset + i * s.stride);
}

void swapSlots(const ParamLayout& layout, double* flat, int a, int b) {
    if (a == b) return;
    auto sa = layout.slotSpans(a), sb = layout.slotSpans(b);
    for (std::size_t n = 0; n < sa.size(); ++n)
        for (std::size_t i = 0; i < sa[n].count; ++i)
            std::swap_ranges(flat + sa[n].offset + i * sa[n].stride,
                             flat + sa[n].offset + i * sa[n].stride + sa[n].run, flat + sb[n].offset + i * sb[n].stride);
}

}  // namespace agl
