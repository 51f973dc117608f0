// ParamLayout: where every weight and bias of K same-shaped models (one atomic network per element each)
// lives in ONE flat buffer (tiny-cuda-nn style), so that optimiser and proximal steps are plain loops over
// the buffer (one kernel each on the GPU) and the first layer of all K models is ONE wide GEMM.
//
// Per element e (elements in ascending atomic number), layers l = 0..L−1 (layer l maps in_l → out_l):
//   layer 0 weights  W⁰   (in_0 × K·out_0) row-major: row j = feature j, columns [k·out_0, (k+1)·out_0) = model k
//                          (so X · W⁰ gives all models' first layer at once, and a group w_kj is a contiguous
//                          run of out_0 values in row j)
//   layer 0 biases   b⁰   (K·out_0)        model k at [k·out_0, (k+1)·out_0)
//   layer l ≥ 1      Wˡ   K blocks of (in_l × out_l) row-major, model k's block at k·in_l·out_l
//                    bˡ   (K·out_l)
// A "slot" is one of the K model positions. A model's parameters in CANONICAL order (per element, per layer:
// weights with the source neuron outer and the target inner, then the biases — n2p2's weights.NNN.data order)
// are gathered from / scattered to its slot through Spans.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "agl/train/activation.hpp"

namespace agl {

struct LayerShape {
    int in = 0, out = 0;
    Activation activation = Activation::Tanh;
};

// One element's atomic network: layers[0].in = number of features, layers.back().out = 1 (atomic energy).
struct ElementArch {
    int element = 0;                 // atomic number
    std::vector<LayerShape> layers;
    int numInputs() const { return layers.empty() ? 0 : layers.front().in; }
    int firstWidth() const { return layers.empty() ? 0 : layers.front().out; }
    std::size_t numParams() const;   // weights + biases of one model
};

// Builds the layers from n2p2-style settings: hidden node counts and one activation letter per hidden layer
// plus the output ("ttl"). Throws agl::Error when the letters do not match the layer count.
ElementArch makeElementArch(int element, int numInputs, const std::vector<int>& hiddenNodes,
                            const std::string& activations);

// `count` runs of `run` consecutive values, run i starting at offset + i·stride.
struct Span {
    std::size_t offset = 0, run = 0, count = 1, stride = 0;
};

class ParamLayout {
public:
    ParamLayout() = default;
    ParamLayout(std::vector<ElementArch> archs, int numSlots);

    const std::vector<ElementArch>& archs() const { return archs_; }
    int numSlots() const { return numSlots_; }
    std::size_t size() const { return size_; }                 // all slots
    std::size_t modelSize() const { return modelSize_; }       // one model (canonical vector length)

    std::size_t weightOffset(int e, int l) const { return weight_[e][l]; }
    std::size_t biasOffset(int e, int l) const { return bias_[e][l]; }
    // Offset of slot k's layer-l weight matrix and its leading dimension (row stride) in the flat buffer.
    std::size_t slotWeight(int e, int l, int k) const;
    int weightLd(int e, int l) const;
    // Offset of model k's canonical block of element e (in a canonical model vector).
    std::size_t canonicalElementOffset(int e) const { return canonical_[e]; }

    // Spans of slot k, in canonical order: gather(spans) = the model's canonical vector.
    std::vector<Span> slotSpans(int k) const;

    // Per-parameter tags for the flat loops (index = flat position).
    const std::vector<std::uint16_t>& slotOf() const { return slotOf_; }     // owning slot
    const std::vector<std::uint8_t>& decayed() const { return decayed_; }    // 1: weight of a layer ≥ 1

private:
    std::vector<ElementArch> archs_;
    int numSlots_ = 0;
    std::size_t size_ = 0, modelSize_ = 0;
    std::vector<std::vector<std::size_t>> weight_, bias_;
    std::vector<std::size_t> canonical_;
    std::vector<std::uint16_t> slotOf_;
    std::vector<std::uint8_t> decayed_;
};

// Copies between a slot of a flat buffer and a canonical model vector.
void gatherSlot(const ParamLayout& layout, const double* flat, int slot, double* canonical);
void scatterSlot(const ParamLayout& layout, const double* canonical, int slot, double* flat);
// Swaps the parameters of two slots (compaction of active models).
void swapSlots(const ParamLayout& layout, double* flat, int a, int b);

}  // namespace agl
