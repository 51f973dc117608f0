// Numbers in reports and messages: `digits` significant digits, printf's %g (no trailing zeros, exponent for
// very large or small values). One helper for every table, log line and error message that shows a value.
#pragma once
#include <string>

namespace agl {

std::string significant(double v, int digits = 6);

}  // namespace agl
