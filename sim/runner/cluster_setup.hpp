#pragma once
// How a scenario becomes a mock cluster, shared by the simulated World and live mode
// (`routelab serve`), so both build the same nodes, links, service times and schema.
#include "mock_cluster/cluster.hpp"
#include "sim/net/link_model.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::runner {

// The scenario's one-way latencies per proximity class.
net::LinkModel make_links(const scenario::NetworkSpec& spec);
// Places node i of `config` at cluster::node_address(i) in its datacenter and rack.
void place_nodes(net::LinkModel& links, const cluster::ClusterConfig& config);
cluster::ServiceConfig service_config(const scenario::Scenario& scenario);
// The scenario's keyspace (NetworkTopologyStrategy, replication_factor in every DC) and
// its table (k bigint PRIMARY KEY, v blob). Call before Cluster::start().
void create_scenario_schema(cluster::Cluster& cluster, const scenario::Scenario& scenario);

}  // namespace routelab::runner
