#pragma once
// A session-affinity load balancer in front of a datacenter, modelled on ClickHouse
// Cloud's replica-aware routing (one address; sticky routing by session id through
// consistent hashing; least-connections otherwise), for the CQL protocol:
//
// - a client connection is bound to a default node when it starts: the node its session
//   key hashes to if STARTUP carries one (option `key_name`), else the live node with the
//   fewest connections bound to it;
// - each request is forwarded to the node its custom-payload session key (entry
//   `key_name`) hashes to, else to the connection's default node;
// - keys are hashed onto the live nodes (KeyRing): all traffic with one key reaches the
//   same node until the set of live nodes changes; then only the keys of the node that
//   left (or came back) move.
//
// The proxy keeps one upstream connection per node a client connection uses. Each one
// is started with the client's STARTUP options, switched to the client's keyspace, and
// given every statement the client prepared, so requests can go to any node. Stream ids
// are remapped per upstream; events come only from the default node's connection (where
// the client's REGISTER went). Frames with the compression flag are not inspected: they
// go to the default node. When an upstream connection fails, the client connection is
// closed (as a proxy resets it).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mock_cluster/proxy/key_ring.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/net/network.hpp"

namespace routelab::cluster {

struct StickyBackend {
    std::uint16_t node = 0;
    std::string name;
    net::Endpoint endpoint;
};

struct StickyProxyConfig {
    net::Endpoint at;
    std::vector<StickyBackend> backends;      // the nodes it fronts
    std::string key_name = "session_id";      // custom-payload entry and STARTUP option
    int points_per_node = 128;
};

struct StickyProxyStats {
    std::uint64_t connections = 0;
    std::uint64_t keyed_requests = 0;       // routed by their own session key
    std::uint64_t default_requests = 0;     // to the connection's default node
};

class StickyProxy {
public:
    using IsUp = std::function<bool(std::uint16_t node)>;

    StickyProxy(sim::Scheduler& scheduler, net::Network& network, StickyProxyConfig config, IsUp is_up);
    ~StickyProxy();
    StickyProxy(const StickyProxy&) = delete;
    StickyProxy& operator=(const StickyProxy&) = delete;

    bool listening() const { return listening_; }
    const StickyProxyConfig& config() const { return config_; }
    // Where a session key goes now.
    std::optional<std::uint16_t> node_for_key(std::string_view key) const;
    // Client connections bound to the node (the least-connections count).
    std::size_t connections_to(std::uint16_t node) const;
    std::size_t open_connections() const { return clients_.size(); }
    // Requests forwarded to each node.
    std::uint64_t requests_to(std::uint16_t node) const;
    const StickyProxyStats& stats() const { return stats_; }

private:
    class ClientSession;
    friend class ClientSession;

    std::optional<std::uint16_t> least_connected() const;
    const StickyBackend* backend(std::uint16_t node) const;
    void forget(std::uint64_t id);

    sim::Scheduler& scheduler_;
    net::Network& network_;
    StickyProxyConfig config_;
    IsUp is_up_;
    KeyRing ring_;
    bool listening_ = false;
    std::uint64_t next_id_ = 0;
    std::map<std::uint64_t, std::shared_ptr<ClientSession>> clients_;
    std::map<std::uint16_t, std::size_t> bound_;      // default node -> client connections
    std::map<std::uint16_t, std::uint64_t> forwarded_;
    StickyProxyStats stats_;
};

}  // namespace routelab::cluster
