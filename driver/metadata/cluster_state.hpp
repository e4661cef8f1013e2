#pragma once
// The driver's immutable picture of the cluster at one moment. Policies read it and
// never mutate it; the session publishes a new snapshot when metadata changes, so a
// plan being built never sees a half-updated topology.
//
// A snapshot made by `build_cluster_state` (cluster_builder.hpp) also carries the token
// ring and, for every distinct replication strategy of its keyspaces, the replica set of
// every ring position, precomputed: `replicas(keyspace, token)` is one binary search and
// allocates nothing. A snapshot made by hand (nodes only, as the session does before it
// reads system tables) has no ring: every replica lookup is empty, so token-aware
// policies degrade to node order.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/net/endpoint.hpp"

namespace routelab::driver {

using NodeIndex = std::uint16_t;

struct NodeInfo {
    NodeIndex index = 0;              // position in ClusterState::nodes
    net::Endpoint address;            // where the driver connects
    std::string name;                 // a label for reports (host id or address)
    std::string datacenter;           // empty while unknown
    std::string rack;
    bool up = true;                   // the driver's belief (events, connection state)
    bool enabled = true;              // not excluded by the host filter (allow list)
    std::string host_id;              // system.local/peers host_id (UUID text); may be empty
    std::vector<std::int64_t> tokens;  // owned ring tokens
    std::uint16_t shard_count = 0;    // ScyllaDB shards; 0 = no sharding info (Cassandra)
    std::uint8_t sharding_ignore_msb = 0;
};

// A keyspace's replication, as system_schema.keyspaces describes it.
struct ReplicationStrategy {
    enum class Kind : std::uint8_t {
        simple,            // replication_factor over the global ring
        network_topology,  // a factor per DC, with the rack rule
        local,             // LocalStrategy: data is node-local; no replica is better than another
        everywhere,        // ScyllaDB EverywhereStrategy: every node is a replica
        other,             // an unknown class: treated as SimpleStrategy with rf 1 (as the Rust driver)
    };
    Kind kind = Kind::simple;
    int replication_factor = 1;                              // simple
    std::map<std::string, int, std::less<>> factor_per_dc;   // network_topology

    static ReplicationStrategy simple(int rf) { return {Kind::simple, rf, {}}; }
    static ReplicationStrategy network_topology(std::map<std::string, int, std::less<>> per_dc) {
        return {Kind::network_topology, 0, std::move(per_dc)};
    }
    static ReplicationStrategy local() { return {Kind::local, 0, {}}; }
    static ReplicationStrategy everywhere() { return {Kind::everywhere, 0, {}}; }

    bool operator==(const ReplicationStrategy&) const = default;
    auto operator<=>(const ReplicationStrategy& other) const {
        if (auto c = kind <=> other.kind; c != 0) return c;
        if (auto c = replication_factor <=> other.replication_factor; c != 0) return c;
        return factor_per_dc <=> other.factor_per_dc;
    }
};

// Token ownership: the sorted tokens of all nodes. A token t belongs to the first ring
// token >= t, wrapping to the smallest (the owner of T covers (previous token, T]).
class TokenRing {
public:
    TokenRing() = default;
    explicit TokenRing(const std::vector<NodeInfo>& nodes);

    std::size_t size() const { return tokens_.size(); }
    bool empty() const { return tokens_.empty(); }
    // Contract: !empty().
    std::size_t position_of(std::int64_t token) const;
    std::int64_t token_at(std::size_t position) const { return tokens_[position]; }
    NodeIndex owner_at(std::size_t position) const { return owners_[position]; }

private:
    std::vector<std::int64_t> tokens_;
    std::vector<NodeIndex> owners_;
};

// The replicas of one ring position. All spans point into the snapshot.
struct ReplicaSet {
    // DC by DC (datacenters in ClusterState::datacenters order), ring order within each DC.
    // This is the Rust driver's "replica set without DC filter".
    std::span<const NodeIndex> grouped;
    // Every replica in global ring-walk order from the token (the LWT order): the primary
    // replica first.
    std::span<const NodeIndex> ring_order;
    // Offsets into `grouped` per DC: DC d's replicas are grouped[dc_offsets[d], dc_offsets[d+1]).
    std::span<const std::uint32_t> dc_offsets;

    bool empty() const { return grouped.empty(); }
    // Replicas in DC number `dc` (an index into ClusterState::datacenters), ring order.
    std::span<const NodeIndex> in_datacenter(std::size_t dc) const {
        if (dc + 1 >= dc_offsets.size()) return {};
        return grouped.subspan(dc_offsets[dc], dc_offsets[dc + 1] - dc_offsets[dc]);
    }
};

// Replica sets of one strategy for every ring position, flattened.
class ReplicaTable {
public:
    ReplicaTable(const TokenRing& ring, const std::vector<NodeInfo>& nodes, const std::vector<std::string>& datacenters,
                 const ReplicationStrategy& strategy);
    ReplicaSet at(std::size_t position) const;

private:
    std::size_t dc_count_ = 0;
    std::vector<NodeIndex> grouped_;
    std::vector<NodeIndex> ring_order_;
    std::vector<std::uint32_t> offsets_;     // per position: start in grouped_/ring_order_ (size positions+1)
    std::vector<std::uint32_t> dc_offsets_;  // per position: dc_count_+1 offsets relative to the position start
};

struct KeyspaceInfo {
    std::string name;
    ReplicationStrategy strategy;
    std::shared_ptr<const ReplicaTable> replicas;  // null when the snapshot has no ring
};

struct ClusterState {
    std::vector<NodeInfo> nodes;
    // Sorted distinct DC names of `nodes` (filled by the builder; empty for hand-made snapshots).
    std::vector<std::string> datacenters;
    std::map<std::string, KeyspaceInfo, std::less<>> keyspaces;
    std::shared_ptr<const TokenRing> ring;

    const KeyspaceInfo* keyspace(std::string_view name) const {
        auto it = keyspaces.find(name);
        return it == keyspaces.end() ? nullptr : &it->second;
    }
    // Index of `dc` in `datacenters`, or datacenters.size() when unknown.
    std::size_t datacenter_index(std::string_view dc) const;
    // The replicas of `token` in `keyspace`; empty when the keyspace has no table or the ring is empty.
    // Allocation-free.
    ReplicaSet replicas(const KeyspaceInfo& keyspace, std::int64_t token) const;
    // The shard of `node` owning `token` (ScyllaDB's biased-token-round-robin); 0 for nodes
    // without sharding info.
    std::uint16_t shard_of(NodeIndex node, std::int64_t token) const;
};

using ClusterStatePtr = std::shared_ptr<const ClusterState>;

}  // namespace routelab::driver
