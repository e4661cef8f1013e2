#pragma once
// Broken invariants (caller bugs, e.g. a 70000-byte [string]) stop the process loudly in
// every build type — unlike assert(), which release builds compile out. Malformed input
// never reaches this: decoders return DecodeError instead.
#include <cstdio>
#include <cstdlib>
#include <source_location>

namespace routelab::cql {

inline void invariant(bool ok, const char* what, std::source_location where = std::source_location::current()) {
    if (ok) [[likely]]
        return;
    std::fprintf(stderr, "%s:%u: protocol invariant broken: %s\n", where.file_name(), static_cast<unsigned>(where.line()), what);
    std::abort();
}

}  // namespace routelab::cql
