#pragma once
// Why each target of a plan is where it is: whether it is a replica of the routed token,
// and where it stands relative to the preferred datacenter and rack. Used by
// `routelab explain` and by tests that read plans.
#include <string>
#include <string_view>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "driver/policy/load_balancing.hpp"

namespace routelab::driver {

enum class PlanReason { local_rack_replica, local_replica, remote_replica, local_node, remote_node, down_node };
const char* to_string(PlanReason reason);

struct ExplainedTarget {
    Target target;
    PlanReason reason;
};

// `local_dc` empty: no preference (every node counts as local); `local_rack` empty: no
// rack preference.
std::vector<ExplainedTarget> explain_plan(const ClusterState& cluster, const RoutingInfo& routing, const Plan& plan,
                                          std::string_view local_dc, std::string_view local_rack);

// The whole plan a policy builds for one request: pick, then fallback.
Plan build_full_plan(LoadBalancingPolicy& policy, const RoutingInfo& routing, const ClusterState& cluster);

}  // namespace routelab::driver
