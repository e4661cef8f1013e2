#include "sim/core/trace.hpp"

#include <cstdio>

namespace routelab::sim {

std::string format_hash(std::uint64_t hash) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

}  // namespace routelab::sim
