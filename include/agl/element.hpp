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

}  // namespace agl
