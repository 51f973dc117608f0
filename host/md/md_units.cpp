#include "agl/md/md_units.hpp"

#include "agl/error.hpp"

namespace agl::md {

MdUnits mdUnits(const std::string& name) {
    if (name == "lj") return {"lj", 1.0, 1.0, "tau", "eps/kB"};
    // CODATA 2018: k_B = 8.617333262e-5 eV/K; 1 g/mol · Å²/ps² = 1.66053906660e-23 J = 1.0364269656e-4 eV.
    if (name == "metal") return {"metal", 8.617333262e-5, 1.0364269656e-4, "ps", "K"};
    // CODATA 2018: k_B = 3.1668115634556e-6 Eh/K; 1 u · bohr²/fs² = 1.66053906660e-27 kg · (5.29177210903e-11 m)²
    // / (1e-15 s)² = 1.0665723058 Eh (Eh = 4.3597447222071e-18 J).
    if (name == "electron") return {"electron", 3.1668115634556e-6, 1.0665723058251366, "fs", "K"};
    throw UsageError("--units", "unknown unit system '" + name + "' (use lj, metal or electron)");
}

}  // namespace agl::md
