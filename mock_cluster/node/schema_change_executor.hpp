#pragma once
// Applies a compiled DDL statement to the cluster: decides existence (AlreadyExists,
// IF [NOT] EXISTS, dropping what is not there), resolves NetworkTopologyStrategy's
// per-DC factors against the topology, and answers as Cassandra does — RESULT
// Schema_change when something changed, Void when IF [NOT] EXISTS made it a no-op.
#include "driver/protocol/messages.hpp"
#include "mock_cluster/schema/schema_change.hpp"

namespace routelab::cluster {

class Cluster;

routelab::cql::Response apply_schema_change(Cluster& cluster, const SchemaChangePlan& plan);

}  // namespace routelab::cluster
