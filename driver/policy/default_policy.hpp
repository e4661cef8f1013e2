#pragma once
// The ScyllaDB Rust driver's DefaultPolicy (and so the Node.js @scylladb driver's
// DefaultLoadBalancingPolicy, a config object over it), re-implemented from the reference
// driver-policies.md §1–2. Plans are the concatenation of
//   1 alive local-rack replicas   2 alive local-DC replicas   3 alive replicas of all DCs
//   4 alive local-rack nodes      5 alive local nodes         6 alive nodes anywhere
//   7 enabled-but-down local nodes                            8 enabled-but-down nodes anywhere
// (segments 1–3 need token info; 3, 6, 8 need "no DC preferred" or failover; 1, 4 need a
// rack preference), de-duplicated by (node, shard), with latency-penalised targets moved
// stably to the end. Replicas are shuffled (or, with shuffling off, permuted by one fixed
// seed per policy instance); LWTs take replicas in ring order; nodes are randomly rotated.
// Differences from the Rust driver are listed in driver/policy/README.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver/policy/latency_awareness.hpp"
#include "driver/policy/load_balancing.hpp"
#include "sim/core/rng.hpp"

namespace routelab::driver {

struct LocationPreference {
    enum class Kind : std::uint8_t {
        inherit,              // use RoutingInfo::preferred_dc/rack (the session's); Rust default
        any,                  // prefer_no_datacenter(): every node is local
        datacenter,           // prefer_datacenter(dc)
        datacenter_and_rack,  // prefer_datacenter_and_rack(dc, rack)
    };
    Kind kind = Kind::inherit;
    std::string datacenter;
    std::string rack;

    static LocationPreference inherit() { return {}; }
    static LocationPreference any() { return {Kind::any, {}, {}}; }
    static LocationPreference dc(std::string name) { return {Kind::datacenter, std::move(name), {}}; }
    static LocationPreference dc_and_rack(std::string name, std::string rack_name) {
        return {Kind::datacenter_and_rack, std::move(name), std::move(rack_name)};
    }
};

struct DefaultPolicyConfig {
    LocationPreference preference;
    bool token_aware = true;
    bool permit_dc_failover = false;
    // Rust `enable_shuffling_replicas` / Node.js `enableShufflingReplicas`. false = every
    // replica choice and shuffle uses one seed fixed when the policy is built: random but
    // stable for the policy's lifetime. Non-replica rotation stays random either way.
    bool shuffle_replicas = true;
    std::optional<LatencyAwarenessConfig> latency_awareness;
    // Node.js `allowList`: "ip:port", "ip" or host ids; empty = every node. Nodes not listed
    // are treated as disabled (never in a plan), like a host filter.
    std::vector<std::string> allow_list;
    // The Rust driver before PR #1312 (issue #1272): no DC failover when the CL is
    // LOCAL_ONE/LOCAL_QUORUM or the serial CL is LOCAL_SERIAL. Off = today's behaviour.
    bool local_consistency_blocks_failover = false;
};

class DefaultPolicy final : public LoadBalancingPolicy {
public:
    // `rng` drives every random choice; with shuffle_replicas off, the fixed replica seed is
    // its first draw.
    DefaultPolicy(DefaultPolicyConfig config, sim::RngStream rng);

    std::optional<Target> pick(const RoutingInfo& routing, const ClusterState& cluster) override;
    void fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) override;
    void on_request_success(const RoutingInfo& routing, sim::Duration latency, Target target, sim::Time now) override;
    void on_request_failure(const RoutingInfo& routing, sim::Duration latency, Target target, sim::Time now) override;
    void on_request_error(const RoutingInfo& routing, sim::Duration latency, Target target, sim::Time now,
                          const AttemptError& error) override;
    std::string_view name() const override { return "default"; }

    const DefaultPolicyConfig& config() const { return config_; }
    // Null when latency awareness is off.
    LatencyAwareness* latency_awareness() { return latency_ ? &*latency_ : nullptr; }

private:
    struct Context;
    struct AllowEntry {
        std::optional<std::uint32_t> ip;
        std::optional<std::uint16_t> port;
        std::string text;
    };

    Context resolve(const RoutingInfo& routing, const ClusterState& cluster);
    bool allowed(const NodeInfo& node) const;
    bool enabled(const NodeInfo& node) const { return node.enabled && allowed(node); }
    bool alive(const NodeInfo& node) const { return node.up && enabled(node); }
    bool fast(NodeIndex node, sim::Time now) const { return !latency_ || !latency_->penalised(node, now); }
    template <class F>
    auto with_replica_rng(F f);

    DefaultPolicyConfig config_;
    sim::RngStream rng_;
    std::uint64_t fixed_seed_ = 0;
    std::vector<AllowEntry> allow_;
    std::optional<LatencyAwareness> latency_;
    Plan scratch_;  // reused by fallback: no allocation in steady state
};

}  // namespace routelab::driver
