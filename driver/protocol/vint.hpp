#pragma once
// Cassandra's variable-length integers (used by duration and by vectors of variable-size
// elements): the count of leading 1 bits in the first byte is the number of extra bytes,
// the value is big-endian in the remaining bits (9 bytes at most). Signed values are
// zigzag-encoded first.
#include <cstdint>
#include <span>
#include <vector>

#include "driver/protocol/byte_reader.hpp"

namespace routelab::cql {

void write_unsigned_vint(std::vector<std::uint8_t>& out, std::uint64_t v);
void write_signed_vint(std::vector<std::uint8_t>& out, std::int64_t v);
std::uint64_t read_unsigned_vint(ByteReader& r);
std::int64_t read_signed_vint(ByteReader& r);

}  // namespace routelab::cql
