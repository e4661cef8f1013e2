#include "sim/runner/cluster_setup.hpp"

#include <algorithm>
#include <map>

#include "sim/scenario/clients.hpp"

namespace routelab::runner {

net::LinkModel make_links(const scenario::NetworkSpec& spec) {
    net::LinkLatencies l;
    l.same_rack = spec.same_rack_us;
    l.same_dc = spec.same_dc_us;
    l.cross_dc = spec.cross_dc_us;
    return net::LinkModel(l);
}

void place_nodes(net::LinkModel& links, const cluster::ClusterConfig& config) {
    for (std::size_t i = 0; i < config.nodes.size(); ++i)
        links.place(cluster::node_address(i), {config.nodes[i].datacenter, config.nodes[i].rack});
}

cluster::ServiceConfig service_config(const scenario::Scenario& scenario) {
    cluster::ServiceConfig service;
    service.service_time_us = scenario.cluster.service_time_us;
    service.coordinator_time_us = scenario.cluster.coordinator_time_us;
    service.slots_per_shard = scenario.cluster.slots_per_shard;
    return service;
}

void create_scenario_schema(cluster::Cluster& cluster, const scenario::Scenario& scenario) {
    const auto clients = scenario::scenario_clients(scenario);
    const auto keyspaces = scenario::keyspaces_of(scenario.cluster);
    const std::string& default_keyspace = keyspaces.front().name;
    for (const auto& ks : keyspaces) {
        if (ks.strategy == scenario::KeyspaceSpec::Strategy::simple) {
            cluster.create_keyspace(ks.name, cluster::ReplicationStrategy::simple(ks.replication_factor));
        } else {
            std::map<std::string, int> per_dc;
            for (const auto& dc : cluster.topology().datacenters())
                if (const int factor = ks.factor_in(dc); factor > 0) per_dc[dc] = factor;
            cluster.create_keyspace(ks.name, cluster::ReplicationStrategy::network_topology(per_dc));
        }
        cluster::TableDef table;
        table.keyspace = ks.name;
        table.name = ks.table;
        table.columns = {{"k", routelab::cql::ColumnType::of(routelab::cql::TypeId::bigint)},
                         {"v", routelab::cql::ColumnType::of(routelab::cql::TypeId::blob)}};
        cluster.create_table(table);
        // The clustered table only when a workload uses it, so other runs read the same schema as before.
        if (std::none_of(clients.begin(), clients.end(), [&](const scenario::ClientSpec& c) {
                return scenario::uses_clustered_table(c.workload, ks.name, default_keyspace);
            }))
            continue;
        cluster::TableDef rows;
        rows.keyspace = ks.name;
        rows.name = ks.clustered_table;
        rows.columns = {{"k", routelab::cql::ColumnType::of(routelab::cql::TypeId::bigint)},
                        {"c", routelab::cql::ColumnType::of(routelab::cql::TypeId::int_)},
                        {"v", routelab::cql::ColumnType::of(routelab::cql::TypeId::blob)}};
        rows.clustering_key_columns = 1;
        cluster.create_table(rows);
    }
}

namespace {

// The nodes a proxy fronts, as (position among them, node index).
std::vector<std::pair<std::size_t, std::size_t>> fronted_nodes(const scenario::ProxySpec& proxy, const cluster::ClusterConfig& config) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t i = 0; i < config.nodes.size(); ++i) {
        const bool listed = proxy.nodes.empty() ||
                            std::find(proxy.nodes.begin(), proxy.nodes.end(), config.nodes[i].name) != proxy.nodes.end();
        if (listed) out.emplace_back(out.size(), i);
    }
    return out;
}

// Where the proxy serves the node at `position` among those it fronts.
net::Endpoint proxy_endpoint(const scenario::ProxySpec& proxy, std::size_t position) {
    const std::uint32_t ip = *net::parse_ipv4(proxy.address);
    const auto n = static_cast<std::uint32_t>(position);
    if (proxy.step_address) return {ip + n, static_cast<std::uint16_t>(proxy.port)};
    return {ip, static_cast<std::uint16_t>(proxy.port + static_cast<int>(n))};
}

}  // namespace

void place_proxies(net::LinkModel& links, const scenario::Scenario& scenario, const cluster::ClusterConfig& config) {
    for (const auto& proxy : scenario.cluster.proxies) {
        if (!net::parse_ipv4(proxy.address) || config.nodes.empty()) continue;
        const std::string dc = proxy.datacenter.empty() ? config.nodes.front().datacenter : proxy.datacenter;
        for (const auto& [position, node] : fronted_nodes(proxy, config)) links.place(proxy_endpoint(proxy, position).ip, {dc, "proxy"});
    }
}

void install_proxies(cluster::Cluster& cluster, const scenario::Scenario& scenario) {
    std::vector<cluster::ClientRoute> routes;
    for (const auto& proxy : scenario.cluster.proxies) {
        for (const auto& [position, node] : fronted_nodes(proxy, cluster.topology().config())) {
            cluster::ClientRoute route;
            route.connection_id = proxy.connection_id;
            route.host_id = cluster.topology().node(node).host_id;
            const net::Endpoint at = proxy_endpoint(proxy, position);
            route.address = net::format_ipv4(at.ip);
            route.port = at.port;
            routes.push_back(std::move(route));
        }
    }
    if (!routes.empty()) cluster.upsert_client_routes(routes);
}

std::vector<std::unique_ptr<cluster::StickyProxy>> make_sticky_proxies(cluster::Cluster& cluster, sim::Scheduler& scheduler,
                                                                       net::Network& network, const scenario::Scenario& scenario) {
    std::vector<std::unique_ptr<cluster::StickyProxy>> out;
    const auto& topology = cluster.topology();
    for (const auto& spec : scenario.cluster.sticky_proxies) {
        cluster::StickyProxyConfig config;
        config.at = net::Endpoint{*net::parse_ipv4(spec.address), static_cast<std::uint16_t>(spec.port)};
        const std::string dc = spec.datacenter.empty() && topology.size() > 0 ? topology.node(0).datacenter : spec.datacenter;
        for (const auto& node : topology.nodes())
            if (node.datacenter == dc) config.backends.push_back({node.index, node.name, cluster.cql_endpoint(node.index)});
        cluster::Cluster* c = &cluster;
        out.push_back(std::make_unique<cluster::StickyProxy>(scheduler, network, std::move(config),
                                                             [c](std::uint16_t node) { return c->node_state(node).up; }));
        if (spec.connection_id.empty()) continue;
        std::vector<cluster::ClientRoute> routes;
        for (const auto& backend : out.back()->config().backends) {
            cluster::ClientRoute route;
            route.connection_id = spec.connection_id;
            route.host_id = topology.node(backend.node).host_id;
            route.address = spec.address;
            route.port = spec.port;
            routes.push_back(std::move(route));
        }
        cluster.upsert_client_routes(routes);
    }
    return out;
}

std::vector<net::Endpoint> contact_points(const cluster::Cluster& cluster, const scenario::Scenario& scenario) {
    std::vector<net::Endpoint> out;
    if (!scenario.cluster.private_link || scenario.cluster.proxies.empty()) {
        for (std::size_t i = 0; i < cluster.topology().size(); ++i)
            if (cluster.is_member(i)) out.push_back(cluster.cql_endpoint(i));   // not a node outside the ring
        return out;
    }
    const auto& ids = scenario.driver.client_routes ? scenario.driver.client_routes->connection_ids : std::vector<std::string>{};
    const std::string& wanted = ids.empty() ? scenario.cluster.proxies.front().connection_id : ids.front();
    for (const auto& proxy : scenario.cluster.proxies) {
        if (proxy.connection_id != wanted) continue;
        for (const auto& [position, node] : fronted_nodes(proxy, cluster.topology().config()))
            out.push_back(proxy_endpoint(proxy, position));
    }
    return out;
}

}  // namespace routelab::runner
