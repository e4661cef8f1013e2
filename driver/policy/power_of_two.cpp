#include "driver/policy/power_of_two.hpp"

#include <algorithm>

#include "driver/metadata/check.hpp"

namespace routelab::driver {

PowerOfTwoChoices::PowerOfTwoChoices(PowerOfTwoChoicesConfig config, sim::RngStream rng, InFlightProvider in_flight)
    : config_(std::move(config)), rng_(rng), in_flight_(std::move(in_flight)) {
    check(static_cast<bool>(in_flight_), "PowerOfTwoChoices: no in-flight provider");
}

void PowerOfTwoChoices::candidates(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) const {
    out.clear();
    if (config_.token_aware && routing.token && !routing.keyspace.empty()) {
        if (const KeyspaceInfo* ks = cluster.keyspace(routing.keyspace)) {
            const ReplicaSet set = cluster.replicas(*ks, *routing.token);
            const auto replicas = config_.local_dc.empty()
                                      ? set.grouped
                                      : set.in_datacenter(cluster.datacenter_index(config_.local_dc));
            for (NodeIndex n : replicas) {
                const NodeInfo& node = cluster.nodes[n];
                if (node.up && node.enabled) out.push_back(Target{n, cluster.shard_of(n, *routing.token)});
            }
            if (!out.empty()) return;
        }
    }
    for (const NodeInfo& node : cluster.nodes)
        if (node.up && node.enabled && local(node)) out.push_back(Target{node.index, std::nullopt});
}

std::optional<Target> PowerOfTwoChoices::pick(const RoutingInfo& routing, const ClusterState& cluster) {
    candidates(routing, cluster, scratch_);
    const std::size_t n = scratch_.size();
    if (n == 1) return scratch_[0];
    if (n >= 2) {
        const std::size_t i = static_cast<std::size_t>(rng_.below(n));
        std::size_t j = static_cast<std::size_t>(rng_.below(n - 1));
        if (j >= i) ++j;
        return in_flight_(scratch_[j]) < in_flight_(scratch_[i]) ? scratch_[j] : scratch_[i];
    }
    // No local candidate: the same fallbacks as the rest of the plan.
    Plan rest;
    fallback(routing, cluster, rest);
    if (rest.empty()) return std::nullopt;
    return rest.front();
}

void PowerOfTwoChoices::append_sorted(Plan& items, std::size_t from, Plan& out) {
    // Random order first so equal counts do not always favour low node indexes.
    for (std::size_t i = items.size(); i > from + 1; --i)
        std::swap(items[i - 1], items[from + static_cast<std::size_t>(rng_.below(i - from))]);
    std::vector<std::pair<std::uint32_t, Target>> keyed;
    keyed.reserve(items.size() - from);
    for (std::size_t i = from; i < items.size(); ++i) keyed.emplace_back(in_flight_(items[i]), items[i]);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [count, t] : keyed) append_unique(out, t);
}

void PowerOfTwoChoices::fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) {
    Plan items;
    candidates(routing, cluster, items);
    append_sorted(items, 0, out);
    items.clear();
    for (const NodeInfo& node : cluster.nodes)
        if (node.up && node.enabled && local(node)) items.push_back(Target{node.index, std::nullopt});
    append_sorted(items, 0, out);
    if (failover()) {
        items.clear();
        for (const NodeInfo& node : cluster.nodes)
            if (node.up && node.enabled && !local(node)) items.push_back(Target{node.index, std::nullopt});
        append_sorted(items, 0, out);
    }
    for (const NodeInfo& node : cluster.nodes)
        if (node.enabled && local(node)) append_unique(out, Target{node.index, std::nullopt});
    if (failover())
        for (const NodeInfo& node : cluster.nodes)
            if (node.enabled) append_unique(out, Target{node.index, std::nullopt});
}

}  // namespace routelab::driver
