#include "driver/policy/round_robin.hpp"

namespace routelab::driver {

std::optional<Target> RoundRobinPolicy::pick(const RoutingInfo&, const ClusterState& cluster) {
    const std::size_t n = cluster.nodes.size();
    if (n == 0) return std::nullopt;
    last_start_ = next_++ % n;
    for (std::size_t i = 0; i < n; ++i) {
        const NodeInfo& node = cluster.nodes[(last_start_ + i) % n];
        if (node.up && node.enabled) return Target{node.index, std::nullopt};
    }
    for (std::size_t i = 0; i < n; ++i) {
        const NodeInfo& node = cluster.nodes[(last_start_ + i) % n];
        if (node.enabled) return Target{node.index, std::nullopt};
    }
    return std::nullopt;
}

void RoundRobinPolicy::fallback(const RoutingInfo&, const ClusterState& cluster, Plan& out) {
    // Continues from where the last pick started; the first target is the pick's.
    const std::size_t n = cluster.nodes.size();
    bool first_skipped = false;
    for (int pass = 0; pass < 2; ++pass) {
        const bool want_up = pass == 0;
        for (std::size_t i = 0; i < n; ++i) {
            const NodeInfo& node = cluster.nodes[(last_start_ + i) % n];
            if (!node.enabled || node.up != want_up) continue;
            if (!first_skipped) {
                first_skipped = true;  // that one was returned by pick()
                continue;
            }
            out.push_back(Target{node.index, std::nullopt});
        }
    }
}

}  // namespace routelab::driver
