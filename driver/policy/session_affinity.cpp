#include "driver/policy/session_affinity.hpp"

#include <algorithm>

namespace routelab::driver {

SessionAffinity::SessionAffinity(SessionAffinityConfig config, sim::RngStream rng, InFlightProvider in_flight)
    : config_(std::move(config)), rng_(rng), in_flight_(std::move(in_flight)) {}

std::string_view SessionAffinity::name() const {
    switch (config_.scheme) {
        case AffinityScheme::ring_hash: return "session_affinity_ring";
        case AffinityScheme::maglev: return "session_affinity_maglev";
        case AffinityScheme::bounded_load: return "session_affinity_bounded";
    }
    return "session_affinity";
}

std::string SessionAffinity::member_key(const NodeInfo& node) {
    return node.host_id.empty() ? node.address.to_string() : node.host_id;
}

void SessionAffinity::refresh(const ClusterState& cluster) {
    // Same membership as last time? Compared without allocating.
    std::size_t k = 0;
    bool same = true;
    for (const NodeInfo& node : cluster.nodes) {
        if (!member(node)) continue;
        if (k >= members_.size() || members_[k] != node.index || addresses_[k] != node.address ||
            (!node.host_id.empty() && keys_[k] != node.host_id)) {
            same = false;
            break;
        }
        ++k;
    }
    if (same && k == members_.size() && (ring_ || maglev_ || members_.empty())) return;
    members_.clear();
    keys_.clear();
    addresses_.clear();
    for (const NodeInfo& node : cluster.nodes) {
        if (!member(node)) continue;
        members_.push_back(node.index);
        keys_.push_back(member_key(node));
        addresses_.push_back(node.address);
    }
    ring_.reset();
    maglev_.reset();
    if (members_.empty()) return;
    if (config_.scheme == AffinityScheme::maglev) maglev_ = std::make_unique<MaglevTable>(keys_, config_.maglev_table_size);
    else ring_ = std::make_unique<HashRing>(keys_, config_.virtual_nodes);
}

std::optional<std::size_t> SessionAffinity::lookup(std::uint64_t hash) {
    if (members_.empty()) return std::nullopt;
    switch (config_.scheme) {
        case AffinityScheme::ring_hash: return ring_->lookup(hash);
        case AffinityScheme::maglev: return maglev_->lookup(hash);
        case AffinityScheme::bounded_load:
            loads_.assign(members_.size(), 0);
            if (in_flight_)
                for (std::size_t m = 0; m < members_.size(); ++m) loads_[m] = in_flight_(Target{members_[m], std::nullopt});
            return bounded_load_lookup(*ring_, hash, loads_, config_.balance_factor);
    }
    return std::nullopt;
}

std::optional<Target> SessionAffinity::pick(const RoutingInfo& routing, const ClusterState& cluster) {
    refresh(cluster);
    if (!members_.empty()) {
        if (routing.session_key.empty())
            return Target{members_[static_cast<std::size_t>(rng_.below(members_.size()))], std::nullopt};
        if (auto m = lookup(hash64(routing.session_key))) return Target{members_[*m], std::nullopt};
    }
    for (const NodeInfo& node : cluster.nodes)
        if (node.enabled && (config_.local_dc.empty() || node.datacenter == config_.local_dc))
            return Target{node.index, std::nullopt};
    return std::nullopt;
}

void SessionAffinity::fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) {
    refresh(cluster);
    if (!members_.empty()) {
        const std::uint64_t hash = hash64(routing.session_key);
        if (ring_) {
            const std::size_t start = ring_->position_of(hash);
            for (std::size_t step = 0; step < ring_->size(); ++step)
                append_unique(out, Target{members_[ring_->member_at((start + step) % ring_->size())], std::nullopt});
        } else {
            // Rendezvous order: highest hash(key, member) first.
            std::vector<std::pair<std::uint64_t, NodeIndex>> scored;
            for (std::size_t m = 0; m < members_.size(); ++m) scored.emplace_back(hash64(keys_[m], hash), members_[m]);
            std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
            for (const auto& [score, n] : scored) append_unique(out, Target{n, std::nullopt});
        }
    }
    for (const NodeInfo& node : cluster.nodes)
        if (node.enabled && (config_.local_dc.empty() || node.datacenter == config_.local_dc))
            append_unique(out, Target{node.index, std::nullopt});
}

}  // namespace routelab::driver
