#include "agl/number_text.hpp"

#include <cstdio>

namespace agl {

std::string significant(double v, int digits) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    return buf;
}

}  // namespace agl
