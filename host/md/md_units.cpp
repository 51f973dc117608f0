#include "agl/md/md_units.hpp"

#include "agl/error.hpp"

namespace agl::md {

MdUnits mdUnits(const std::string& name) {
    if (name == "lj") return {"lj", 1.0, 1.0, "tau", "eps/kB"};
    // CODATA 2018: k_B = 8.617333262e-5 eV/K; 1 g/mol · Å²/ps² = 1.66053906660e-23 J = 1.0364269656e-4 eV.
    if (name == "metal") return {"metal", 8.617333262e-5, 1.0364269656e-4, "ps", "K"};
    throw InputError("--units", 0, "unknown unit system '" + name + "' (use lj or metal)");
}

}  // namespace agl::md
