#pragma once
// The server's view of token ownership and replica placement (SimpleStrategy and
// NetworkTopologyStrategy with Cassandra's rack rule). Replica sets are precomputed per
// ring position, so a lookup is one binary search and no allocation.
//
// Only the ring's members own tokens: a node outside the ring (not joined yet, or
// decommissioned) has its tokens off the ring and is never placed as a replica, and the
// rack rule and the replica bounds count members only.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "mock_cluster/topology/topology.hpp"

namespace routelab::cluster {

struct ReplicationStrategy {
    enum class Kind { simple, network_topology } kind = Kind::simple;
    int replication_factor = 1;                       // simple
    std::map<std::string, int> factor_per_dc;         // network_topology, by DC name

    static ReplicationStrategy simple(int rf) { return {Kind::simple, rf, {}}; }
    static ReplicationStrategy network_topology(std::map<std::string, int> per_dc) {
        return {Kind::network_topology, 0, std::move(per_dc)};
    }
    // Total replicas over all DCs (bounded by the nodes available).
    int total_factor() const;
};

class TokenRing {
public:
    // Every node of the topology is a member.
    explicit TokenRing(const Topology& topology);
    // Only the nodes with members[index] set (one flag per topology node).
    TokenRing(const Topology& topology, std::vector<bool> members);

    bool member(std::size_t node) const { return node < members_.size() && members_[node]; }
    std::size_t member_count() const { return member_count_; }
    const std::vector<bool>& members() const { return members_; }
    const Topology& topology() const { return *topology_; }

    std::size_t size() const { return tokens_.size(); }
    // Index of the ring entry owning `token`: the first ring token >= token, wrapping.
    std::size_t position_of(std::int64_t token) const;
    std::int64_t token_at(std::size_t position) const { return tokens_[position]; }
    std::uint16_t owner_at(std::size_t position) const { return owners_[position]; }

    // Replica node indices for every ring position, in placement order.
    std::vector<std::vector<std::uint16_t>> place(const ReplicationStrategy& strategy) const;

private:
    const Topology* topology_;
    std::vector<bool> members_;
    std::size_t member_count_ = 0;
    std::vector<std::int64_t> tokens_;
    std::vector<std::uint16_t> owners_;
};

// Replica sets of one keyspace, precomputed for each ring position. Self-contained (it
// keeps the ring's tokens it was computed for), so it stays consistent when the ring
// changes until it is recomputed.
class ReplicaMap {
public:
    ReplicaMap() = default;
    ReplicaMap(const TokenRing& ring, const ReplicationStrategy& strategy);
    std::span<const std::uint16_t> replicas_for(std::int64_t token) const;

private:
    std::vector<std::int64_t> tokens_;    // the ring's tokens, sorted
    std::vector<std::uint16_t> flat_;
    std::vector<std::uint32_t> offsets_;  // size()+1 entries into flat_
};

}  // namespace routelab::cluster
