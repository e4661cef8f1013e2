#pragma once
// Who the nodes are: names, places, addresses, identities and tokens. Built once from a
// ClusterConfig; deterministic in the seed stream it is given (only tokens that are not
// pinned by the config are drawn from it).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace routelab::cluster {

using HostId = std::array<std::uint8_t, 16>;
std::string format_uuid(const HostId& id);

struct NodeConfig {
    std::string name;
    std::string datacenter;
    std::string rack;
    std::vector<std::int64_t> tokens;  // empty: drawn from the seed
    // false: the node starts outside the ring (not serving, not in system.peers, owning
    // no data) until Cluster::join_node adds it. Its identity and tokens are fixed anyway.
    bool joined = true;
};

struct ClusterConfig {
    std::string cluster_name = "routelab";
    std::vector<NodeConfig> nodes;     // in address order: node i gets 127.0.0.(i+1)
    int vnodes = 16;
    int shards = 1;
    std::uint16_t cql_port = 9042;
    std::uint16_t shard_aware_port = 19042;
    std::string release_version = "3.0.8";
    // PrivateLink: clients reach nodes only through the client-routes proxies; a
    // connection to a node's own address from anywhere else is closed at once.
    bool private_link = false;
    // Gossip's failure-detection delay: how long after a node stops the other nodes push
    // STATUS_CHANGE DOWN for it (0: at once). Coordinators see the node down at once.
    sim::Duration status_delay{};
};

struct NodeIdentity {
    std::uint16_t index = 0;
    std::string name;
    std::string datacenter;
    std::string rack;
    std::uint32_t ip = 0;
    HostId host_id{};
    std::vector<std::int64_t> tokens;  // sorted
    int shards = 1;
};

class Topology {
public:
    static Topology build(const ClusterConfig& config, sim::RngStream token_rng);

    const std::vector<NodeIdentity>& nodes() const { return nodes_; }
    const NodeIdentity& node(std::size_t index) const { return nodes_[index]; }
    std::size_t size() const { return nodes_.size(); }
    const std::vector<std::string>& datacenters() const { return datacenters_; }  // first-seen order
    const ClusterConfig& config() const { return config_; }
    // replace_node: the node at `index` gets a new address and host id (tokens, name and
    // place stay).
    void replace_identity(std::size_t index, std::uint32_t ip, HostId host_id) {
        nodes_[index].ip = ip;
        nodes_[index].host_id = host_id;
    }

private:
    ClusterConfig config_;
    std::vector<NodeIdentity> nodes_;
    std::vector<std::string> datacenters_;
};

// The host id of a node's `generation`-th replacement (a fresh id, as a replacing node gets).
HostId replacement_host_id(const std::string& cluster, const std::string& node, std::uint32_t generation);

// Node i (0-based) listens on 127.0.0.(i+1), as live mode binds it.
std::uint32_t node_address(std::size_t index);

}  // namespace routelab::cluster
