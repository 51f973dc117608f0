// Chemical elements by symbol and atomic number. Element order is atomic number everywhere.
#pragma once
#include <string>
#include <string_view>

namespace agl {

constexpr int kMaxAtomicNumber = 118;

// Atomic number of a symbol ("Ar" -> 18), or 0 when the symbol is not an element (case-sensitive,
// as in n2p2 and ASE).
int atomicNumber(std::string_view symbol);

// Symbol of an atomic number (18 -> "Ar"); throws agl::Error when z is outside 1..118.
std::string elementSymbol(int z);

// Standard atomic weight of element z in g/mol (IUPAC 2013 conventional values, as ASE's
// atomic_masses_iupac2016: Ar 39.948, Ta 180.94788); for elements without stable isotopes the mass number of
// the longest-lived isotope (Tc 98, Pu 244), up to Lr (103). The default masses of `agl md --units metal`.
// Throws agl::Error when z is outside 1..103.
double standardAtomicWeight(int z);

}  // namespace agl
