// Hdnnp: a trained high-dimensional neural network potential (n2p2 files) evaluated on structures —
// total energy and the forces on every atom:
//
//   E = Σ_i [ E_{Z_i}(x_i) + atom_energy(Z_i) ],   x_i = (G_i − mean)/σ
//   F_k = −∂E/∂r_k = −Σ_i Σ_f (∂E_i/∂G_i,f) · ∂G_i,f/∂r_k
//
// The features are those of the potential's own input.nn, so a selected potential computes only the
// functions it uses. Per step: features with sparse derivatives (FeatureEngine, OpenMP over atoms), one
// batched network pass per element (ElementNetwork: energies and ∂E/∂G), then the chain rule over the
// derivative entries (OpenMP over centre atoms; the per-entry terms are summed into F in one fixed serial
// order, so forces do not depend on the thread count).
//
// Device::Gpu runs the whole evaluation on the device (gpu_hdnnp.hpp): features and derivative blocks stay
// there, the networks run one thread per atom (atom_network.hpp) and the chain rule is gathered per atom
// through its neighbour list (derivative_entries.hpp, the CPU's per-entry terms); energies, forces and
// extrapolation flags come back. fp64 throughout.
//
// Units are those of the data the potential was trained on (energy; energy/length).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "agl/features.hpp"
#include "agl/hdnnp/element_network.hpp"
#include "agl/nn_settings.hpp"
#include "agl/skin_neighbor_list.hpp"
#include "agl/structure.hpp"
#include "agl/train/potential.hpp"

namespace agl {

namespace gpu {
class GpuHdnnp;
}

// input.nn + scaling.data + weights.NNN.data of a potential folder. n2p2's input scalings are folded into
// the first layer and its unit normalisation (mean_energy, conv_energy, conv_length) into the output layer,
// so the networks read (G − mean)/σ and give energies in the data's units. Throws InputError naming the file
// when the potential cannot be evaluated exactly: normalize_nodes, an nnp_type other than 2G, normalisation
// given partially, center_symmetry_functions with the sigma scaling. With a normalisation, atom_energy stays in
// physical units (n2p2 adds it after converting back).
struct PotentialFiles {
    NnSettings settings;
    Potential potential;
};
PotentialFiles readPotentialFiles(const std::string& dir);

class Hdnnp {
public:
    // Device::Gpu throws agl::Error when no GPU is usable.
    Hdnnp(NnSettings settings, Potential potential, Device device = Device::Cpu);
    ~Hdnnp();
    Hdnnp(Hdnnp&&) noexcept;
    Hdnnp& operator=(Hdnnp&&) noexcept;

    // MD: keep the neighbour list from call to call with this skin (length; SkinNeighborList), on the CPU.
    // 0 (the default) builds a fresh list for every structure. The forces are the same either way, to
    // rounding; with a skin they do not depend on when the list was last built.
    void useNeighborSkin(double skin);

    // Total energy (with atom_energy offsets) of `s`; forces (resized to numAtoms) = −∂E/∂r.
    // threads: OpenMP threads for features and chain rule (0 = OpenMP's default).
    double energyAndForces(const Structure& s, std::vector<Vec3d>& forces, int threads = 0);
    // Total energy only (no derivatives: cheaper).
    double energy(const Structure& s, int threads = 0);
    // Atoms of the last evaluation with at least one symmetry function outside the [min, max] range of the
    // training data (scaling.data): the network extrapolates there, as n2p2 warns ("extrapolation warnings").
    std::size_t extrapolatingAtoms() const { return extrapolatingAtoms_; }
    // Atomic energies of the last evaluation (network output + offset), (numAtoms).
    const std::vector<double>& atomicEnergies() const { return atomEnergy_; }

    const NnSettings& settings() const { return settings_; }
    const Potential& potential() const { return potential_; }
    double cutoff() const { return engine_.maxCutoff(); }
    // Symmetry functions of all elements together (the size of the feature set).
    int numFunctions() const { return int(settings_.functions.size()); }
    Device device() const { return device_; }

private:
    // The network slot of every atom of s; throws naming an element the potential does not know.
    void sortAtomsByElement(const Structure& s);
    // Device::Gpu: the whole evaluation on the device (forces when given).
    double evaluateOnGpu(const Structure& s, std::vector<Vec3d>* forces);
    void computeFeatures(const Structure& s, bool derivatives, int threads);
    double evaluateNetworks(const Structure& s, bool gradients);
    void applyChainRule(std::size_t numAtoms, std::vector<Vec3d>& forces, int threads);

    NnSettings settings_;
    Potential potential_;
    FeatureEngine engine_;
    Device device_;
    std::vector<ElementNetwork> networks_;   // one per potential element (ascending Z)
    std::vector<int> slotOfElement_;         // (119) index into networks_, −1 when absent
    std::vector<double> offsetOfSlot_;       // atom_energy of each network's element
    // Reused buffers of one evaluation.
    StructureFeatures features_;
    std::vector<std::vector<std::size_t>> atomsOfSlot_;  // atoms of each element, ascending
    std::vector<double> G_, x_, rowEnergy_, rowGradient_;
    std::vector<double> atomEnergy_;         // (numAtoms)
    std::vector<double> dEdG_;               // per atom, at features_.valueOffsets[i]
    std::vector<Vec3d> entryForce_;          // (numEntries) −Σ_f ∂E_i/∂G_if · ∂G_if/∂r_k of entry (i, k)
    std::size_t extrapolatingAtoms_ = 0;
    std::unique_ptr<gpu::GpuHdnnp> gpu_;     // Device::Gpu only
    std::unique_ptr<SkinNeighborList> skinList_;  // useNeighborSkin > 0 only
};

}  // namespace agl
