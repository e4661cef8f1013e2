#pragma once
// A driver session configuration from a client's resolved driver settings: the policies
// (the session's and each execution profile's, each with its own seeded stream), the pools,
// timeouts, compression and client routes.
#include <string>

#include "driver/policy/in_flight.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/rng.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::runner {

// `streams` prefixes the RNG stream names ("" gives "driver/policy", "driver/profile/<name>").
// A policy that does not build leaves a round-robin policy in its place and its message in
// `error` (the parser already checked them; this guards scenarios built in code).
driver::SessionConfig make_session_config(const scenario::Scenario& scenario, const scenario::DriverSpec& driver,
                                          const cluster::Cluster& cluster, const sim::Rng& rng, const std::string& streams,
                                          const driver::InFlightProvider& in_flight, std::string& error);

}  // namespace routelab::runner
