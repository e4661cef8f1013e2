#pragma once
// ScyllaDB's shard-per-core routing: which shard owns a token, and which shard a
// connection to the shard-aware port lands on (client source port % shard count).
#include <cstdint>
#include <optional>

namespace routelab::cql {

// biased-token-round-robin: bias the token to unsigned (token + 2^63), drop the
// `ignore_msb` high bits, and scale into [0, nr_shards) with a 128-bit multiply.
// nr_shards must be > 0 and ignore_msb < 64.
unsigned shard_of(std::int64_t token, unsigned nr_shards, unsigned ignore_msb);

// The shard a connection arriving at the shard-aware port is bound to.
unsigned shard_of_source_port(std::uint16_t source_port, unsigned nr_shards);

// The first source port at or after `first_candidate` (wrapping within [low, high]) that
// lands on `shard`, as drivers pick one in the ephemeral range; nullopt if none exists.
std::optional<std::uint16_t> source_port_for_shard(unsigned shard, unsigned nr_shards, std::uint16_t first_candidate,
                                                   std::uint16_t low = 49152, std::uint16_t high = 65535);

// Every port in [low, high] that lands on `shard`: lowest + k * nr_shards for k < count
// (count 0 when the range holds none), so a caller can draw the k-th at random.
struct ShardPorts {
    std::uint16_t lowest = 0;
    std::uint32_t count = 0;
    bool operator==(const ShardPorts&) const = default;
};
ShardPorts source_ports_for_shard(unsigned shard, unsigned nr_shards, std::uint16_t low = 49152, std::uint16_t high = 65535);

}  // namespace routelab::cql
