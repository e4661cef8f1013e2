#pragma once
// Rust SingleTargetLoadBalancingPolicy: every request goes to one node, named by address
// ("ip:port" or "ip") or host id; the fallback is empty. The plan is empty when the node
// is unknown or disabled.
#include <optional>
#include <string>

#include "driver/policy/load_balancing.hpp"

namespace routelab::driver {

class SingleTarget final : public LoadBalancingPolicy {
public:
    explicit SingleTarget(std::string identifier) : identifier_(std::move(identifier)) {}
    std::optional<Target> pick(const RoutingInfo& routing, const ClusterState& cluster) override;
    void fallback(const RoutingInfo&, const ClusterState&, Plan&) override {}
    std::string_view name() const override { return "single_target"; }

private:
    std::string identifier_;
};

}  // namespace routelab::driver
