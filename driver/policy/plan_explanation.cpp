#include "driver/policy/plan_explanation.hpp"

#include <algorithm>

namespace routelab::driver {

const char* to_string(PlanReason reason) {
    switch (reason) {
        case PlanReason::local_rack_replica: return "local-rack replica";
        case PlanReason::local_replica: return "local replica";
        case PlanReason::remote_replica: return "remote replica";
        case PlanReason::local_node: return "local node";
        case PlanReason::remote_node: return "remote node";
        case PlanReason::down_node: return "down node";
    }
    return "unknown";
}

std::vector<ExplainedTarget> explain_plan(const ClusterState& cluster, const RoutingInfo& routing, const Plan& plan,
                                          std::string_view local_dc, std::string_view local_rack) {
    ReplicaSet replicas;
    if (routing.token)
        if (const KeyspaceInfo* ks = cluster.keyspace(routing.keyspace)) replicas = cluster.replicas(*ks, *routing.token);
    std::vector<ExplainedTarget> out;
    for (const Target& t : plan) {
        const NodeInfo& node = cluster.nodes[t.node];
        const bool replica = std::find(replicas.grouped.begin(), replicas.grouped.end(), t.node) != replicas.grouped.end();
        const bool local = local_dc.empty() || node.datacenter == local_dc;
        PlanReason reason;
        if (!node.up) reason = PlanReason::down_node;
        else if (replica && local && !local_rack.empty() && node.rack == local_rack) reason = PlanReason::local_rack_replica;
        else if (replica) reason = local ? PlanReason::local_replica : PlanReason::remote_replica;
        else reason = local ? PlanReason::local_node : PlanReason::remote_node;
        out.push_back(ExplainedTarget{t, reason});
    }
    return out;
}

Plan build_full_plan(LoadBalancingPolicy& policy, const RoutingInfo& routing, const ClusterState& cluster) {
    Plan plan;
    if (auto first = policy.pick(routing, cluster)) {
        plan.push_back(*first);
        policy.fallback(routing, cluster, plan);
    }
    return plan;
}

}  // namespace routelab::driver
