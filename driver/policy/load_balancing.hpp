#pragma once
// The load-balancing contract, shaped like the ScyllaDB Rust driver's: `pick` returns the
// first target cheaply (the common case needs no more); `fallback` appends the rest of
// the plan, in order, without repeating the picked target. Policies are plain objects
// over an immutable ClusterState: no socket, clock or scheduler. Feedback arrives with
// the time passed in.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

struct RoutingInfo {
    std::optional<std::int64_t> token;   // when the partition key is known
    std::uint16_t consistency = 1;       // protocol [consistency] code
    bool is_lwt = false;
    std::string_view keyspace;
    std::string_view table;
};

struct Target {
    NodeIndex node = 0;
    std::optional<std::uint16_t> shard;
    bool operator==(const Target&) const = default;
};

using Plan = std::vector<Target>;

class LoadBalancingPolicy {
public:
    virtual ~LoadBalancingPolicy() = default;
    virtual std::optional<Target> pick(const RoutingInfo& routing, const ClusterState& cluster) = 0;
    virtual void fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) = 0;
    virtual void on_request_success(const RoutingInfo&, sim::Duration /*latency*/, Target, sim::Time /*now*/) {}
    virtual void on_request_failure(const RoutingInfo&, sim::Duration /*latency*/, Target, sim::Time /*now*/) {}
    virtual std::string_view name() const = 0;
};

}  // namespace routelab::driver
