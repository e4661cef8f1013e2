#pragma once
// How a scenario becomes a mock cluster, shared by the simulated World and live mode
// (`routelab serve`), so both build the same nodes, links, service times and schema.
#include <memory>
#include <vector>

#include "mock_cluster/cluster.hpp"
#include "mock_cluster/proxy/sticky_proxy.hpp"
#include "sim/net/link_model.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::runner {

// The scenario's one-way latencies per proximity class.
net::LinkModel make_links(const scenario::NetworkSpec& spec);
// Places node i of `config` at cluster::node_address(i) in its datacenter and rack.
void place_nodes(net::LinkModel& links, const cluster::ClusterConfig& config);
cluster::ServiceConfig service_config(const scenario::Scenario& scenario);
// The scenario's keyspace (NetworkTopologyStrategy, replication_factor in every DC) and
// its table (k bigint PRIMARY KEY, v blob), and when a client's workload uses clustering
// rows the clustered table (k bigint, c int, v blob, PRIMARY KEY (k, c)). Call before Cluster::start().
void create_scenario_schema(cluster::Cluster& cluster, const scenario::Scenario& scenario);

// The scenario's proxy hosts on the network, in their datacenter on a rack of their own.
void place_proxies(net::LinkModel& links, const scenario::Scenario& scenario, const cluster::ClusterConfig& config);
// The scenario's proxies as client routes: for each proxy and node, a row in
// system.client_routes at the proxy's address and port + the node's position, which
// makes the cluster serve that proxy endpoint. Call after Cluster::start().
void install_proxies(cluster::Cluster& cluster, const scenario::Scenario& scenario);
// The scenario's sticky (session-affinity) proxies, listening on `network`, and — for
// those with a connection id — a client route to each for every node of their
// datacenter. Call after Cluster::start(); keep them alive as long as the cluster.
std::vector<std::unique_ptr<cluster::StickyProxy>> make_sticky_proxies(cluster::Cluster& cluster, sim::Scheduler& scheduler,
                                                                       net::Network& network, const scenario::Scenario& scenario);
// Where a client first connects: every ring member's address, or with private_link the proxy
// endpoints of the driver's first connection id (else of the first proxy).
std::vector<net::Endpoint> contact_points(const cluster::Cluster& cluster, const scenario::Scenario& scenario);

}  // namespace routelab::runner
