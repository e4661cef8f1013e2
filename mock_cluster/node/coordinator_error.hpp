#pragma once
// The ERROR a failed coordinator result becomes on the wire, with Cassandra's wording.
#include "driver/protocol/messages.hpp"
#include "mock_cluster/coordinator/coordinator.hpp"

namespace routelab::cluster {

routelab::cql::Error coordinator_error(const CoordinatorResult& result);

}  // namespace routelab::cluster
