#pragma once
// The simulated cluster: builds nodes from the topology, places keyspaces on the ring,
// listens for CQL clients on every node's address, and exposes the control surface the
// fault timeline and tests use. It takes the World's scheduler, RNG and network and owns
// no clock or random source of its own.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mock_cluster/coordinator/coordinator.hpp"
#include "mock_cluster/coordinator/partition_locks.hpp"
#include "mock_cluster/node/session_meter.hpp"
#include "mock_cluster/proxy/forwarder.hpp"
#include "mock_cluster/events/event.hpp"
#include "mock_cluster/node/node_state.hpp"
#include "mock_cluster/schema/schema.hpp"
#include "mock_cluster/topology/token_ring.hpp"
#include "mock_cluster/topology/topology.hpp"
#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/link_model.hpp"
#include "sim/net/network.hpp"

namespace routelab::cluster {

class CqlServer;

// One row of system.client_routes: how clients behind a proxy reach a node, as ScyllaDB's
// /v2/client-routes REST API writes it. Key: (connection_id, host_id).
struct ClientRoute {
    std::string connection_id;
    HostId host_id{};
    std::string address;                       // hostname or IP of the proxy endpoint
    std::optional<std::int32_t> port;          // CQL plaintext
    std::optional<std::int32_t> tls_port;
    std::optional<std::int32_t> alternator_port;
    std::optional<std::int32_t> alternator_https_port;
};
using ClientRouteKey = std::pair<std::string, HostId>;

struct ClusterEnv {
    sim::Scheduler& scheduler;
    const sim::Rng& rng;          // the cluster derives its own named streams from it
    sim::Trace& trace;
    net::Network& network;
    net::LinkModel& links;        // internode latencies and link faults (shared with the network)
};

// The service model (mock_cluster/service/shard_queue.hpp): every request costs its
// coordinator `coordinator_time_us` on the connection's shard, and every replica it asks
// `service_time_us` on the shard owning the token; both queue FIFO on their shard.
struct ServiceConfig {
    sim::Distribution service_time_us{sim::dist::LogNormal{150.0, 0.4}};       // a replica's work
    sim::Distribution coordinator_time_us{sim::dist::LogNormal{15.0, 0.4}};    // the coordinator's own work
    int slots_per_shard = 1;                                                  // concurrent service slots per shard, >= 1
    CoordinatorTimeouts timeouts;
};

class Cluster {
public:
    Cluster(ClusterEnv env, ClusterConfig config, ServiceConfig service);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    // Starts listening on every node's CQL endpoint.
    void start();

    // Schema changes, from scenarios (before start) or CQL DDL. Each one changes the
    // schema version all nodes report and pushes SCHEMA_CHANGE to registered connections.
    // create_keyspace replaces a keyspace of the same name; the caller checks existence.
    void create_keyspace(const std::string& name, ReplicationStrategy strategy, bool durable_writes = true);
    void create_table(TableDef table);        // the keyspace must exist, the table must not
    bool drop_keyspace(const std::string& name);   // false: nothing to drop
    bool drop_table(const std::string& keyspace, const std::string& name);

    // system.client_routes. Each call pushes one CLIENT_ROUTES_CHANGE (UPDATE_NODES) with
    // the changed keys to registered connections.
    // A route whose address is an IPv4 address with a port gets a proxy endpoint there
    // (one per address and port) forwarding to the route's node; the proxy goes away with
    // the last route naming it, and follows a route that moves to another node.
    void upsert_client_routes(const std::vector<ClientRoute>& routes);
    void remove_client_routes(const std::vector<ClientRouteKey>& keys);
    const std::map<ClientRouteKey, ClientRoute>& client_routes() const { return client_routes_; }
    // The proxy endpoints serving routes now, and how many connections each forwards.
    std::vector<net::Endpoint> proxy_endpoints() const;
    std::size_t proxied_connections(net::Endpoint proxy) const;
    // PrivateLink: whether a client at `ip` may connect to a node's own address.
    bool admits_direct(std::uint32_t ip) const;

    // Pushes an event to every connection registered for its type on every live node
    // except `skip_node`.
    void publish(const events::Event& event, std::optional<std::size_t> skip_node = std::nullopt);

    // Control surface: each change is a traced event. The other live nodes push
    // STATUS_CHANGE DOWN/UP for the node to their registered connections. DOWN goes out
    // ClusterConfig::status_delay after the stop (gossip's failure detector), from the
    // nodes live then; coordinators treat the node as down at once either way. A node
    // started again before its DOWN went out pushes nothing: the pending DOWN is
    // dropped and no UP follows, as gossip never convicted it.
    // start_node does nothing for a node outside the ring (see join_node).
    void stop_node(std::size_t index);
    void start_node(std::size_t index);
    // Ring membership (`nodetool decommission` / bootstrap), for nodes of the topology.
    // decommission_node: the node stops serving (its connections reset, a pending DOWN is
    // dropped), its tokens leave the ring, every keyspace's placement is recomputed on
    // the remaining members, it leaves system.peers, and the other live nodes push
    // TOPOLOGY_CHANGE REMOVED_NODE. A down member can be removed the same way.
    // join_node: the node (same name, host id and tokens) enters the ring again or for the
    // first time (NodeConfig::joined = false), placement is recomputed, it starts serving
    // and the other live nodes push TOPOLOGY_CHANGE NEW_NODE (no STATUS_CHANGE UP).
    // No data is streamed: every replica keeps what it holds (a decommissioned node keeps
    // its data for a later join), so after a change a range's new replicas lack what was
    // written before it until it is written again (reads at ONE may miss it; QUORUM
    // reads find it wherever a quorum's overlap with the old replicas still holds it).
    // Both return false and change nothing when the node is already out / in, or when it
    // is the ring's last member.
    bool decommission_node(std::size_t index);
    bool join_node(std::size_t index);
    bool is_member(std::size_t index) const { return ring_.member(index); }
    void stop_rack(const std::string& datacenter, const std::string& rack);
    void start_rack(const std::string& datacenter, const std::string& rack);
    void stop_datacenter(const std::string& datacenter);
    void start_datacenter(const std::string& datacenter);
    // Service times of a node (all shards) or one shard multiplied by `factor` (1 = normal).
    void slow_node(std::size_t index, std::uint32_t factor);
    void slow_shard(std::size_t index, std::size_t shard, std::uint32_t factor);
    // Test seam for a planted bug: node `index` acknowledges every write it serves as a
    // replica but leaves the `every`-th, 2·`every`-th, … unapplied (0: the default, none).
    void plant_write_drops(std::size_t index, std::uint32_t every) { nodes_[index].drop_write_every = every; }
    void inject(InjectedFault fault);
    void clear_injected();
    // Faults of the client-facing transport (cluster_faults.cpp). Each is a traced event.
    // blackhole_node: the node's CQL connections stay open but it reads nothing from
    // them and answers nothing (responses and events it would send are dropped); new
    // connections are accepted and never served. Gossip and the internode path are
    // untouched: the other nodes keep it UP and it keeps serving as a replica. Turned off,
    // the node reads what waited and answers it.
    void blackhole_node(std::size_t index, bool on);
    bool blackholed(std::size_t index) const;
    // reset_connections: the node closes every client connection it has and keeps
    // listening; it stays UP (no STATUS_CHANGE), drivers reconnect.
    void reset_connections(std::size_t index);
    // replace_node: the node (stopped first if up) is replaced by a new node at a new
    // address (`address`, else the next free one of 127.4.0.0/16) with the same tokens and
    // a NEW host id, as Cassandra's replace_address_first_boot. The other live nodes push
    // TOPOLOGY_CHANGE REMOVED_NODE for the old address and NEW_NODE for the new one;
    // system.peers lists the new address and host id. The replacement starts with what the
    // old node held (streaming is instantaneous). Returns the new address; nullopt when
    // `address` is taken.
    std::optional<std::uint32_t> replace_node(std::size_t index, std::optional<std::uint32_t> address = std::nullopt);
    // schema_change: applies a DDL statement as if a client sent it (SCHEMA_CHANGE goes
    // to registered connections); returns the error message, empty when it applied.
    std::string apply_statement(const std::string& text);
    std::size_t client_connections(std::size_t index) const;
    std::optional<std::size_t> node_index(const std::string& name) const;

    const Topology& topology() const { return topology_; }
    const TokenRing& ring() const { return ring_; }
    const Schema& schema() const { return schema_; }
    const NodeState& node_state(std::size_t index) const { return nodes_[index]; }
    Coordinator& coordinator() { return coordinator_; }
    PartitionLocks& partition_locks() { return partition_locks_; }
    SessionMeter& sessions() { return sessions_; }
    const SessionMeter& sessions() const { return sessions_; }
    ShardQueue& coordinator_shard(std::size_t node, std::size_t shard) { return nodes_[node].shards[shard]; }
    const ShardQueue& shard_queue(std::size_t node, std::size_t shard) const { return nodes_[node].shards[shard]; }
    // Client connections the node's CQL server holds open (its ports, shard-aware one included).
    std::size_t open_connections(std::size_t node) const;
    sim::Scheduler& scheduler() { return env_.scheduler; }
    sim::Trace& trace() { return env_.trace; }
    net::Endpoint cql_endpoint(std::size_t index) const;
    // ScyllaDB's shard-aware port (SCYLLA_SHARD_AWARE_PORT): a connection arriving there is
    // served by shard (client source port % shards). Nullopt when configured off (port 0).
    std::optional<net::Endpoint> shard_aware_endpoint(std::size_t index) const;

private:
    void grow_table_stores();
    void listen(std::size_t index);   // the node's CQL port and its shard-aware port

    bool cancel_pending_down(std::size_t index);   // true if a DOWN was still pending

    ClusterEnv env_;
    ServiceConfig service_;
    Topology topology_;
    TokenRing ring_;
    std::vector<sim::EventId> pending_down_;   // per node: its delayed STATUS_CHANGE DOWN
    std::uint32_t replacements_ = 0;           // replace_node so far (new addresses, host ids)
    Schema schema_;
    std::vector<NodeState> nodes_;
    Coordinator coordinator_;
    PartitionLocks partition_locks_;
    SessionMeter sessions_;
    std::vector<std::unique_ptr<CqlServer>> servers_;
    std::map<ClientRouteKey, ClientRoute> client_routes_;
    std::map<net::Endpoint, std::unique_ptr<Forwarder>> proxies_;
    void sync_proxies();
    std::optional<net::Endpoint> route_target(net::Endpoint proxy) const;
};

}  // namespace routelab::cluster
