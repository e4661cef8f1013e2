#pragma once
// Big-endian CQL encodings of the values tests bind: bigint, int, text.
#include <cstdint>
#include <string>

#include "driver/protocol/primitives.hpp"

namespace routelab::test {

inline routelab::cql::Bytes bigint(std::int64_t v) {
    routelab::cql::Bytes b(8);
    for (int i = 0; i < 8; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> (56 - 8 * i));
    return b;
}
inline routelab::cql::Bytes int32(std::int32_t v) {
    routelab::cql::Bytes b(4);
    for (int i = 0; i < 4; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> (24 - 8 * i));
    return b;
}
inline routelab::cql::Bytes text_bytes(const std::string& s) { return routelab::cql::Bytes(s.begin(), s.end()); }

}  // namespace routelab::test
