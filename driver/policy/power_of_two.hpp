#pragma once
// Power of two choices on in-flight requests (ScyllaDB Java driver "RandomTwoChoice", PR
// #198; reference §10 row 20): draw two distinct candidates at random and send to the one
// with fewer requests in flight. Candidates are the alive replicas in the local DC when the
// token and keyspace are known (with their shard, so counts are per shard), else the alive
// local nodes. The rest of the plan: remaining candidates by in-flight count (ties in
// random order), then other alive local nodes the same way, then remote alive nodes if
// failover is permitted, then enabled-but-down nodes.
#include <string>

#include "driver/policy/in_flight.hpp"
#include "driver/policy/load_balancing.hpp"
#include "sim/core/rng.hpp"

namespace routelab::driver {

struct PowerOfTwoChoicesConfig {
    std::string local_dc;           // empty = every node is local
    bool token_aware = true;
    bool permit_dc_failover = false;
};

class PowerOfTwoChoices final : public LoadBalancingPolicy {
public:
    // Contract: in_flight is callable.
    PowerOfTwoChoices(PowerOfTwoChoicesConfig config, sim::RngStream rng, InFlightProvider in_flight);
    std::optional<Target> pick(const RoutingInfo& routing, const ClusterState& cluster) override;
    void fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) override;
    std::string_view name() const override { return "power_of_two_choices"; }

private:
    void candidates(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) const;
    void append_sorted(Plan& items, std::size_t from, Plan& out);
    bool local(const NodeInfo& node) const { return config_.local_dc.empty() || node.datacenter == config_.local_dc; }
    bool failover() const { return !config_.local_dc.empty() && config_.permit_dc_failover; }

    PowerOfTwoChoicesConfig config_;
    sim::RngStream rng_;
    InFlightProvider in_flight_;
    Plan scratch_;
};

}  // namespace routelab::driver
