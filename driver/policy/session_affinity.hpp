#pragma once
// Sticky routing by a session key (ClickHouse Cloud's replica-aware routing, reference §8):
// requests carrying the same RoutingInfo::session_key go to the same node while the
// membership (alive, enabled nodes of the local DC) is unchanged. Three schemes:
// ring hash with virtual nodes, Maglev, and consistent hashing with bounded loads (loads =
// in-flight counts from the provider). Requests without a key are spread by random
// rotation. Fallback: the other members in ring order from the key (ring hash, bounded
// loads) or by rendezvous score (Maglev), then enabled-but-down local nodes.
// Structures are rebuilt when the membership changes (not per request).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/policy/consistent_hash.hpp"
#include "driver/policy/in_flight.hpp"
#include "driver/policy/load_balancing.hpp"
#include "sim/core/rng.hpp"

namespace routelab::driver {

enum class AffinityScheme : std::uint8_t { ring_hash, maglev, bounded_load };

struct SessionAffinityConfig {
    AffinityScheme scheme = AffinityScheme::ring_hash;
    std::string local_dc;                                          // empty = all nodes
    std::size_t virtual_nodes = HashRing::default_points_per_member;  // ring hash / bounded load
    std::uint64_t maglev_table_size = MaglevTable::default_table_size;  // prime
    double balance_factor = 1.25;                                  // bounded load c = 1 + eps
};

class SessionAffinity final : public LoadBalancingPolicy {
public:
    // `in_flight` is needed by bounded_load only (without it every load counts as 0).
    SessionAffinity(SessionAffinityConfig config, sim::RngStream rng, InFlightProvider in_flight = {});
    std::optional<Target> pick(const RoutingInfo& routing, const ClusterState& cluster) override;
    void fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) override;
    std::string_view name() const override;

    // The member key of a node: its host id, or its address when the host id is unknown.
    static std::string member_key(const NodeInfo& node);

private:
    void refresh(const ClusterState& cluster);
    bool member(const NodeInfo& node) const {
        return node.up && node.enabled && (config_.local_dc.empty() || node.datacenter == config_.local_dc);
    }
    std::optional<std::size_t> lookup(std::uint64_t hash);

    SessionAffinityConfig config_;
    sim::RngStream rng_;
    InFlightProvider in_flight_;
    std::vector<NodeIndex> members_;
    std::vector<std::string> keys_;
    std::vector<net::Endpoint> addresses_;
    std::unique_ptr<HashRing> ring_;
    std::unique_ptr<MaglevTable> maglev_;
    std::vector<std::uint64_t> loads_;
};

}  // namespace routelab::driver
