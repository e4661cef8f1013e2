#pragma once
// Makes an immutable ClusterState snapshot from parsed metadata: plain structs the session
// fills from system.local / system.peers (nodes) and system_schema.keyspaces (keyspaces).
// The builder validates, sorts out DCs, builds the token ring and precomputes one replica
// table per distinct replication strategy; bad rows give an InputError naming the node or
// keyspace and field.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "driver/metadata/expected.hpp"

namespace routelab::driver {

struct NodeMetadata {
    net::Endpoint address;                  // rpc_address/native port after translation
    std::string host_id;                    // UUID text
    std::string datacenter;
    std::string rack;
    std::vector<std::string> tokens;        // as system.peers.tokens: decimal int64 strings
    std::uint16_t shard_count = 0;          // SCYLLA_NR_SHARDS; 0 = unknown / Cassandra
    std::uint8_t sharding_ignore_msb = 0;   // SCYLLA_SHARDING_IGNORE_MSB
    bool up = true;                         // the driver's belief (pool has connections)
    // Listed by the latest discovery. A node that left the cluster (TOPOLOGY_CHANGE
    // REMOVED_NODE) keeps its index but is disabled and owns no tokens.
    bool member = true;
};

struct KeyspaceMetadata {
    std::string name;
    // system_schema.keyspaces.replication: {"class": "...", "replication_factor": "3"} or
    // {"class": "...NetworkTopologyStrategy", "dc1": "3", ...}.
    std::map<std::string, std::string> replication;
};

struct ClusterMetadata {
    std::vector<NodeMetadata> nodes;
    std::vector<KeyspaceMetadata> keyspaces;
    // Host filter: when set, only nodes whose "ip:port" or host id is listed are enabled
    // (Node.js `allowList`, Rust `AllowListHostFilter`). Disabled nodes never appear in plans.
    std::optional<std::vector<std::string>> allow_list;
};

// Parses a system_schema replication map into a strategy. Class names may be short or
// fully qualified; "3/1" (transient replication) counts 3.
Expected<ReplicationStrategy> parse_replication(std::string_view keyspace,
                                                const std::map<std::string, std::string>& replication);

// Parses a decimal int64 token ("-9223372036854775807").
std::optional<std::int64_t> parse_token(std::string_view text);

// Does `entry` ("ip:port", "ip" or a host id) name `node`?
bool allow_list_matches(std::string_view entry, const net::Endpoint& address, std::string_view host_id);

Expected<ClusterStatePtr> build_cluster_state(const ClusterMetadata& metadata);

// Rebuilds derived data (datacenters, ring, replica tables) for a snapshot whose nodes and
// keyspace strategies are already filled; used by the builder and by tests that write
// NodeInfo directly. Node indexes must equal positions. Tables are shared between
// keyspaces with equal strategies.
void index_cluster_state(ClusterState& state);

}  // namespace routelab::driver
