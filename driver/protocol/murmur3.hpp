#pragma once
// Cassandra's Murmur3Partitioner: the token of a partition key, and the byte layout of
// composite partition keys that is hashed.
#include <cstdint>
#include <span>
#include <vector>

namespace routelab::cql {

// MurmurHash3 x64_128 (seed 0) as Cassandra computes it — tail bytes sign-extended like
// Java bytes — keeping the first 64 bits; INT64_MIN is mapped to INT64_MAX because the
// ring reserves the minimum token.
std::int64_t murmur3_token(std::span<const std::uint8_t> key);

// The bytes hashed for a partition key of several columns: for each component, a 2-byte
// big-endian length, the value, and a 0 byte. A single-column key is hashed as-is.
void composite_partition_key(std::span<const std::span<const std::uint8_t>> components, std::vector<std::uint8_t>& out);
// Component `i` of a key composite_partition_key built (the caller knows it has more).
std::span<const std::uint8_t> composite_component(std::span<const std::uint8_t> key, std::size_t i);

}  // namespace routelab::cql
