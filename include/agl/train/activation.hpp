// Activation functions of the atomic networks, named by n2p2's letters (global_activation_short):
//   l linear  f(z) = z
//   t tanh    f(z) = tanh z
//   s logistic f(z) = 1 / (1 + e^−z)
//   p softplus f(z) = ln(1 + e^z)
//   r ReLU    f(z) = max(0, z)
// The slope f'(z) is written in terms of the OUTPUT y = f(z), so that backward passes need only the stored
// activations (one buffer per layer, on the CPU and the GPU alike):
//   l: 1   t: 1 − y²   s: y (1 − y)   p: 1 − e^−y   r: y > 0
// Shared by the CPU loops and the CUDA kernels (AGL_HD).
#pragma once
#include <cmath>
#include <string>

#include "agl/vec3.hpp"  // AGL_HD

namespace agl {

enum class Activation : char { Linear = 'l', Tanh = 't', Logistic = 's', Softplus = 'p', Relu = 'r' };

AGL_HD double activate(Activation a, double z) {
    switch (a) {
        case Activation::Tanh: return std::tanh(z);
        case Activation::Logistic: return 1.0 / (1.0 + std::exp(-z));
        case Activation::Softplus: return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
        case Activation::Relu: return z > 0.0 ? z : 0.0;
        case Activation::Linear: default: return z;
    }
}

// f'(z) from y = f(z).
AGL_HD double activationSlope(Activation a, double y) {
    switch (a) {
        case Activation::Tanh: return 1.0 - y * y;
        case Activation::Logistic: return y * (1.0 - y);
        case Activation::Softplus: return -std::expm1(-y);
        case Activation::Relu: return y > 0.0 ? 1.0 : 0.0;
        case Activation::Linear: default: return 1.0;
    }
}

// Throws agl::Error naming the letter when it is not one of l t s p r.
Activation activationFromLetter(char letter);
// Throws agl::InputError naming `nnPath` (global_activation_short) for a letter activationFromLetter refuses.
void checkActivationLetters(const std::string& letters, const std::string& nnPath);
inline char activationLetter(Activation a) { return static_cast<char>(a); }

}  // namespace agl
