#include "driver/protocol/sharding.hpp"

#include "driver/protocol/invariant.hpp"

namespace routelab::cql {

unsigned shard_of(std::int64_t token, unsigned nr_shards, unsigned ignore_msb) {
    invariant(nr_shards > 0 && ignore_msb < 64, "shard_of: nr_shards > 0 and ignore_msb < 64");
    std::uint64_t biased = static_cast<std::uint64_t>(token) + (std::uint64_t{1} << 63);
    biased <<= ignore_msb;
    // The high 64 bits of the 96-bit product biased * nr_shards, in two 64-bit halves
    // (standard C++ has no 128-bit integer); neither sum below can overflow.
    const std::uint64_t high = (biased >> 32) * nr_shards;
    const std::uint64_t low = (biased & 0xFFFFFFFFu) * nr_shards;
    return static_cast<unsigned>((high + (low >> 32)) >> 32);
}

unsigned shard_of_source_port(std::uint16_t source_port, unsigned nr_shards) {
    invariant(nr_shards > 0, "shard_of_source_port: nr_shards > 0");
    return source_port % nr_shards;
}

std::optional<std::uint16_t> source_port_for_shard(unsigned shard, unsigned nr_shards, std::uint16_t first_candidate,
                                                   std::uint16_t low, std::uint16_t high) {
    invariant(nr_shards > 0 && shard < nr_shards && low <= high, "source_port_for_shard: shard < nr_shards, low <= high");
    const std::uint32_t span = std::uint32_t{high} - low + 1;
    std::uint32_t start = first_candidate < low || first_candidate > high ? low : first_candidate;
    // At most nr_shards steps reach a port with the right residue, if the range has one.
    for (std::uint32_t step = 0; step < span && step <= nr_shards; ++step) {
        const std::uint32_t port = low + (start - low + step) % span;
        if (port % nr_shards == shard) return static_cast<std::uint16_t>(port);
    }
    return std::nullopt;
}

ShardPorts source_ports_for_shard(unsigned shard, unsigned nr_shards, std::uint16_t low, std::uint16_t high) {
    invariant(nr_shards > 0 && shard < nr_shards && low <= high, "source_ports_for_shard: shard < nr_shards, low <= high");
    const std::uint32_t offset = (nr_shards - low % nr_shards + shard) % nr_shards;
    const std::uint32_t lowest = std::uint32_t{low} + offset;
    if (lowest > high) return {};
    return ShardPorts{static_cast<std::uint16_t>(lowest), (high - lowest) / nr_shards + 1};
}

}  // namespace routelab::cql
