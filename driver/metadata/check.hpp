#pragma once
// Broken invariants in metadata and policies (caller bugs, not bad input) stop the process
// loudly in every build type — unlike assert(), which release builds compile out. Bad
// input never reaches this: builders and option parsers return an InputError instead.
#include <cstdio>
#include <cstdlib>
#include <source_location>

namespace routelab::driver {

inline void check(bool ok, const char* what, std::source_location where = std::source_location::current()) {
    if (ok) [[likely]]
        return;
    std::fprintf(stderr, "%s:%u: driver invariant broken: %s\n", where.file_name(), static_cast<unsigned>(where.line()), what);
    std::abort();
}

}  // namespace routelab::driver
