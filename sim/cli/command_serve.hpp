#pragma once
// `routelab serve SCENARIO.toml [--seed N] [--control-port P] [--duration S]`: runs the
// scenario's mock cluster in live mode — the same ClusterConfig, service times and schema
// as a simulated run, on the wall clock and real sockets — so real drivers can connect to
// 127.0.0.(i+1):9042. Prints one line per node, then "ready", and serves until SIGINT or
// SIGTERM or the duration ends. An HTTP control endpoint on 127.0.0.1:P stops and starts
// nodes:  GET /nodes,  POST /nodes/<name>/stop,  POST /nodes/<name>/start; and tells where a
// key lives:  GET /replicas/<keyspace>/<bigint key>  (token and replica addresses).
// Clients are held to the connection limits (sim/live/live_limits.hpp; GET /limits shows
// what they did). The scenario's [[faults]] run on the wall clock from "ready" or from
// POST /timeline/start (sim/cli/serve_timeline.hpp; GET /timeline shows each step).
#include <cstdint>
#include <optional>
#include <string>

#include "sim/cli/serve_timeline.hpp"

namespace routelab::cli {

struct ServeOptions {
    std::string scenario_path;
    std::optional<std::uint64_t> seed;       // overrides [scenario].seed (decides unpinned tokens)
    std::optional<std::uint16_t> control_port;  // none: no control endpoint; 0: any free port
    std::optional<double> duration_s;        // none: until a signal
    std::uint16_t cql_port = 9042;
    // Connection limits (flags; README "Live mode limits").
    std::uint32_t frame_buffer_mib = 64;
    double startup_timeout_s = 10;
    double frame_timeout_s = 30;
    double idle_timeout_s = 120;        // 0: off
    std::uint32_t max_connections_per_node = 1024;
    bool allow_non_loopback_routes = false;   // POST /routes may name any IPv4 address
    // When the scenario's [[faults]] start on the wall clock: at "ready", on POST
    // /timeline/start (the default: a driver usually connects first), or never.
    TimelineMode timeline = TimelineMode::manual;
};

// Runs the command; returns the process exit code (0 after a signal or the duration,
// 2 for a bad scenario, 3 if an address cannot be bound). Never throws.
int serve_command(const ServeOptions& options);

}  // namespace routelab::cli
