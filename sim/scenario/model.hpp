#pragma once
// A scenario as plain data: what the TOML file says after parsing, validation and
// defaults. The runner builds a World from it; nothing here knows about TOML.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/checks/params.hpp"
#include "sim/core/distributions.hpp"
#include "sim/scenario/workload_model.hpp"

namespace routelab::scenario {

struct RackSpec {
    std::string name;
    int nodes = 1;
};

struct DatacenterSpec {
    std::string name;
    std::vector<RackSpec> racks;
};

// A node given one by one (instead of counted per rack), e.g. to pin its tokens.
struct NodeSpec {
    std::string name;        // defaults to "<dc>-<rack>-n<i>"
    std::string datacenter;
    std::string rack;
    std::vector<std::int64_t> tokens;  // empty: derived from the seed
    bool joined = true;      // false: starts outside the token ring until a join_node fault
};

struct TopologySpec {
    std::vector<DatacenterSpec> datacenters;
    std::vector<NodeSpec> nodes;   // explicit nodes, after the counted ones
    int vnodes = 16;               // tokens per node when not given explicitly
    int shards = 1;                // shards per node
};

struct NetworkSpec {
    sim::Distribution same_rack_us{sim::dist::LogNormal{60.0, 0.2}};
    sim::Distribution same_dc_us{sim::dist::LogNormal{150.0, 0.25}};
    sim::Distribution cross_dc_us{sim::dist::LogNormal{20'000.0, 0.1}};
};

// [[cluster.proxies]]: a client-routes proxy (private networking) — one endpoint per node,
// listed in system.client_routes under the connection id; each forwards to its node. The
// n-th node's endpoint is at address:port + n (step "port"), or at address + n:port
// (step "address": one address per node, for drivers that translate addresses).
struct ProxySpec {
    std::string connection_id;
    std::string address;              // IPv4 address of the first node's endpoint
    int port = 0;                     // the first node's port
    bool step_address = false;        // step = "address"
    std::vector<std::string> nodes;   // empty: every node, in topology order
    std::string datacenter;           // where the proxy sits on the network; empty: the first node's
    std::uint32_t line = 0;
};

// [[cluster.sticky_proxies]]: a session-affinity load balancer at one address in front of
// a datacenter (mock_cluster/proxy/sticky_proxy.hpp). With `connection_id`, every node of
// the datacenter gets a client route to it under that id, so a driver configured with
// client routes sends everything through it.
struct StickyProxySpec {
    std::string address;
    int port = 9042;
    std::string datacenter;           // empty: the first node's
    std::string connection_id;        // empty: no routes published
    std::uint32_t line = 0;
};

// [[cluster.keyspaces]]: one keyspace with its replication and its two tables (the
// key-value table and the clustered one, created when a workload uses it).
struct KeyspaceSpec {
    enum class Strategy { network_topology, simple };
    std::string name = "routelab";
    Strategy strategy = Strategy::network_topology;
    int replication_factor = 3;                // simple: in all; network_topology: per DC without its own entry
    std::map<std::string, int> per_dc;         // network_topology with `replication`: only the DCs listed hold replicas
    std::string table = "kv";
    std::string clustered_table = "kv_rows";
    std::uint32_t line = 0;

    // Replicas in `datacenter` (network_topology), or in all (simple, any datacenter).
    int factor_in(const std::string& datacenter) const;
};

struct ClusterSpec {
    // [[cluster.keyspaces]], the first being the workloads' default; the fields below then
    // mirror the first. Empty: the one keyspace of the fields below (keyspaces_of()).
    std::vector<KeyspaceSpec> keyspaces;
    std::string keyspace = "routelab";
    std::string table = "kv";
    std::string clustered_table = "kv_rows";   // (k bigint, c int, v blob, PRIMARY KEY (k, c)), when a workload uses rows
    int replication_factor = 3;
    sim::Distribution service_time_us{sim::dist::LogNormal{150.0, 0.4}};       // a replica's work per request
    sim::Distribution coordinator_time_us{sim::dist::LogNormal{15.0, 0.4}};    // the coordinator's own work per request
    int slots_per_shard = 1;          // concurrent service slots of each shard's FIFO queue
    bool private_link = false;        // nodes refuse clients that do not come through a proxy
    std::vector<ProxySpec> proxies;
    std::vector<StickyProxySpec> sticky_proxies;
    std::int64_t status_delay_ms = 0;  // STATUS_CHANGE DOWN goes out this long after a node stops
};

// Options of a policy as text, the way the driver's PolicyOptions takes them (numbers and
// booleans written in TOML are converted to their text).
using OptionMap = std::map<std::string, std::string>;

// [driver.client_routes]: connect through the proxies system.client_routes lists.
struct ClientRoutesSpec {
    std::vector<std::string> connection_ids;               // in preference order
    std::map<std::string, std::string> hostname_overrides;  // connection id → IPv4 address
    bool advanced_shard_awareness = false;
};

// [driver.profiles.NAME]: what a profile sets; unset fields inherit from [driver].
struct ProfileSpec {
    std::string name;
    std::optional<std::string> policy;
    OptionMap policy_options;
    std::optional<std::string> retry;
    OptionMap retry_options;
    std::optional<std::string> speculative;
    OptionMap speculative_options;
    std::optional<std::string> consistency;          // upper-case name
    std::optional<std::string> serial_consistency;   // SERIAL or LOCAL_SERIAL
    std::optional<std::int64_t> request_timeout_ms;
    // Location preference of the requests it runs (Rust's per-request routing info):
    // empty: the request's own, else none.
    std::string prefer_dc;
    std::string prefer_rack;
};

struct DriverSpec {
    std::string policy = "round_robin";
    OptionMap policy_options;        // [driver.policy_options]
    std::string retry = "default";   // retry policy
    OptionMap retry_options;         // [driver.retry_options]
    std::string speculative = "none";
    OptionMap speculative_options;   // [driver.speculative_options]
    std::uint32_t policy_line = 0;   // where the policy was chosen, for messages
    std::string local_datacenter;    // empty: the first datacenter
    std::string compression = "none";  // "none" or "lz4" (asked for in STARTUP)
    std::int64_t request_timeout_ms = 2000;
    double heartbeat_interval_s = 30;    // OPTIONS on a connection idle this long; 0: off
    double heartbeat_timeout_s = 30;     // no answer this long after a heartbeat: defunct
    std::int64_t connect_timeout_ms = 5000;   // connect + handshake; 0: no limit
    int connections_per_node = 1;
    int connections_per_shard = 1;   // sharded nodes
    bool shard_aware_port = true;    // advanced shard awareness (source-port shard selection)
    std::optional<ClientRoutesSpec> client_routes;
    bool client_timestamps = false;
    std::string session_key_payload;     // custom-payload entry carrying the session key; empty: not sent
    std::vector<ProfileSpec> profiles;   // in file order  // monotonic client-side timestamps (else the server stamps writes)
};

// [[clients]]: one client application (its own driver session, host and workload), with
// everything resolved: `driver` is [driver] with the client's profile and overrides on top,
// `workload` the client's own or its share of [workload]. Without [[clients]] the run has
// one client, "default" (see scenario_clients() in clients.hpp).
struct ClientSpec {
    std::string name;
    std::string datacenter;          // where its host is
    std::string rack = "client";
    double start_s = 0;              // from the workload's start
    std::optional<double> stop_s;    // empty: runs to the end of its workload
    double drain_s = 0;              // after stop_s, requests in flight get this long before the session closes
    std::vector<RestartSpec> restarts;   // in time order, inside [start_s, stop_s)
    DriverSpec driver;
    WorkloadSpec workload;
    std::uint32_t line = 0;
};

// The driver settings a profile runs with: [driver] with the profile's fields on top.
DriverSpec with_profile(const DriverSpec& driver, const ProfileSpec& profile);
const ProfileSpec* find_profile(const DriverSpec& driver, const std::string& name);
// The run's keyspaces: those declared, else the one of the [cluster] fields.
std::vector<KeyspaceSpec> keyspaces_of(const ClusterSpec& cluster);
// The keyspace named `name` (empty: the default, the first); none if no such keyspace.
std::optional<KeyspaceSpec> find_keyspace(const ClusterSpec& cluster, const std::string& name);

// One step of the fault timeline. Which fields matter depends on the action (see
// scenarios/README.md); a `duration_s` makes the fault revert by itself.
struct FaultSpec {
    enum class Action {
        stop_node, start_node, stop_rack, start_rack, stop_dc, start_dc, slow_node, slow_shard,
        add_latency, partition, heal, inject_error, clear_errors, set_route, remove_route,
        decommission_node, join_node,
        blackhole_node, reset_connections, replace_node, flap_node, schema_change, client_pause,
    };
    Action action = Action::stop_node;
    double at_s = 0;                 // simulated seconds after the workload starts
    double duration_s = 0;           // 0: stays until another fault changes it
    std::string node;                // a node name, or "client" where hosts are meant
    std::string peer;                // partition/heal: the other host (node name or "client")
    std::string datacenter;
    std::string rack;
    int shard = 0;
    std::int64_t factor = 1;         // slow_*: service-time multiplier
    double latency_us = 0;           // add_latency: extra one-way latency on the host's links
    std::string error;               // inject_error: unavailable, read_timeout, write_timeout, overloaded, server_error, read_failure, write_failure, or "delay"
    std::string operation = "any";   // inject_error: read, write or any
    double probability = 1.0;        // inject_error
    double delay_ms = 0;             // inject_error: added before coordinating
    std::string connection_id;       // set_route, remove_route
    std::string address;             // set_route: the proxy endpoint's IPv4 address
    int port = 0;                    // set_route
    // Repetition (any action): `count` applications, `every_s` apart (each with its own
    // duration and fault_events row). flap_node: `count` down/up cycles `period_s` apart,
    // down for `down_s` of each (default half the period).
    int count = 1;
    double every_s = 0;
    double period_s = 0;             // flap_node
    double down_s = 0;               // flap_node
    std::string statement;           // schema_change: the DDL statement
    std::string client;              // client_pause: the [[clients]] name ("default" without [[clients]])
    std::uint32_t line = 0;          // where it was written, for messages
};

// The action's name as a scenario writes it ("stop_node").
std::string_view fault_action_name(FaultSpec::Action action);

// [[checks]]: one check of the run's verdict (scenarios/README.md). The parameters were
// checked against the checker's list in the registry (sim/checks/registry.hpp).
struct CheckSpec {
    std::string name;                // the checker
    std::string id;                  // a label for reports; empty: none
    checks::Params params;
    checks::ScopeSpec during;        // default: the whole run
    std::string client;              // the client application checked; empty: every one
    std::uint32_t line = 0;
};

struct OutputSpec {
    double window_s = 1.0;           // width of time-series windows in results and plots
};

struct Scenario {
    std::string name;
    std::string description;
    std::string source_path;         // file it was read from, for messages
    std::uint64_t seed = 1;
    TopologySpec topology;
    NetworkSpec network;
    ClusterSpec cluster;
    WorkloadSpec workload;
    DriverSpec driver;
    std::vector<ClientSpec> clients;   // [[clients]] in file order; empty: one "default" client
    std::vector<FaultSpec> faults;   // in time order
    OutputSpec output;
    std::vector<CheckSpec> checks;   // in file order; empty: the default set
};

}  // namespace routelab::scenario
