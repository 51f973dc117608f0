// Energies and forces of a structure from an HDNNP (hdnnp.hpp).
#include "agl/hdnnp/hdnnp.hpp"

#include <omp.h>

#include <algorithm>

#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/gpu_hdnnp.hpp"
#include "agl/hdnnp/force_terms.hpp"
#include "agl/timings.hpp"

namespace agl {

Hdnnp::Hdnnp(NnSettings settings, Potential potential, Device device)
    : settings_(std::move(settings)), potential_(std::move(potential)), engine_(settings_), device_(device) {
    slotOfElement_.assign(kMaxAtomicNumber + 1, -1);
    for (const ElementPotential& e : potential_.elements) {
        AGL_CHECK(int(settings_.functionsOf(e.arch.element).size()) == e.arch.numInputs(),
                  "network inputs of element " + elementSymbol(e.arch.element) + " do not match input.nn");
        slotOfElement_[e.arch.element] = int(networks_.size());
        networks_.emplace_back(e);
        const auto it = settings_.atomEnergy.find(e.arch.element);
        offsetOfSlot_.push_back(it == settings_.atomEnergy.end() ? 0.0 : it->second);
    }
    atomsOfSlot_.resize(networks_.size());
    if (device_ != Device::Gpu) return;
    std::vector<gpu::GpuElementModel> models;
    for (std::size_t slot = 0; slot < networks_.size(); ++slot) {
        const ElementNetwork& net = networks_[slot];
        models.push_back({net.arch().element, net.arch().layers, net.weights(), net.mean(), net.inverseSigma(),
                          net.low(), net.high(), offsetOfSlot_[slot]});
    }
    gpu_ = std::make_unique<gpu::GpuHdnnp>(engine_.groups(), models);
}

Hdnnp::~Hdnnp() = default;
Hdnnp::Hdnnp(Hdnnp&&) noexcept = default;
Hdnnp& Hdnnp::operator=(Hdnnp&&) noexcept = default;

void Hdnnp::sortAtomsByElement(const Structure& s) {
    for (auto& atoms : atomsOfSlot_) atoms.clear();
    for (std::size_t i = 0; i < s.numAtoms(); ++i) {
        const int z = s.elements[i];
        const int slot = z >= 0 && z <= kMaxAtomicNumber ? slotOfElement_[z] : -1;
        if (slot < 0) throw Error("the structure contains " + elementSymbol(z) + ", which the potential does not know");
        atomsOfSlot_[slot].push_back(i);
    }
}

double Hdnnp::evaluateOnGpu(const Structure& s, std::vector<Vec3d>* forces) {
    ScopedPhase phase("gpu potential");
    sortAtomsByElement(s);  // the same error as the CPU for an unknown element
    extrapolatingAtoms_ = gpu_->evaluate(s, atomEnergy_, forces);
    double total = 0.0;
    for (double e : atomEnergy_) total += e;  // atom order, as on the CPU
    return total;
}

// Groups the atoms by element, runs each element's network on its rows, scatters energies (and ∂E/∂G).
double Hdnnp::evaluateNetworks(const Structure& s, bool gradients) {
    ScopedPhase phase("networks");
    const std::size_t n = s.numAtoms();
    sortAtomsByElement(s);
    atomEnergy_.resize(n);
    if (gradients) dEdG_.resize(features_.values.size());
    extrapolatingAtoms_ = 0;
    for (std::size_t slot = 0; slot < networks_.size(); ++slot) {
        const auto& atoms = atomsOfSlot_[slot];
        ElementNetwork& net = networks_[slot];
        const std::size_t rows = atoms.size(), nf = std::size_t(net.numInputs());
        G_.resize(rows * nf);
        for (std::size_t r = 0; r < rows; ++r) std::copy_n(features_.g(atoms[r]), nf, G_.data() + r * nf);
        extrapolatingAtoms_ += net.countExtrapolating(rows, G_.data());
        x_.resize(rows * nf);
        net.scaleInputs(rows, G_.data(), x_.data());
        rowEnergy_.resize(rows);
        if (gradients) {
            rowGradient_.resize(rows * nf);
            net.evaluate(rows, x_.data(), rowEnergy_.data(), rowGradient_.data());
            for (std::size_t r = 0; r < rows; ++r)
                std::copy_n(rowGradient_.data() + r * nf, nf, dEdG_.data() + features_.valueOffsets[atoms[r]]);
        } else {
            net.energies(rows, x_.data(), rowEnergy_.data());
        }
        for (std::size_t r = 0; r < rows; ++r) atomEnergy_[atoms[r]] = rowEnergy_[r] + offsetOfSlot_[slot];
    }
    double total = 0.0;
    for (double e : atomEnergy_) total += e;  // atom order: the same sum for any thread count
    return total;
}

// entryForce[e] = −Σ_f ∂E_i/∂G_if · ∂G_if/∂r_k for every derivative entry e = (i, k), in parallel over i
// (sequential reads of the derivative blocks); then F_k = Σ_e entryForce[e] in entry order (serial: cheap,
// and independent of the thread count). The GPU gathers the same terms per target atom instead
// (derivative_entries.hpp), which a GPU thread per atom needs and a CPU core does not.
void Hdnnp::applyChainRule(std::size_t numAtoms, std::vector<Vec3d>& forces, int threads) {
    ScopedPhase phase("chain rule");
    const StructureFeatures& f = features_;
    entryForce_.resize(f.derivativeAtom.size());
    const int nThreads = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for num_threads(nThreads) schedule(dynamic, 32) if (numAtoms > 1)
    for (std::size_t i = 0; i < numAtoms; ++i) {
        const std::size_t nf = std::size_t(f.numFunctions[i]);
        const double* dE = dEdG_.data() + f.valueOffsets[i];
        for (std::size_t e = f.derivativeOffsets[i]; e < f.derivativeOffsets[i + 1]; ++e)
            entryForce_[e] = entryForce(dE, f.dGdr(i, e), nf);
    }
    forces.assign(numAtoms, Vec3d{0.0, 0.0, 0.0});
    for (std::size_t e = 0; e < entryForce_.size(); ++e) {
        Vec3d& F = forces[f.derivativeAtom[e]];
        F = F + entryForce_[e];
    }
}

void Hdnnp::useNeighborSkin(double skin) {
    AGL_CHECK(skin >= 0.0, "neighbour skin must not be negative");
    skinList_ = skin > 0.0 ? std::make_unique<SkinNeighborList>(engine_.maxCutoff(), skin) : nullptr;
}

void Hdnnp::computeFeatures(const Structure& s, bool derivatives, int threads) {
    ScopedPhase phase("features");
    if (skinList_)
        engine_.compute(s, skinList_->update(s), derivatives, threads, features_);
    else
        engine_.compute(s, derivatives, threads, features_);
}

double Hdnnp::energyAndForces(const Structure& s, std::vector<Vec3d>& forces, int threads) {
    if (gpu_) return evaluateOnGpu(s, &forces);
    computeFeatures(s, true, threads);
    const double energy = evaluateNetworks(s, true);
    applyChainRule(s.numAtoms(), forces, threads);
    return energy;
}

double Hdnnp::energy(const Structure& s, int threads) {
    if (gpu_) return evaluateOnGpu(s, nullptr);
    computeFeatures(s, false, threads);
    return evaluateNetworks(s, false);
}

}  // namespace agl
