#pragma once
// Broken invariants in metadata and policies (caller bugs, not bad input) stop the process
// loudly in every build type — unlike assert(), which release builds compile out. Bad
// input never reaches this: builders and option parsers return an InputError instead.
#include <cstdio>
#include <cstdlib>

namespace routelab::driver {

// __builtin_FILE/LINE rather than std::source_location, as in driver/protocol/invariant.hpp:
// clang 14 with libstdc++ 12 lacks it, and the scenario parser's fuzz target (clang 14)
// links the driver.
inline void check(bool ok, const char* what, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    if (ok) [[likely]]
        return;
    std::fprintf(stderr, "%s:%d: driver invariant broken: %s\n", file, line, what);
    std::abort();
}

}  // namespace routelab::driver
