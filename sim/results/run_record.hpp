#pragma once
// Everything a finished run reports, as plain data: the runner fills it, the results
// database stores it, the CLI prints it. Time series are pre-aggregated per window so a
// long run does not store one row per request.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"

#include "sim/core/histogram.hpp"

namespace routelab::results {

struct Window {
    double start_s = 0;                 // simulated time at the window's start
    std::uint64_t requests = 0;         // requests that ended in this window
    std::uint64_t errors = 0;           // of which failed (error or timeout)
    std::uint64_t timeouts = 0;         // of which client-side timeouts
    std::int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
};

struct NodeLoad {
    std::string node;                   // node name
    std::string address;                // its address as the driver sees it
    std::string datacenter;
    std::string rack;
    std::uint64_t requests_coordinated = 0;
    std::uint64_t replica_ops = 0;      // replica reads, writes and Paxos rounds it served (hint replays included)
    std::uint64_t hints_stored = 0;     // hints it stored as a coordinator for replicas that were down
    std::uint64_t hints_replayed = 0;   // hints other nodes replayed to it once it was back up
};

// One client application's requests (a [[clients]] entry, or "default").
struct ClientLoad {
    std::string client;                 // its name
    std::string datacenter;             // where its host is
    std::string rack;
    std::string address;                // its host's address
    std::uint64_t requests = 0;         // operations issued (a paged read is one, however many pages)
    std::uint64_t completed = 0;
    std::uint64_t errors = 0;           // incl. timeouts and aborted
    std::uint64_t timeouts = 0;
    std::uint64_t aborted = 0;          // ended because the client's session closed (a stop or restart)
    std::uint64_t sessions = 0;         // driver sessions that connected (1 + restarts that came back)
    double first_request_s = -1;        // issue time of its first and last operation, from the workload's start (-1: none)
    double last_request_s = -1;
    sim::LatencyHistogram latency_ns;   // its successful operations
};

// A fault of the timeline: when it was applied and reverted, relative to the workload's
// start (end_s < 0: never reverted during the run).
struct FaultWindow {
    double start_s = 0;
    double end_s = -1;
    std::string description;
};

// One check of the run (sim/checks): what it measured against which limit, and where it
// first broke. Times are seconds after the workload's start.
struct CheckRecord {
    std::string name;                   // the checker, e.g. "max_error_rate"
    std::string label;                  // the check's `id`; empty: none given
    std::string scope;                  // "run", "faults", "steady" or "[from, to) s"
    std::string client;                 // the client application checked
    bool passed = true;
    std::string measure;                // what `value` is, e.g. "error rate"
    double value = 0;
    double limit = 0;
    std::string value_text;             // value and limit as printed, e.g. "45.2%", "<= 1%"
    std::string limit_text;
    std::string detail;                 // more about the first breach (empty if none)
    std::optional<double> first_at_s;   // where it first broke
    std::optional<std::uint64_t> first_request;
    std::string first_node;             // empty: no node to blame
};

// Per-window breakdowns of the requests that ended in a window (same windows as `windows`).
struct WindowErrorCount {
    double start_s = 0;
    std::string kind;                   // checks::ErrorKind name
    std::uint64_t requests = 0;
};
struct WindowNodeLoad {
    double start_s = 0;
    std::string node;
    std::uint64_t attempts = 0;         // attempts sent to the node
    std::uint64_t answered = 0;         // successful requests it answered
};
struct WindowAttempts {
    double start_s = 0;
    std::uint64_t requests = 0;
    std::uint64_t attempts = 0;
    std::uint64_t retries = 0;          // attempts the retry policy caused
    std::uint64_t speculative = 0;      // extra executions speculative execution started
    std::uint64_t in_flight_max = 0;    // most requests in flight at once during the window
};
struct WindowPlanPosition {
    double start_s = 0;
    int position = 0;                   // 0: the plan's first target answered
    std::uint64_t requests = 0;
};
// The successful requests a node answered in a window (as their coordinator) and their latency.
struct WindowNodeLatency {
    double start_s = 0;
    std::string node;
    std::uint64_t requests = 0;
    std::int64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
};
// One client application's requests that ended in a window; latency of the successful ones.
struct WindowClientLoad {
    double start_s = 0;
    std::string client;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::int64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
};
// Successful requests with a session key in a window, and how many of them were answered
// by another node than their session's previous successful request.
struct WindowAffinity {
    double start_s = 0;
    std::uint64_t keyed_requests = 0;
    std::uint64_t moved = 0;
};

// Per window, per node and shard: the pieces of work (coordinator steps, replica
// operations) that joined the shard's queue, and its backlog when the window was sampled
// (how long work arriving then would wait for a slot, microseconds).
struct WindowShardLoad {
    double start_s = 0;
    std::string node;
    int shard = 0;
    std::uint64_t work = 0;
    double backlog_us = 0;
};

// Per window and node: client connections its CQL server held open when sampled.
struct WindowNodeConnections {
    double start_s = 0;
    std::string node;
    std::uint64_t connections = 0;
};

// A node starting or ceasing to serve (up and a ring member) in the cluster itself: the
// truth the driver's marks are compared with. Seconds after the workload's start.
struct NodeTransition {
    double time_s = 0;
    std::string node;
    bool up = false;
};
// A client's driver marking a node down or up, and the real transition it reacted to: the
// node's latest transition to the same state at or before the mark (none: the driver
// marked a node that was in the other state, or in that state since the start).
struct DriverNodeMark {
    std::string client;
    std::string node;
    double time_s = 0;
    bool up = false;
    std::optional<double> truth_s;
};

// One `key = value` of the configuration a run used (sim/runner/resolved_config.hpp).
struct ConfigEntry {
    std::string key;
    std::string value;
};

struct RunRecord {
    std::string scenario_name;
    std::string scenario_path;
    std::string scenario_hash;          // hex hash of the scenario file's bytes
    std::string scenario_text;          // the scenario file's bytes as read (empty: not known)
    std::string scenario_overrides;     // the run's --set overrides, one "KEY = VALUE" line each
    std::vector<sim::TraceCheckpoint> trace_checkpoints;  // the trace at every window_s of simulated time
    std::vector<sim::TraceEvent> captured_events;         // only with RunOptions::capture; not stored
    std::vector<ConfigEntry> configuration;   // resolved, in a stable order
    std::string build;                  // version + build type
    std::string policy;
    std::uint64_t seed = 0;
    std::uint64_t trace_hash = 0;
    std::uint64_t trace_events = 0;
    std::uint64_t events_run = 0;       // scheduler events
    double simulated_s = 0;
    double wall_s = 0;
    std::uint64_t requests = 0;         // requests issued by the workload
    std::uint64_t completed = 0;        // ended with a result
    std::uint64_t errors = 0;           // ended with an error (incl. timeouts)
    std::uint64_t timeouts = 0;
    std::uint64_t lost = 0;             // issued but never ended (must be 0)
    std::string verdict = "pass";       // "pass" or "fail: <why>"
    sim::LatencyHistogram latency_ns;   // all successful requests
    std::vector<Window> windows;
    std::vector<NodeLoad> nodes;
    std::vector<ClientLoad> clients;    // in scenario order
    std::vector<FaultWindow> faults;
    // Requests that carried a session key (0: none did), and where they landed.
    struct Affinity {
        std::uint64_t sessions = 0;
        std::uint64_t keyed_requests = 0;
        std::uint64_t same_node = 0;     // on the node of the session's previous request
        std::uint64_t moved = 0;         // on another one
    } affinity;
    std::vector<CheckRecord> checks;    // in the scenario's order
    std::vector<WindowErrorCount> window_errors;
    std::vector<WindowNodeLoad> window_node_load;
    std::vector<WindowAttempts> window_attempts;
    std::vector<WindowPlanPosition> window_plan_positions;
    std::vector<WindowNodeLatency> window_node_latency;
    std::vector<WindowClientLoad> window_client_load;
    std::vector<WindowAffinity> window_affinity;
    std::vector<WindowShardLoad> window_shard_load;
    std::vector<WindowNodeConnections> window_connections;
    std::vector<NodeTransition> node_transitions;   // in time order
    std::vector<DriverNodeMark> driver_marks;       // in time order
};

}  // namespace routelab::results
