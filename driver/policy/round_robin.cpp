#include "driver/policy/round_robin.hpp"

namespace routelab::driver {

std::optional<Target> RoundRobinPolicy::pick(const RoutingInfo&, const ClusterState& cluster) {
    const std::size_t n = cluster.nodes.size();
    if (n == 0) return std::nullopt;
    const std::size_t start = next_++ % n;
    for (std::size_t i = 0; i < n; ++i) {
        const NodeInfo& node = cluster.nodes[(start + i) % n];
        if (node.up && node.enabled) return Target{node.index, std::nullopt};
    }
    for (std::size_t i = 0; i < n; ++i) {
        const NodeInfo& node = cluster.nodes[(start + i) % n];
        if (node.enabled) return Target{node.index, std::nullopt};
    }
    return std::nullopt;
}

void RoundRobinPolicy::fallback(const RoutingInfo&, const ClusterState& cluster, Plan& out) {
    // Continues from the plan's first target (the pick), whatever other requests picked
    // since: the plan is a function of its own pick, so concurrent requests (and the
    // speculative executions sharing a plan) never see a node twice.
    const std::size_t n = cluster.nodes.size();
    if (n == 0) return;
    std::size_t start = out.empty() ? next_++ % n : out.front().node;
    if (start >= n) start = 0;
    const std::size_t already = out.size();
    auto listed = [&](NodeIndex node) {
        for (std::size_t i = 0; i < already; ++i)
            if (out[i].node == node) return true;
        return false;
    };
    for (int pass = 0; pass < 2; ++pass) {
        const bool want_up = pass == 0;
        for (std::size_t i = 0; i < n; ++i) {
            const NodeInfo& node = cluster.nodes[(start + i) % n];
            if (!node.enabled || node.up != want_up || listed(node.index)) continue;
            out.push_back(Target{node.index, std::nullopt});
        }
    }
}

}  // namespace routelab::driver
