#pragma once
// Broken invariants (caller bugs, e.g. a 70000-byte [string]) stop the process loudly in
// every build type — unlike assert(), which release builds compile out. Malformed input
// never reaches this: decoders return DecodeError instead.
#include <cstdio>
#include <cstdlib>

namespace routelab::cql {

// __builtin_FILE/LINE rather than std::source_location: clang 14 with libstdc++ 12 lacks
// the builtin std::source_location needs, and the fuzz targets build with clang 14.
inline void invariant(bool ok, const char* what, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    if (ok) [[likely]]
        return;
    std::fprintf(stderr, "%s:%d: protocol invariant broken: %s\n", file, line, what);
    std::abort();
}

}  // namespace routelab::cql
