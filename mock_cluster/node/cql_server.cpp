#include "mock_cluster/node/cql_server.hpp"

#include "mock_cluster/cluster.hpp"
#include "mock_cluster/node/server_connection.hpp"
#include "sim/core/rng.hpp"

namespace routelab::cluster {

CqlServer::CqlServer(Cluster& cluster, std::uint16_t node) : cluster_(cluster), node_(node) {}

CqlServer::~CqlServer() = default;

void CqlServer::listen(net::Network& network, net::Endpoint at, bool shard_aware) {
    if (network.listen(at, [this, shard_aware](net::StreamPtr stream) { accept(std::move(stream), shard_aware); }))
        listening_.push_back(at);
}

void CqlServer::stop(net::Network& network) {
    for (const auto& at : listening_) network.unlisten(at);
    listening_.clear();
    // Closing may run nothing synchronously (the network's contract), but move the map
    // out first so no iterator is held across the closes.
    auto connections = std::move(connections_);
    connections_.clear();
    for (auto& [id, connection] : connections) connection->close();
}

void CqlServer::drop_connections() {
    auto connections = std::move(connections_);
    connections_.clear();
    for (auto& [id, connection] : connections) connection->close();
}

void CqlServer::set_blackhole(bool on) {
    blackholed_ = on;
    for (auto& [id, connection] : connections_) connection->set_reading(!on);
}

void CqlServer::push_event(const events::Event& event) {
    const auto type = events::type_of(event);
    for (auto& [id, connection] : connections_)
        if (connection->registered_for(type)) connection->push_event(event);
}

void CqlServer::accept(net::StreamPtr stream, bool shard_aware) {
    // PrivateLink: only the proxies reach the node's own address.
    if (!cluster_.admits_direct(stream->remote().ip)) return stream->close();
    const std::uint64_t id = next_connection_id_++;
    const auto shards = static_cast<std::uint64_t>(cluster_.topology().node(node_).shards);
    const auto shard = static_cast<std::uint16_t>(shard_aware ? stream->remote().port % shards : id % shards);
    auto& connection = connections_.emplace(id, std::make_unique<ServerConnection>(*this, id, std::move(stream), shard)).first->second;
    if (blackholed_) connection->set_reading(false);   // accepted by the kernel, never served
}

void CqlServer::forget(std::uint64_t connection_id) {
    // Deferred to an event: the connection may be inside its own handler right now.
    cluster_.scheduler().after(sim::Duration{}, [this, connection_id] { connections_.erase(connection_id); });
}

ServerConnection* CqlServer::find(std::uint64_t connection_id) {
    auto it = connections_.find(connection_id);
    return it == connections_.end() ? nullptr : it->second.get();
}

const CompiledPtr* CqlServer::prepared(const routelab::cql::Bytes& id) const {
    auto it = prepared_.find(id);
    return it == prepared_.end() ? nullptr : &it->second;
}

routelab::cql::Bytes CqlServer::remember_prepared(const std::string& keyspace, const std::string& query, CompiledPtr compiled) {
    // Deterministic and identical on every node, like Cassandra's MD5 of the
    // keyspace-qualified text: 16 bytes from two differently-seeded hashes.
    const std::string key = keyspace + "\n" + query;
    std::uint64_t a = sim::fnv1a64(key);
    std::uint64_t b = sim::fnv1a64("routelab/" + key);
    routelab::cql::Bytes id(16);
    const std::uint64_t words[2] = {sim::splitmix64_next(a), sim::splitmix64_next(b)};
    for (int w = 0; w < 2; ++w)
        for (int i = 0; i < 8; ++i) id[static_cast<std::size_t>(w * 8 + i)] = static_cast<std::uint8_t>(words[w] >> (56 - 8 * i));
    prepared_[id] = std::move(compiled);
    return id;
}

}  // namespace routelab::cluster
