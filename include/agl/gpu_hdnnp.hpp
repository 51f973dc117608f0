// GPU half of agl::Hdnnp for Device::Gpu (CUDA backend, cuda/gpu_hdnnp.cu). Plain C++: no CUDA headers; in a
// build without CUDA the constructor throws agl::Error (host/core/gpu_absent.cpp).
//
// Per structure, everything between the positions and the forces stays on the device:
//   neighbour list (cell lists) → symmetry functions, derivative entries and blocks (fp64, the GPU feature
//   engine's device pass) → one thread per atom: scaling, extrapolation check, network forward and backward
//   (agl/hdnnp/atom_network.hpp) → one warp per atom: the chain rule gathered through the atom's
//   neighbour list (agl/derivative_entries.hpp), the lanes taking its pairs in turn
// Up: the structure and its cell lists (binned on the host, O(N)). Down: atomic energies, forces and the
// extrapolation flags, plus two per-atom count arrays for the prefix sums of the list and the entries.
// Device buffers are kept and grown from call to call, so an MD loop allocates only while the system grows.
#pragma once
#include <cstddef>
#include <memory>
#include <vector>

#include "agl/structure.hpp"
#include "agl/symmetry_function_groups.hpp"
#include "agl/train/param_layout.hpp"

namespace agl::gpu {

// One element's network and input scaling as the kernels read them (from agl::ElementNetwork).
struct GpuElementModel {
    int element = 0;
    std::vector<LayerShape> layers;
    std::vector<double> weights;                 // n2p2 canonical order
    std::vector<double> mean, inverseSigma;      // (numInputs) x = (G − mean)·inverseSigma
    std::vector<double> low, high;               // (numInputs) training range (with its tolerance)
    double energyOffset = 0.0;                   // atom_energy of the element
};

class GpuHdnnp {
public:
    // groups: the potential's symmetry functions per centre element; models: one per element, ascending Z.
    GpuHdnnp(const std::vector<ElementGroups>& groups, const std::vector<GpuElementModel>& models);
    ~GpuHdnnp();
    GpuHdnnp(GpuHdnnp&&) noexcept;
    GpuHdnnp& operator=(GpuHdnnp&&) noexcept;
    GpuHdnnp(const GpuHdnnp&) = delete;
    GpuHdnnp& operator=(const GpuHdnnp&) = delete;

    // Atomic energies (numAtoms, offsets included); with forces, F = −∂E/∂r (numAtoms); returns the number of
    // atoms with a feature outside the training range. Every element of s must have a model.
    std::size_t evaluate(const Structure& s, std::vector<double>& atomEnergy, std::vector<Vec3d>* forces);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace agl::gpu
