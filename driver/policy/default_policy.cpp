#include "driver/policy/default_policy.hpp"

#include <algorithm>
#include <charconv>

#include "driver/metadata/check.hpp"

namespace routelab::driver {

namespace {

// Uniformly random element of `set` among those satisfying `pred`, without allocating:
// count, draw, walk (Rust `choose_filtered`).
template <class Pred>
std::optional<NodeIndex> choose_random(std::span<const NodeIndex> set, Pred pred, sim::RngStream& rng) {
    std::uint64_t count = 0;
    for (NodeIndex n : set) if (pred(n)) ++count;
    if (count == 0) return std::nullopt;
    std::uint64_t k = rng.below(count);
    for (NodeIndex n : set) {
        if (!pred(n)) continue;
        if (k == 0) return n;
        --k;
    }
    return std::nullopt;
}

template <class Pred>
std::optional<NodeIndex> first_match(std::span<const NodeIndex> set, Pred pred) {
    for (NodeIndex n : set)
        if (pred(n)) return n;
    return std::nullopt;
}

// Visits the nodes satisfying `member` (the "node list": all nodes, or one DC's, in index
// order) rotated by a random start, and calls `visit` on those satisfying `pred` until it
// returns true. Rust `randomly_rotated_nodes` + filter, without allocating.
template <class Member, class Pred, class Visit>
void rotated(const ClusterState& cluster, Member member, Pred pred, sim::RngStream& rng, Visit visit) {
    const std::size_t n = cluster.nodes.size();
    std::uint64_t members = 0;
    for (const NodeInfo& node : cluster.nodes) if (member(node)) ++members;
    if (members == 0) return;
    std::uint64_t skip = rng.below(members);
    std::size_t start = 0;
    for (; start < n; ++start) {
        if (!member(cluster.nodes[start])) continue;
        if (skip == 0) break;
        --skip;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const NodeInfo& node = cluster.nodes[(start + i) % n];
        if (member(node) && pred(node) && visit(node)) return;
    }
}

void shuffle(Plan& items, std::size_t from, sim::RngStream& rng) {
    // Fisher–Yates over items[from..].
    for (std::size_t i = items.size(); i > from + 1; --i) {
        const std::size_t j = from + static_cast<std::size_t>(rng.below(i - from));
        std::swap(items[i - 1], items[j]);
    }
}

bool local_consistency(const RoutingInfo& routing) {
    return routing.consistency == consistency::local_one || routing.consistency == consistency::local_quorum ||
           routing.serial_consistency == consistency::local_serial;
}

}  // namespace

struct DefaultPolicy::Context {
    const ClusterState& cluster;
    std::string_view dc;
    std::string_view rack;
    bool has_dc = false;
    bool has_rack = false;
    bool failover = false;
    bool token_info = false;
    bool lwt = false;
    std::int64_t token = 0;
    ReplicaSet replicas;
    std::span<const NodeIndex> local_replicas;  // replicas in the preferred DC, ring order
    sim::Time now;

    bool is_local(const NodeInfo& node) const { return !has_dc || node.datacenter == dc; }
    bool is_local_rack(const NodeInfo& node) const { return is_local(node) && node.rack == rack; }
    bool any_replicas() const { return token_info && (!has_dc || failover); }
    Target replica(NodeIndex node) const { return Target{node, cluster.shard_of(node, token)}; }
};

DefaultPolicy::DefaultPolicy(DefaultPolicyConfig config, sim::RngStream rng) : config_(std::move(config)), rng_(rng) {
    const bool rack_kind = config_.preference.kind == LocationPreference::Kind::datacenter_and_rack;
    const bool dc_kind = rack_kind || config_.preference.kind == LocationPreference::Kind::datacenter;
    check(!dc_kind || !config_.preference.datacenter.empty(), "DefaultPolicy: DC preference without a DC name");
    check(!rack_kind || !config_.preference.rack.empty(), "DefaultPolicy: rack preference without a rack name");
    if (!config_.shuffle_replicas) fixed_seed_ = rng_.next_u64();
    if (config_.latency_awareness) latency_.emplace(*config_.latency_awareness);
    for (const std::string& text : config_.allow_list) {
        AllowEntry entry;
        entry.text = text;
        const auto colon = text.rfind(':');
        const std::string_view whole(text);
        const std::string_view ip_text = colon == std::string::npos ? whole : whole.substr(0, colon);
        entry.ip = net::parse_ipv4(ip_text);
        if (entry.ip && colon != std::string::npos) {
            std::uint16_t port = 0;
            const std::string_view port_text = whole.substr(colon + 1);
            const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
            if (ec == std::errc{} && ptr == port_text.data() + port_text.size()) entry.port = port;
            else entry.ip.reset();  // not an address after all: compare as a host id
        }
        allow_.push_back(std::move(entry));
    }
}

bool DefaultPolicy::allowed(const NodeInfo& node) const {
    if (allow_.empty()) return true;
    for (const AllowEntry& e : allow_) {
        if (e.ip) {
            if (*e.ip == node.address.ip && (!e.port || *e.port == node.address.port)) return true;
        } else if (!node.host_id.empty() && e.text == node.host_id) {
            return true;
        }
    }
    return false;
}

template <class F>
auto DefaultPolicy::with_replica_rng(F f) {
    // Shuffling off: a fresh stream from the same seed for every choice (Rust re-seeds a
    // Pcg32 with its fixed seed each time), so equal inputs give equal orders.
    if (config_.shuffle_replicas) return f(rng_);
    sim::RngStream fixed(fixed_seed_);
    return f(fixed);
}

DefaultPolicy::Context DefaultPolicy::resolve(const RoutingInfo& routing, const ClusterState& cluster) {
    Context c{cluster, {}, {}, false, false, false, false, false, 0, {}, {}, {}};
    switch (config_.preference.kind) {
        case LocationPreference::Kind::inherit:
            c.dc = routing.preferred_dc;
            c.rack = routing.preferred_dc.empty() ? std::string_view{} : routing.preferred_rack;
            break;
        case LocationPreference::Kind::any:
            break;
        case LocationPreference::Kind::datacenter:
            c.dc = config_.preference.datacenter;
            break;
        case LocationPreference::Kind::datacenter_and_rack:
            c.dc = config_.preference.datacenter;
            c.rack = config_.preference.rack;
            break;
    }
    c.has_dc = !c.dc.empty();
    c.has_rack = !c.rack.empty();
    c.failover = c.has_dc && config_.permit_dc_failover &&
                 !(config_.local_consistency_blocks_failover && local_consistency(routing));
    c.lwt = routing.should_route_as_lwt();
    if (config_.token_aware && routing.token && !routing.keyspace.empty()) {
        if (const KeyspaceInfo* ks = cluster.keyspace(routing.keyspace)) {
            c.token_info = true;
            c.token = *routing.token;
            c.replicas = cluster.replicas(*ks, c.token);
            if (c.has_dc) c.local_replicas = c.replicas.in_datacenter(cluster.datacenter_index(c.dc));
        }
    }
    if (latency_) {
        const sim::Time now = routing.now > latency_->latest() ? routing.now : latency_->latest();
        latency_->advance(now);
        c.now = now;
    }
    return c;
}

std::optional<Target> DefaultPolicy::pick(const RoutingInfo& routing, const ClusterState& cluster) {
    const Context c = resolve(routing, cluster);
    const auto& nodes = cluster.nodes;
    auto usable = [&](NodeIndex n) { return alive(nodes[n]) && fast(n, c.now); };

    if (c.token_info) {
        // A replica: LWT → the first in ring order; otherwise uniformly random.
        auto choose = [&](std::span<const NodeIndex> set, auto pred) -> std::optional<NodeIndex> {
            if (c.lwt) return first_match(set, pred);
            return with_replica_rng([&](sim::RngStream& rng) { return choose_random(set, pred, rng); });
        };
        if (c.has_rack) {
            auto r = choose(c.local_replicas, [&](NodeIndex n) { return usable(n) && nodes[n].rack == c.rack; });
            if (r) return c.replica(*r);
        }
        if (c.has_dc) {
            if (auto r = choose(c.local_replicas, usable)) return c.replica(*r);
        }
        if (c.any_replicas()) {
            // LWT: the first usable replica in global ring order, found without allocating
            // (the Rust driver can only test the primary here and otherwise returns None).
            if (auto r = choose(c.lwt ? c.replicas.ring_order : c.replicas.grouped, usable)) return c.replica(*r);
        }
    }

    std::optional<Target> found;
    auto take = [&](const NodeInfo& node) {
        found = Target{node.index, std::nullopt};
        return true;
    };
    auto usable_node = [&](const NodeInfo& node) { return alive(node) && fast(node.index, c.now); };
    auto enabled_node = [&](const NodeInfo& node) { return enabled(node); };
    auto local = [&](const NodeInfo& node) { return c.is_local(node); };
    auto everywhere = [](const NodeInfo&) { return true; };
    if (c.has_rack) {
        rotated(cluster, [&](const NodeInfo& node) { return c.is_local_rack(node); }, usable_node, rng_, take);
        if (found) return found;
    }
    rotated(cluster, local, usable_node, rng_, take);
    if (found) return found;
    if (c.failover) {
        rotated(cluster, everywhere, usable_node, rng_, take);
        if (found) return found;
    }
    // Only down (or penalised) candidates left: still try an enabled node.
    rotated(cluster, local, enabled_node, rng_, take);
    if (found) return found;
    if (c.failover) rotated(cluster, everywhere, enabled_node, rng_, take);
    return found;
}

void DefaultPolicy::fallback(const RoutingInfo& routing, const ClusterState& cluster, Plan& out) {
    const Context c = resolve(routing, cluster);
    const auto& nodes = cluster.nodes;
    const std::size_t base = out.size();
    auto is_alive = [&](NodeIndex n) { return alive(nodes[n]); };

    // Segments 1–3: replicas, alive only (penalisation is applied at the end).
    auto replica_segment = [&](std::span<const NodeIndex> set, auto pred) {
        scratch_.clear();
        for (NodeIndex n : set)
            if (pred(n)) scratch_.push_back(c.replica(n));
        if (!c.lwt) {
            with_replica_rng([&](sim::RngStream& rng) { shuffle(scratch_, 0, rng); });
        }
        for (const Target& t : scratch_) append_unique(out, t);
    };
    if (c.token_info) {
        if (c.has_rack)
            replica_segment(c.local_replicas, [&](NodeIndex n) { return is_alive(n) && nodes[n].rack == c.rack; });
        if (c.has_dc) replica_segment(c.local_replicas, is_alive);
        if (c.any_replicas()) replica_segment(c.lwt ? c.replicas.ring_order : c.replicas.grouped, is_alive);
    }

    // Segments 4–6: alive nodes, randomly rotated lists.
    auto add = [&](const NodeInfo& node) {
        append_unique(out, Target{node.index, std::nullopt});
        return false;  // keep visiting
    };
    auto alive_node = [&](const NodeInfo& node) { return alive(node); };
    auto local = [&](const NodeInfo& node) { return c.is_local(node); };
    auto everywhere = [](const NodeInfo&) { return true; };
    if (c.has_rack) rotated(cluster, [&](const NodeInfo& node) { return c.is_local_rack(node); }, alive_node, rng_, add);
    rotated(cluster, local, alive_node, rng_, add);
    if (c.failover) rotated(cluster, everywhere, alive_node, rng_, add);

    // Segments 7–8: enabled nodes believed down, node-list order.
    for (const NodeInfo& node : nodes)
        if (c.is_local(node) && enabled(node)) append_unique(out, Target{node.index, std::nullopt});
    if (c.failover)
        for (const NodeInfo& node : nodes)
            if (enabled(node)) append_unique(out, Target{node.index, std::nullopt});

    // Latency penalisation: penalised targets go behind all others, stably.
    if (latency_) {
        std::stable_partition(out.begin() + static_cast<std::ptrdiff_t>(base), out.end(),
                              [&](const Target& t) { return fast(t.node, c.now); });
    }
}

void DefaultPolicy::on_request_success(const RoutingInfo&, sim::Duration latency, Target target, sim::Time now) {
    if (latency_) latency_->report(target.node, latency, now);
}

void DefaultPolicy::on_request_failure(const RoutingInfo&, sim::Duration, Target, sim::Time now) {
    // Unclassified failure: not a reliable latency measure; only the time moves on.
    if (latency_) latency_->advance(now);
}

void DefaultPolicy::on_request_error(const RoutingInfo&, sim::Duration latency, Target target, sim::Time now,
                                     const AttemptError& error) {
    if (!latency_) return;
    if (LatencyAwareness::reliable(error)) latency_->report(target.node, latency, now);
    else latency_->advance(now);
}

}  // namespace routelab::driver
