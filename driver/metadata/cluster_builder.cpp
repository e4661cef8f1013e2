#include "driver/metadata/cluster_builder.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "driver/metadata/check.hpp"

namespace routelab::driver {

namespace {

std::string_view short_class(std::string_view name) {
    const auto dot = name.rfind('.');
    return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::optional<int> parse_factor(std::string_view text) {
    const auto slash = text.find('/');
    if (slash != std::string_view::npos) text = text.substr(0, slash);
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::int64_t> parse_token(std::string_view text) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

Expected<ReplicationStrategy> parse_replication(std::string_view keyspace,
                                                const std::map<std::string, std::string>& replication) {
    const std::string where = "keyspace " + std::string(keyspace) + " replication";
    auto class_it = replication.find("class");
    if (class_it == replication.end()) return InputError{where, "missing 'class'"};
    const std::string_view name = short_class(class_it->second);
    if (name == "SimpleStrategy") {
        auto rf_it = replication.find("replication_factor");
        if (rf_it == replication.end()) return InputError{where, "SimpleStrategy without 'replication_factor'"};
        auto rf = parse_factor(rf_it->second);
        if (!rf) return InputError{where + ".replication_factor", "not a non-negative integer: '" + rf_it->second + "'"};
        return ReplicationStrategy::simple(*rf);
    }
    if (name == "NetworkTopologyStrategy") {
        std::map<std::string, int, std::less<>> per_dc;
        for (const auto& [key, value] : replication) {
            if (key == "class") continue;
            auto rf = parse_factor(value);
            if (!rf) return InputError{where + "." + key, "not a non-negative integer: '" + value + "'"};
            // Cassandra 4 accepts `replication_factor` for NTS as "this factor in every DC"
            // only at CREATE time; system_schema then lists DCs. Keep it as a DC name.
            per_dc.emplace(key, *rf);
        }
        return ReplicationStrategy::network_topology(std::move(per_dc));
    }
    if (name == "LocalStrategy") return ReplicationStrategy::local();
    if (name == "EverywhereStrategy") return ReplicationStrategy::everywhere();
    ReplicationStrategy other;
    other.kind = ReplicationStrategy::Kind::other;
    other.replication_factor = 1;
    return other;
}

bool allow_list_matches(std::string_view entry, const net::Endpoint& address, std::string_view host_id) {
    if (!host_id.empty() && entry == host_id) return true;
    const auto colon = entry.rfind(':');
    const std::string_view ip_text = colon == std::string_view::npos ? entry : entry.substr(0, colon);
    auto ip = net::parse_ipv4(ip_text);
    if (!ip || *ip != address.ip) return false;
    if (colon == std::string_view::npos) return true;
    std::uint16_t port = 0;
    const std::string_view port_text = entry.substr(colon + 1);
    const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    return ec == std::errc{} && ptr == port_text.data() + port_text.size() && port == address.port;
}

void index_cluster_state(ClusterState& state) {
    check(state.nodes.size() <= std::numeric_limits<NodeIndex>::max(), "index_cluster_state: too many nodes");
    state.datacenters.clear();
    for (std::size_t i = 0; i < state.nodes.size(); ++i) {
        check(state.nodes[i].index == i, "index_cluster_state: node index != position");
        state.datacenters.push_back(state.nodes[i].datacenter);
    }
    std::sort(state.datacenters.begin(), state.datacenters.end());
    state.datacenters.erase(std::unique(state.datacenters.begin(), state.datacenters.end()), state.datacenters.end());
    auto ring = std::make_shared<TokenRing>(state.nodes);
    std::map<ReplicationStrategy, std::shared_ptr<const ReplicaTable>> tables;
    for (auto& [name, keyspace] : state.keyspaces) {
        auto& table = tables[keyspace.strategy];
        if (!table) table = std::make_shared<ReplicaTable>(*ring, state.nodes, state.datacenters, keyspace.strategy);
        keyspace.replicas = table;
    }
    state.ring = std::move(ring);
}

Expected<ClusterStatePtr> build_cluster_state(const ClusterMetadata& metadata) {
    if (metadata.nodes.size() > std::numeric_limits<NodeIndex>::max())
        return InputError{"nodes", "more than 65535 nodes"};
    auto state = std::make_shared<ClusterState>();
    for (std::size_t i = 0; i < metadata.nodes.size(); ++i) {
        const NodeMetadata& in = metadata.nodes[i];
        const std::string where = "node " + in.address.to_string();
        NodeInfo node;
        node.index = static_cast<NodeIndex>(i);
        node.address = in.address;
        node.host_id = in.host_id;
        node.name = in.host_id.empty() ? in.address.to_string() : in.host_id;
        node.datacenter = in.datacenter;
        node.rack = in.rack;
        node.up = in.up;
        node.shard_count = in.shard_count;
        node.sharding_ignore_msb = in.sharding_ignore_msb;
        if (in.sharding_ignore_msb >= 64) return InputError{where + " sharding_ignore_msb", "must be < 64"};
        for (const std::string& text : in.tokens) {
            auto token = parse_token(text);
            if (!token) return InputError{where + " tokens", "not an int64 token: '" + text + "'"};
            node.tokens.push_back(*token);
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (!metadata.nodes[j].member || !in.member) continue;   // a node that left may share an address with a newcomer
            if (metadata.nodes[j].address == in.address) return InputError{where, "duplicate address"};
            if (!in.host_id.empty() && metadata.nodes[j].host_id == in.host_id)
                return InputError{where, "duplicate host_id " + in.host_id};
        }
        if (metadata.allow_list) {
            node.enabled = std::any_of(metadata.allow_list->begin(), metadata.allow_list->end(),
                                       [&](const std::string& e) { return allow_list_matches(e, in.address, in.host_id); });
        }
        if (!in.member) node.enabled = false;
        state->nodes.push_back(std::move(node));
    }
    for (const KeyspaceMetadata& in : metadata.keyspaces) {
        auto strategy = parse_replication(in.name, in.replication);
        if (!strategy) return strategy.error();
        KeyspaceInfo keyspace{in.name, std::move(strategy).value(), nullptr};
        if (!state->keyspaces.emplace(in.name, std::move(keyspace)).second)
            return InputError{"keyspace " + in.name, "listed twice"};
    }
    index_cluster_state(*state);
    return ClusterStatePtr(std::move(state));
}

}  // namespace routelab::driver
