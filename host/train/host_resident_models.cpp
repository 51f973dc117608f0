// The host stand-in for device-resident models (include/agl/train/resident_models.hpp).
#include <utility>

#include "agl/train/model_batch.hpp"
#include "agl/train/resident_models.hpp"

namespace agl {
namespace {

class HostResidentModels final : public ResidentModels {
public:
    HostResidentModels(const ParamLayout& layout, int chunkAtoms) : batch_(layout.archs(), layout.numSlots()) {
        if (chunkAtoms > 0) batch_.setChunkAtoms(chunkAtoms);
        grad_.assign(layout.size(), 0.0);
        m_ = v_ = grad_;
    }

    void setParams(const std::vector<double>& flat) override { batch_.params() = flat; }
    std::vector<double> params() const override { return batch_.params(); }
    void setMoments(const std::vector<double>& m, const std::vector<double>& v) override {
        m_ = m;
        v_ = v;
    }
    void moments(std::vector<double>& m, std::vector<double>& v) const override {
        m = m_;
        v = v_;
    }
    void setGroups(const GroupSettings& groups) override { batch_.groups() = groups; }
    void setData(const StandardisedData& data) override { data_ = data; }

    void predict(const std::uint32_t* structures, int count, int na, std::vector<double>& energies) override {
        gatherBatch(data_, structures, count, scratch_);
        batch_.predict(scratch_, na, energies);
    }
    void lossAndGradient(const std::uint32_t* structures, int count, int na, std::vector<double>& mse,
                         std::vector<double>* energies) override {
        gatherBatch(data_, structures, count, scratch_);
        batch_.lossAndGradient(scratch_, na, mse, grad_);
        if (energies) batch_.predict(scratch_, na, *energies);
    }
    void maskGradient(int na) override { maskFirstLayerGradient(batch_.layout(), na, batch_.groups(), grad_.data()); }
    void adamwStep(int na, long step, double lr, const AdamWSettings& settings) override {
        agl::adamwStep(batch_.layout(), na, step, lr, settings, grad_.data(), batch_.params().data(), m_.data(),
                       v_.data());
    }
    void proximalStep(int na, double lr, std::vector<double>* penalty) override {
        proximalGroupStep(batch_.layout(), na, lr, batch_.groups(), batch_.params().data());
        if (!penalty) return;
        penalty->resize(std::size_t(na));
        for (int k = 0; k < na; ++k) (*penalty)[k] = groupPenalty(batch_.layout(), k, batch_.groups(), batch_.params().data());
    }

private:
    ModelBatch batch_;
    std::vector<double> grad_, m_, v_;
    StandardisedData data_;
    MiniBatch scratch_;
};

}  // namespace

std::unique_ptr<ResidentModels> makeHostResidentModels(const ParamLayout& layout, int chunkAtoms) {
    return std::make_unique<HostResidentModels>(layout, chunkAtoms);
}

}  // namespace agl
