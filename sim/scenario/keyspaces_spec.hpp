#pragma once
// Internal to the scenario parser: [[cluster.keyspaces]] (or the single keyspace of the
// [cluster] fields) and the checks of what names a keyspace or a location: workloads,
// their operations and execution profiles.
#include <string>

#include <toml.hpp>

#include "sim/scenario/model.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

// Reads [[cluster.keyspaces]] from the [cluster] table `t` (nullptr: no [cluster]) into
// cluster.keyspaces (left empty without it); the [cluster] fields then mirror the first
// keyspace. Needs the topology for the datacenter names.
void read_keyspaces(const Context& ctx, const toml::value* cluster_table, ClusterSpec& cluster, const TopologySpec& topology);
// Every keyspace's replication fits the topology (a DC's factor at most its nodes).
void check_replication(const Context& ctx, const Scenario& s);
// The keyspaces and locations a workload and its operations name exist.
void check_workload_targets(const Context& ctx, const WorkloadSpec& w, const Scenario& s, const std::string& workload_path,
                            const std::string& operations_path);
// The locations the execution profiles prefer exist.
void check_profile_locations(const Context& ctx, const DriverSpec& d, const Scenario& s, const std::string& driver_path);

}  // namespace routelab::scenario::detail
