#pragma once
// One node's CQL endpoint: accepts client connections and serves the protocol on each —
// handshake, PREPARE/EXECUTE/QUERY through the coordinator — answering in frames.
// A connection that sends a malformed frame gets a protocol ERROR and is closed; the
// node keeps serving its other connections.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "mock_cluster/cql/compiled_statement.hpp"
#include "mock_cluster/events/event.hpp"
#include "sim/net/network.hpp"

namespace routelab::cluster {

class Cluster;
class ServerConnection;

using CompiledPtr = std::shared_ptr<const cql::CompiledStatement>;

class CqlServer {
public:
    CqlServer(Cluster& cluster, std::uint16_t node);
    ~CqlServer();

    // `shard_aware`: connections there are served by shard (source port % shards), as
    // ScyllaDB's shard-aware port; elsewhere shards are assigned round robin.
    void listen(net::Network& network, net::Endpoint at, bool shard_aware);
    // Stops listening and resets every open connection (the node went down).
    void stop(net::Network& network);

    std::size_t open_connections() const { return connections_.size(); }
    // Closes every client connection and keeps listening (reset_connections).
    void drop_connections();
    // Blackhole: connections stay open, nothing is read from them or sent on them.
    void set_blackhole(bool on);
    bool blackholed() const { return blackholed_; }
    void clear_prepared() { prepared_.clear(); }
    // Sends the event to every connection registered for its type, in connection order.
    void push_event(const events::Event& event);

private:
    friend class ServerConnection;

    void accept(net::StreamPtr stream, bool shard_aware);
    void forget(std::uint64_t connection_id);
    ServerConnection* find(std::uint64_t connection_id);
    const CompiledPtr* prepared(const routelab::cql::Bytes& id) const;
    void forget_prepared(const routelab::cql::Bytes& id) { prepared_.erase(id); }
    routelab::cql::Bytes remember_prepared(const std::string& keyspace, const std::string& query, CompiledPtr compiled);

    Cluster& cluster_;
    std::uint16_t node_;
    std::vector<net::Endpoint> listening_;
    std::uint64_t next_connection_id_ = 0;
    std::map<std::uint64_t, std::unique_ptr<ServerConnection>> connections_;
    std::map<routelab::cql::Bytes, CompiledPtr> prepared_;
    std::vector<std::uint8_t> scratch_;   // encode buffer, reused for every response
    bool blackholed_ = false;
};

}  // namespace routelab::cluster
