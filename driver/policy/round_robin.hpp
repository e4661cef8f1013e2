#pragma once
// Plain round robin over the nodes believed up: each call starts one node further on;
// nodes believed down come last. Ignores tokens, DCs and racks.
#include "driver/policy/load_balancing.hpp"

namespace routelab::driver {

class RoundRobinPolicy final : public LoadBalancingPolicy {
public:
    std::optional<Target> pick(const RoutingInfo& routing, const ClusterState& cluster) override;
    void fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) override;
    std::string_view name() const override { return "round_robin"; }

private:
    std::size_t next_ = 0;
};

}  // namespace routelab::driver
