#pragma once
// ScyllaDB's keys in SUPPORTED (and the extensions a client echoes in STARTUP): build
// them on the server side, parse them on the client side.
#include <cstdint>
#include <optional>
#include <string>

#include "driver/protocol/messages.hpp"

namespace routelab::cql {

namespace scylla_keys {
constexpr const char* shard = "SCYLLA_SHARD";
constexpr const char* nr_shards = "SCYLLA_NR_SHARDS";
constexpr const char* partitioner = "SCYLLA_PARTITIONER";
constexpr const char* sharding_algorithm = "SCYLLA_SHARDING_ALGORITHM";
constexpr const char* sharding_ignore_msb = "SCYLLA_SHARDING_IGNORE_MSB";
constexpr const char* shard_aware_port = "SCYLLA_SHARD_AWARE_PORT";
constexpr const char* shard_aware_port_ssl = "SCYLLA_SHARD_AWARE_PORT_SSL";
constexpr const char* lwt_add_metadata_mark = "SCYLLA_LWT_ADD_METADATA_MARK";
constexpr const char* rate_limit_error = "SCYLLA_RATE_LIMIT_ERROR";
constexpr const char* tablets_routing_v1 = "TABLETS_ROUTING_V1";
}  // namespace scylla_keys

// Sharding parameters of the node the connection is on, and of this connection.
struct ScyllaSharding {
    unsigned shard = 0;                  // the shard this connection is bound to
    unsigned nr_shards = 1;
    unsigned ignore_msb = 12;
    std::string partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";
    std::string algorithm = "biased-token-round-robin";
    std::optional<std::uint16_t> shard_aware_port;       // typically 19042
    std::optional<std::uint16_t> shard_aware_port_ssl;   // typically 19142
    bool operator==(const ScyllaSharding&) const = default;
};

struct ScyllaSupported {
    std::optional<ScyllaSharding> sharding;              // all-or-nothing, as the Rust driver reads it
    std::optional<std::uint32_t> lwt_metadata_mask;      // LWT_OPTIMIZATION_META_BIT_MASK=...
    std::optional<std::int32_t> rate_limit_error_code;   // ERROR_CODE=...
    bool tablets_routing_v1 = false;
    bool operator==(const ScyllaSupported&) const = default;
};

// Everything a client learns from ScyllaDB's SUPPORTED keys (sharding, LWT mark, rate
// limit error, tablets routing), under the name the driver and mock cluster use for it.
using ScyllaShardingInfo = ScyllaSupported;

// Adds the keys for everything set in `s` to a SUPPORTED options map.
void add_scylla_options(const ScyllaSupported& s, StringMultimap& options);

// Reads the keys back. Sharding is present only if SCYLLA_SHARD, SCYLLA_NR_SHARDS and
// SCYLLA_SHARDING_IGNORE_MSB all parse, nr_shards > 0 and shard < nr_shards; malformed
// extension values are ignored (the extension is then not offered).
ScyllaSupported parse_scylla_options(const StringMultimap& options);

// The STARTUP options a client sends to turn on the extensions it wants from `offered`.
void add_scylla_startup_options(const ScyllaSupported& offered, StringMap& startup);

}  // namespace routelab::cql
