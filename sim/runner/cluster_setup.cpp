#include "sim/runner/cluster_setup.hpp"

#include <map>

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
    return service;
}

void create_scenario_schema(cluster::Cluster& cluster, const scenario::Scenario& scenario) {
    std::map<std::string, int> per_dc;
    for (const auto& dc : cluster.topology().datacenters()) per_dc[dc] = scenario.cluster.replication_factor;
    cluster.create_keyspace(scenario.cluster.keyspace, cluster::ReplicationStrategy::network_topology(per_dc));
    cluster::TableDef table;
    table.keyspace = scenario.cluster.keyspace;
    table.name = scenario.cluster.table;
    table.columns = {{"k", routelab::cql::ColumnType::of(routelab::cql::TypeId::bigint)},
                     {"v", routelab::cql::ColumnType::of(routelab::cql::TypeId::blob)}};
    cluster.create_table(table);
}

}  // namespace routelab::runner
