#include "mock_cluster/topology/topology.hpp"

#include <algorithm>
#include <cassert>
#include <set>

#include "sim/net/endpoint.hpp"

namespace routelab::cluster {

std::string format_uuid(const HostId& id) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(hex[id[i] >> 4]);
        out.push_back(hex[id[i] & 0xf]);
    }
    return out;
}

std::uint32_t node_address(std::size_t index) {
    assert(index < 65'000);
    const auto n = static_cast<std::uint32_t>(index + 1);
    return net::ipv4(127, 0, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n & 0xff));
}

namespace {

// A version-4-shaped UUID derived from the node's name, so a node keeps its host id
// across seeds and runs (incidents are replayed by name).
HostId host_id_for(const std::string& cluster, const std::string& node) {
    std::uint64_t state = sim::fnv1a64(cluster + "/" + node);
    HostId id{};
    for (int half = 0; half < 2; ++half) {
        const std::uint64_t word = sim::splitmix64_next(state);
        for (int i = 0; i < 8; ++i) id[static_cast<std::size_t>(half * 8 + i)] = static_cast<std::uint8_t>(word >> (56 - 8 * i));
    }
    id[6] = static_cast<std::uint8_t>((id[6] & 0x0f) | 0x40);
    id[8] = static_cast<std::uint8_t>((id[8] & 0x3f) | 0x80);
    return id;
}

}  // namespace

HostId replacement_host_id(const std::string& cluster, const std::string& node, std::uint32_t generation) {
    return host_id_for(cluster, node + "/replacement/" + std::to_string(generation));
}

Topology Topology::build(const ClusterConfig& config, sim::RngStream token_rng) {
    Topology t;
    t.config_ = config;
    std::set<std::int64_t> taken;
    for (const auto& n : config.nodes)
        for (auto token : n.tokens) taken.insert(token);
    for (std::size_t i = 0; i < config.nodes.size(); ++i) {
        const NodeConfig& c = config.nodes[i];
        NodeIdentity node;
        node.index = static_cast<std::uint16_t>(i);
        node.name = c.name;
        node.datacenter = c.datacenter;
        node.rack = c.rack;
        node.ip = node_address(i);
        node.host_id = host_id_for(config.cluster_name, c.name);
        node.shards = config.shards;
        node.tokens = c.tokens;
        if (node.tokens.empty()) {
            // Random vnode tokens, as Cassandra assigns without allocate_tokens_for_keyspace.
            while (node.tokens.size() < static_cast<std::size_t>(config.vnodes)) {
                const auto token = static_cast<std::int64_t>(token_rng.next_u64());
                if (token == INT64_MIN || !taken.insert(token).second) continue;
                node.tokens.push_back(token);
            }
        }
        std::sort(node.tokens.begin(), node.tokens.end());
        if (std::find(t.datacenters_.begin(), t.datacenters_.end(), c.datacenter) == t.datacenters_.end())
            t.datacenters_.push_back(c.datacenter);
        t.nodes_.push_back(std::move(node));
    }
    return t;
}

}  // namespace routelab::cluster
