#pragma once
// The load-balancing contract, shaped like the ScyllaDB Rust driver's: `pick` returns the
// first target cheaply (the common case needs no more); `fallback` appends the rest of
// the plan, in order, without repeating the picked target. Policies are plain objects
// over an immutable ClusterState: no socket, clock or scheduler. Feedback arrives with
// the time passed in.
//
// Plan contract (every policy here keeps it; tests check it):
//  * the caller calls `pick` first; if it returns a target, the caller puts it in the plan
//    and calls `fallback` with that plan only when it needs a second target;
//  * `pick` returns nullopt only when the whole plan would be empty (so a caller may stop
//    there) — stronger than the Rust driver, whose LWT pick may return None and leave the
//    work to fallback;
//  * `fallback` appends to `out` and never adds a target equal (`same_destination`) to one
//    already in `out`: with `out` = {picked}, pick + fallback is the plan, each
//    destination once. Calling `fallback` on an empty `out` gives a whole plan.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "driver/policy/attempt_error.hpp"
#include "driver/policy/consistency.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

struct RoutingInfo {
    std::optional<std::int64_t> token;   // when the partition key is known
    std::uint16_t consistency = 1;       // protocol [consistency] code
    bool is_lwt = false;                 // confirmed LWT (ScyllaDB's prepared-metadata LWT flag)
    std::string_view keyspace;
    std::string_view table;
    std::optional<std::uint16_t> serial_consistency;
    // Sticky-routing key (SessionAffinity); empty = none.
    std::string_view session_key;
    // Session-level location preference (Rust `SessionConfig` NodeLocationPreference), used
    // by a policy whose own preference is "inherit". Empty DC = no preference.
    std::string_view preferred_dc;
    std::string_view preferred_rack;
    // The time the request is routed (latency awareness needs it); zero = unknown, the
    // policy then uses the latest time it saw in feedback.
    sim::Time now;

    // Rust `should_route_as_lwt`: a confirmed LWT, or any statement at a serial CL (a SELECT
    // at SERIAL runs Paxos on the server).
    bool should_route_as_lwt() const {
        return is_lwt || consistency == consistency::serial || consistency == consistency::local_serial;
    }
};

struct Target {
    NodeIndex node = 0;
    std::optional<std::uint16_t> shard;
    bool operator==(const Target&) const = default;
};

using Plan = std::vector<Target>;

// De-duplication equality (Rust `DefaultPolicyTargetComparator`): if either has no shard,
// same node; if both have shards, same node and shard. A shard-less target may land on any
// shard, including one already tried.
constexpr bool same_destination(const Target& a, const Target& b) {
    if (a.node != b.node) return false;
    return !a.shard || !b.shard || *a.shard == *b.shard;
}

inline bool contains_destination(std::span<const Target> plan, const Target& t) {
    for (const Target& existing : plan)
        if (same_destination(existing, t)) return true;
    return false;
}

// Appends `t` unless a same destination is already in `out`. Returns whether appended.
inline bool append_unique(Plan& out, const Target& t) {
    if (contains_destination(out, t)) return false;
    out.push_back(t);
    return true;
}

class LoadBalancingPolicy {
public:
    virtual ~LoadBalancingPolicy() = default;
    virtual std::optional<Target> pick(const RoutingInfo& routing, const ClusterState& cluster) = 0;
    virtual void fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) = 0;
    virtual void on_request_success(const RoutingInfo&, sim::Duration /*latency*/, Target, sim::Time /*now*/) {}
    // An attempt failed and the caller does not know how (kept for callers that do not
    // classify errors). Latency-aware policies ignore it.
    virtual void on_request_failure(const RoutingInfo&, sim::Duration /*latency*/, Target, sim::Time /*now*/) {}
    // An attempt failed with a classified error. Defaults to on_request_failure.
    virtual void on_request_error(const RoutingInfo& routing, sim::Duration latency, Target target, sim::Time now,
                                  const AttemptError& /*error*/) {
        on_request_failure(routing, latency, target, now);
    }
    virtual std::string_view name() const = 0;
};

// The whole plan as the session would consume it: pick, then fallback. Clears `out`.
inline void build_plan(LoadBalancingPolicy& policy, const RoutingInfo& routing, const ClusterState& cluster, Plan& out) {
    out.clear();
    auto first = policy.pick(routing, cluster);
    if (!first) return;
    out.push_back(*first);
    policy.fallback(routing, cluster, out);
}

}  // namespace routelab::driver
