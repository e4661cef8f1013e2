#include "driver/policy/single_target.hpp"

#include "driver/metadata/cluster_builder.hpp"

namespace routelab::driver {

std::optional<Target> SingleTarget::pick(const RoutingInfo& routing, const ClusterState& cluster) {
    for (const NodeInfo& node : cluster.nodes) {
        if (!allow_list_matches(identifier_, node.address, node.host_id)) continue;
        if (!node.enabled) return std::nullopt;
        std::optional<std::uint16_t> shard;
        if (routing.token && node.shard_count > 1) shard = cluster.shard_of(node.index, *routing.token);
        return Target{node.index, shard};
    }
    return std::nullopt;
}

}  // namespace routelab::driver
