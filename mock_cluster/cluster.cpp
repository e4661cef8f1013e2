#include "mock_cluster/cluster.hpp"

#include <set>

#include "mock_cluster/node/cql_server.hpp"

namespace routelab::cluster {

namespace {
std::vector<bool> joined_nodes(const ClusterConfig& config) {
    std::vector<bool> out;
    for (const auto& node : config.nodes) out.push_back(node.joined);
    return out;
}
}  // namespace

Cluster::Cluster(ClusterEnv env, ClusterConfig config, ServiceConfig service)
    : env_(env),
      service_(std::move(service)),
      topology_(Topology::build(config, env.rng.stream("cluster/tokens"))),
      ring_(topology_, joined_nodes(config)),
      pending_down_(topology_.size()),
      coordinator_(env.scheduler, env.trace, topology_, nodes_, env.links, env.rng.stream("cluster/internode"),
                   service_.timeouts),
      partition_locks_(env.scheduler) {
    nodes_.resize(topology_.size());
    for (const auto& node : topology_.nodes()) {
        NodeState& state = nodes_[node.index];
        state.up = ring_.member(node.index);
        for (int shard = 0; shard < node.shards; ++shard) {
            const std::string name = "cluster/" + node.name + "/shard" + std::to_string(shard);
            state.shards.emplace_back(WorkTimes{&service_.service_time_us, &service_.coordinator_time_us}, service_.slots_per_shard,
                                      env.rng.stream(name + "/service"), env.rng.stream(name + "/coordinator"));
        }
    }
}

Cluster::~Cluster() {
    for (std::size_t i = 0; i < pending_down_.size(); ++i) cancel_pending_down(i);
}

net::Endpoint Cluster::cql_endpoint(std::size_t index) const {
    return net::Endpoint{topology_.node(index).ip, topology_.config().cql_port};
}

std::optional<net::Endpoint> Cluster::shard_aware_endpoint(std::size_t index) const {
    if (topology_.config().shard_aware_port == 0) return std::nullopt;
    return net::Endpoint{topology_.node(index).ip, topology_.config().shard_aware_port};
}

void Cluster::listen(std::size_t index) {
    servers_[index]->listen(env_.network, cql_endpoint(index), false);
    if (auto port = shard_aware_endpoint(index)) servers_[index]->listen(env_.network, *port, true);
}

void Cluster::start() {
    for (std::size_t i = 0; i < topology_.size(); ++i) {
        servers_.push_back(std::make_unique<CqlServer>(*this, static_cast<std::uint16_t>(i)));
        if (nodes_[i].up) listen(i);   // a node outside the ring listens once it joins
    }
}

void Cluster::create_keyspace(const std::string& name, ReplicationStrategy strategy, bool durable_writes) {
    schema_.add_keyspace(name, std::move(strategy), ring_, durable_writes);
    publish(events::schema_change("CREATED", "KEYSPACE", name));
}

void Cluster::create_table(TableDef table) {
    const TableDef& added = schema_.add_table(std::move(table));
    grow_table_stores();
    publish(events::schema_change("CREATED", "TABLE", added.keyspace, added.name));
}

bool Cluster::drop_keyspace(const std::string& name) {
    const KeyspaceDef* ks = schema_.keyspace(name);
    if (ks == nullptr) return false;
    std::vector<std::uint32_t> ids;
    for (const auto& [table, id] : ks->tables) ids.push_back(id);
    schema_.drop_keyspace(name);
    for (auto id : ids)
        for (auto& node : nodes_) node.tables[id] = TableStore{};
    publish(events::schema_change("DROPPED", "KEYSPACE", name));
    return true;
}

bool Cluster::drop_table(const std::string& keyspace, const std::string& name) {
    const TableDef* table = schema_.table(keyspace, name);
    if (table == nullptr) return false;
    const std::uint32_t id = table->id;
    schema_.drop_table(keyspace, name);
    for (auto& node : nodes_) node.tables[id] = TableStore{};
    publish(events::schema_change("DROPPED", "TABLE", keyspace, name));
    return true;
}

void Cluster::upsert_client_routes(const std::vector<ClientRoute>& routes) {
    std::vector<std::string> connection_ids, host_ids;
    for (const auto& route : routes) {
        client_routes_[{route.connection_id, route.host_id}] = route;
        connection_ids.push_back(route.connection_id);
        host_ids.push_back(format_uuid(route.host_id));
    }
    if (routes.empty()) return;
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 20, routes.size());
    sync_proxies();
    publish(events::client_routes_change(std::move(connection_ids), std::move(host_ids)));
}

void Cluster::remove_client_routes(const std::vector<ClientRouteKey>& keys) {
    std::vector<std::string> connection_ids, host_ids;
    for (const auto& key : keys) {
        client_routes_.erase(key);
        connection_ids.push_back(key.first);
        host_ids.push_back(format_uuid(key.second));
    }
    if (keys.empty()) return;
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 21, keys.size());
    sync_proxies();
    publish(events::client_routes_change(std::move(connection_ids), std::move(host_ids)));
}

namespace {
std::optional<net::Endpoint> proxy_endpoint_of(const ClientRoute& route) {
    const auto ip = net::parse_ipv4(route.address);
    if (!ip || !route.port || *route.port <= 0 || *route.port > 65535) return std::nullopt;
    return net::Endpoint{*ip, static_cast<std::uint16_t>(*route.port)};
}
}  // namespace

void Cluster::sync_proxies() {
    std::set<net::Endpoint> wanted;
    for (const auto& [key, route] : client_routes_)
        if (auto at = proxy_endpoint_of(route)) wanted.insert(*at);
    for (auto it = proxies_.begin(); it != proxies_.end();) {
        if (wanted.count(it->first) == 0) it = proxies_.erase(it);
        else ++it;
    }
    for (const auto& at : wanted) {
        if (proxies_.count(at) != 0) continue;
        proxies_.emplace(at, std::make_unique<Forwarder>(env_.scheduler, env_.network, at,
                                                         [this, at](const net::Stream&) { return route_target(at); }));
    }
}

// The node a proxy endpoint leads to now: the first route (in key order) naming it.
std::optional<net::Endpoint> Cluster::route_target(net::Endpoint proxy) const {
    for (const auto& [key, route] : client_routes_) {
        if (proxy_endpoint_of(route) != proxy) continue;
        for (const auto& node : topology_.nodes())
            if (node.host_id == route.host_id) return cql_endpoint(node.index);
    }
    return std::nullopt;
}

std::vector<net::Endpoint> Cluster::proxy_endpoints() const {
    std::vector<net::Endpoint> out;
    for (const auto& [at, proxy] : proxies_)
        if (proxy->listening()) out.push_back(at);
    return out;
}

std::size_t Cluster::proxied_connections(net::Endpoint proxy) const {
    auto it = proxies_.find(proxy);
    return it == proxies_.end() ? 0 : it->second->open_connections();
}

bool Cluster::admits_direct(std::uint32_t ip) const {
    if (!topology_.config().private_link) return true;
    for (const auto& [at, proxy] : proxies_)
        if (at.ip == ip) return true;
    return false;
}

void Cluster::publish(const events::Event& event, std::optional<std::size_t> skip_node) {
    for (std::size_t i = 0; i < servers_.size(); ++i) {
        if (!nodes_[i].up || (skip_node && *skip_node == i)) continue;
        servers_[i]->push_event(event);
    }
}

void Cluster::grow_table_stores() {
    for (auto& node : nodes_) node.tables.resize(schema_.table_count());
}

bool Cluster::cancel_pending_down(std::size_t index) {
    if (!pending_down_[index].valid()) return false;
    env_.scheduler.cancel(pending_down_[index]);
    pending_down_[index] = {};
    return true;
}

void Cluster::stop_node(std::size_t index) {
    if (!nodes_[index].up) return;
    nodes_[index].up = false;
    coordinator_.node_down(static_cast<std::uint16_t>(index));
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 1, index);
    if (index < servers_.size()) servers_[index]->stop(env_.network);
    const sim::Duration delay = topology_.config().status_delay;
    if (delay <= sim::Duration{}) {
        publish(events::status_change(false, cql_endpoint(index)), index);
        return;
    }
    cancel_pending_down(index);
    pending_down_[index] = env_.scheduler.after(delay, [this, index] {
        pending_down_[index] = {};
        publish(events::status_change(false, cql_endpoint(index)), index);
    });
}

void Cluster::start_node(std::size_t index) {
    if (nodes_[index].up || !ring_.member(index)) return;
    nodes_[index].up = true;
    coordinator_.node_up(static_cast<std::uint16_t>(index));
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 2, index);
    if (index < servers_.size()) listen(index);
    // Back before the failure detector fired: nobody was told it was down.
    if (cancel_pending_down(index)) return;
    publish(events::status_change(true, cql_endpoint(index)), index);
}

bool Cluster::decommission_node(std::size_t index) {
    if (!ring_.member(index) || ring_.member_count() <= 1) return false;
    cancel_pending_down(index);
    if (nodes_[index].up) {
        nodes_[index].up = false;
        coordinator_.node_down(static_cast<std::uint16_t>(index));
        if (index < servers_.size()) servers_[index]->stop(env_.network);
    }
    std::vector<bool> members = ring_.members();
    members[index] = false;
    ring_ = TokenRing(topology_, std::move(members));
    schema_.place_on(ring_);
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 22, index);
    publish(events::topology_change(false, cql_endpoint(index)), index);
    return true;
}

bool Cluster::join_node(std::size_t index) {
    if (ring_.member(index)) return false;
    std::vector<bool> members = ring_.members();
    members[index] = true;
    ring_ = TokenRing(topology_, std::move(members));
    schema_.place_on(ring_);
    nodes_[index].up = true;
    coordinator_.node_up(static_cast<std::uint16_t>(index));
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 23, index);
    if (index < servers_.size()) listen(index);
    publish(events::topology_change(true, cql_endpoint(index)), index);
    return true;
}

void Cluster::stop_rack(const std::string& datacenter, const std::string& rack) {
    for (const auto& n : topology_.nodes())
        if (n.datacenter == datacenter && n.rack == rack) stop_node(n.index);
}

void Cluster::start_rack(const std::string& datacenter, const std::string& rack) {
    for (const auto& n : topology_.nodes())
        if (n.datacenter == datacenter && n.rack == rack) start_node(n.index);
}

void Cluster::stop_datacenter(const std::string& datacenter) {
    for (const auto& n : topology_.nodes())
        if (n.datacenter == datacenter) stop_node(n.index);
}

void Cluster::start_datacenter(const std::string& datacenter) {
    for (const auto& n : topology_.nodes())
        if (n.datacenter == datacenter) start_node(n.index);
}

void Cluster::slow_node(std::size_t index, std::uint32_t factor) {
    for (auto& shard : nodes_[index].shards) shard.set_slowdown(factor);
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 3, (std::uint64_t{factor} << 16) | index);
}

void Cluster::slow_shard(std::size_t index, std::size_t shard, std::uint32_t factor) {
    nodes_[index].shards.at(shard).set_slowdown(factor);
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 4, (std::uint64_t{factor} << 32) | (shard << 16) | index);
}

void Cluster::inject(InjectedFault fault) {
    coordinator_.add_fault(fault);
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 5, static_cast<std::uint64_t>(fault.error));
}

void Cluster::clear_injected() {
    coordinator_.clear_faults();
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, 6, 0);
}

std::optional<std::size_t> Cluster::node_index(const std::string& name) const {
    for (const auto& n : topology_.nodes())
        if (n.name == name) return n.index;
    return std::nullopt;
}

std::size_t Cluster::open_connections(std::size_t node) const {
    return node < servers_.size() && servers_[node] ? servers_[node]->open_connections() : 0;
}

}  // namespace routelab::cluster
