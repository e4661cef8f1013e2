#include "sim/scenario/parse.hpp"

#include "sim/scenario/checks_spec.hpp"
#include "sim/scenario/faults_spec.hpp"
#include "driver/policy/registry.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <toml.hpp>

#include "sim/net/endpoint.hpp"
#include "sim/scenario/apply_overrides.hpp"
#include "sim/scenario/nodes.hpp"
#include "sim/scenario/client_routes_config.hpp"
#include "sim/scenario/distribution_spec.hpp"
#include "sim/scenario/driver_fields.hpp"
#include "sim/scenario/keyspaces_spec.hpp"
#include "sim/scenario/number_tokens.hpp"
#include "sim/scenario/text_limits.hpp"
#include "sim/scenario/toml_fields.hpp"
#include "sim/scenario/validate.hpp"
#include "sim/scenario/workload_spec.hpp"
#include "sim/scenario/clients_spec.hpp"

namespace routelab::scenario {
namespace {

using detail::Context;
using detail::NumberRule;
using detail::check_driver_policies;
using detail::consistency_or;
using detail::option_map;

constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();
constexpr double min_window_s = 0.001;
constexpr double max_windows = 1'000'000;

std::string indexed(const std::string& base, std::size_t i) {
    return base + "[" + std::to_string(i) + "]";
}

int to_int(std::int64_t v) { return static_cast<int>(v); }  // callers bound v to int range

// An optional sub-table: nullptr if absent, error if present but not a table.
const toml::value* optional_table(const Context& ctx, const toml::value& parent,
                                  const std::string& path, std::string_view key) {
    const auto* v = detail::find(ctx, parent, path, key);
    if (v == nullptr) return nullptr;
    return &detail::expect_table(ctx, *v, detail::join_path(path, key));
}

void read_scenario_table(const Context& ctx, const toml::value& root, Scenario& s) {
    const auto& t = detail::expect_table(ctx, detail::require(ctx, root, "", "scenario"), "scenario");
    const std::string p = "scenario";
    detail::check_keys(ctx, t, p, {"name", "description", "seed"});
    s.name = detail::expect_name(ctx, detail::require(ctx, t, p, "name"), "scenario.name");
    s.description = detail::string_or(ctx, t, p, "description", "");
    s.seed = static_cast<std::uint64_t>(detail::integer_or(ctx, t, p, "seed", 0, int_max, 1));
}

RackSpec read_rack(const Context& ctx, const toml::value& v, const std::string& p) {
    const auto& t = detail::expect_table(ctx, v, p);
    ctx.locations->set(p, detail::line_of(t));
    detail::check_keys(ctx, t, p, {"name", "nodes"});
    RackSpec rack;
    rack.name = detail::expect_name(ctx, detail::require(ctx, t, p, "name"), p + ".name");
    rack.nodes = to_int(detail::integer_or(ctx, t, p, "nodes", 1, 10'000, 1));
    return rack;
}

DatacenterSpec read_datacenter(const Context& ctx, const toml::value& v, const std::string& p) {
    const auto& t = detail::expect_table(ctx, v, p);
    ctx.locations->set(p, detail::line_of(t));
    detail::check_keys(ctx, t, p, {"name", "racks"});
    DatacenterSpec dc;
    dc.name = detail::expect_name(ctx, detail::require(ctx, t, p, "name"), p + ".name");
    if (const auto* racks = detail::find(ctx, t, p, "racks")) {
        const auto& list = detail::expect_array(ctx, *racks, p + ".racks");
        for (std::size_t i = 0; i < list.size(); ++i) {
            dc.racks.push_back(read_rack(ctx, list[i], indexed(p + ".racks", i)));
        }
    }
    return dc;
}

NodeSpec read_node(const Context& ctx, const toml::value& v, const std::string& p) {
    const auto& t = detail::expect_table(ctx, v, p);
    ctx.locations->set(p, detail::line_of(t));
    detail::check_keys(ctx, t, p, {"name", "datacenter", "rack", "tokens", "joined"});
    NodeSpec node;
    if (const auto* name = detail::find(ctx, t, p, "name")) {
        node.name = detail::expect_name(ctx, *name, p + ".name");
    }
    node.datacenter = detail::expect_name(ctx, detail::require(ctx, t, p, "datacenter"), p + ".datacenter");
    node.rack = detail::expect_name(ctx, detail::require(ctx, t, p, "rack"), p + ".rack");
    if (const auto* tokens = detail::find(ctx, t, p, "tokens")) {
        const auto& list = detail::expect_array(ctx, *tokens, p + ".tokens");
        if (list.size() > 4096) {
            detail::fail(ctx, detail::line_of(*tokens), p + ".tokens",
                         "expected at most 4096 tokens, got " + std::to_string(list.size()));
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            node.tokens.push_back(detail::expect_integer(ctx, list[i], indexed(p + ".tokens", i),
                                                         std::numeric_limits<std::int64_t>::min(),
                                                         int_max));
        }
    }
    if (const auto* joined = detail::find(ctx, t, p, "joined")) {
        if (!joined->is_boolean())
            detail::fail(ctx, detail::line_of(*joined), p + ".joined", "expected true or false, got " + detail::describe(*joined));
        node.joined = joined->as_boolean();
    }
    return node;
}

void read_topology(const Context& ctx, const toml::value& root, TopologySpec& topo) {
    const auto* t = optional_table(ctx, root, "", "topology");
    if (t == nullptr) return;  // validate() reports the missing nodes
    const std::string p = "topology";
    detail::check_keys(ctx, *t, p, {"vnodes", "shards", "datacenters", "nodes"});
    topo.vnodes = to_int(detail::integer_or(ctx, *t, p, "vnodes", 1, 4096, topo.vnodes));
    topo.shards = to_int(detail::integer_or(ctx, *t, p, "shards", 1, 1024, topo.shards));
    if (const auto* dcs = detail::find(ctx, *t, p, "datacenters")) {
        const auto& list = detail::expect_array(ctx, *dcs, "topology.datacenters");
        for (std::size_t i = 0; i < list.size(); ++i) {
            topo.datacenters.push_back(read_datacenter(ctx, list[i], indexed("topology.datacenters", i)));
        }
    }
    if (const auto* nodes = detail::find(ctx, *t, p, "nodes")) {
        const auto& list = detail::expect_array(ctx, *nodes, "topology.nodes");
        for (std::size_t i = 0; i < list.size(); ++i) {
            topo.nodes.push_back(read_node(ctx, list[i], indexed("topology.nodes", i)));
        }
        const bool counted = std::any_of(topo.datacenters.begin(), topo.datacenters.end(), [](const DatacenterSpec& dc) {
            return std::any_of(dc.racks.begin(), dc.racks.end(), [](const RackSpec& r) { return r.nodes > 0; });
        });
        if (!counted && !topo.nodes.empty() &&
            std::none_of(topo.nodes.begin(), topo.nodes.end(), [](const NodeSpec& n) { return n.joined; })) {
            const auto& first = detail::expect_table(ctx, list[0], "topology.nodes[0]");
            detail::fail(ctx, detail::line_of(*detail::find(ctx, first, "topology.nodes[0]", "joined")), "topology.nodes[0].joined",
                         "every node has joined = false: at least one must start in the ring");
        }
    }
}

void distribution_or(const Context& ctx, const toml::value& t, const std::string& p,
                     std::string_view key, sim::Distribution& out) {
    if (const auto* v = detail::find(ctx, t, p, key)) {
        out = detail::read_distribution(ctx, *v, detail::join_path(p, key));
    }
}

void read_network(const Context& ctx, const toml::value& root, NetworkSpec& net) {
    const auto* t = optional_table(ctx, root, "", "network");
    if (t == nullptr) return;
    const std::string p = "network";
    detail::check_keys(ctx, *t, p, {"same_rack", "same_dc", "cross_dc"});
    distribution_or(ctx, *t, p, "same_rack", net.same_rack_us);
    distribution_or(ctx, *t, p, "same_dc", net.same_dc_us);
    distribution_or(ctx, *t, p, "cross_dc", net.cross_dc_us);
}

std::string identifier_or(const Context& ctx, const toml::value& t, const std::string& p,
                          std::string_view key, std::string fallback) {
    const auto* v = detail::find(ctx, t, p, key);
    if (v == nullptr) return fallback;
    const std::string field = detail::join_path(p, key);
    std::string s = detail::expect_string(ctx, *v, field);
    const bool ok = !s.empty() && s.size() <= 48 &&
                    (std::isalpha(static_cast<unsigned char>(s.front())) != 0) &&
                    std::all_of(s.begin(), s.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
                    });
    if (!ok) {
        detail::fail(ctx, detail::line_of(*v), field,
                     "expected a CQL identifier (a letter, then letters, digits or '_'), got " +
                         detail::describe(*v));
    }
    return s;
}

ProxySpec read_proxy(const Context& ctx, const toml::value& v, const std::string& p, const TopologySpec& topology) {
    const auto& t = detail::expect_table(ctx, v, p);
    detail::check_keys(ctx, t, p, {"connection_id", "address", "port", "nodes", "datacenter", "step"});
    ProxySpec proxy;
    proxy.line = detail::line_of(t);
    const auto& id = detail::require(ctx, t, p, "connection_id");
    proxy.connection_id = detail::expect_string(ctx, id, p + ".connection_id");
    if (proxy.connection_id.empty()) detail::fail(ctx, detail::line_of(id), p + ".connection_id", "expected a non-empty connection id");
    const auto& address = detail::require(ctx, t, p, "address");
    proxy.address = detail::expect_string(ctx, address, p + ".address");
    const auto ip = net::parse_ipv4(proxy.address);
    if (!ip || (*ip >> 24) != 127)
        detail::fail(ctx, detail::line_of(address), p + ".address",
                     "expected a loopback IPv4 address such as \"127.0.2.1\" (nodes use 127.0.0.x), got \"" + proxy.address + "\"");
    const auto nodes = all_nodes(topology);
    proxy.port = static_cast<int>(detail::expect_integer(ctx, detail::require(ctx, t, p, "port"), p + ".port", 1,
                                                         65535 - static_cast<std::int64_t>(nodes.size())));
    if (const auto* list = detail::find(ctx, t, p, "nodes")) {
        const auto& names = detail::expect_array(ctx, *list, p + ".nodes");
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string field = indexed(p + ".nodes", i);
            const std::string name = detail::expect_string(ctx, names[i], field);
            if (std::none_of(nodes.begin(), nodes.end(), [&](const NodeSpec& n) { return n.name == name; }))
                detail::fail(ctx, detail::line_of(names[i]), field, "unknown node \"" + name + "\"");
            proxy.nodes.push_back(name);
        }
    }
    proxy.datacenter = detail::string_or(ctx, t, p, "datacenter", "");
    const std::string step = detail::string_or(ctx, t, p, "step", "port");
    if (step != "port" && step != "address")
        detail::fail(ctx, detail::line_of(*detail::find(ctx, t, p, "step")), p + ".step", "expected \"port\" or \"address\", got \"" + step + "\"");
    proxy.step_address = step == "address";
    if (proxy.step_address && (*ip & 0xFF) + nodes.size() > 255)
        detail::fail(ctx, detail::line_of(address), p + ".address", "too high for one address per node (the last octet would pass 255)");
    if (!proxy.datacenter.empty() &&
        std::none_of(nodes.begin(), nodes.end(), [&](const NodeSpec& n) { return n.datacenter == proxy.datacenter; }))
        detail::fail(ctx, detail::line_of(*detail::find(ctx, t, p, "datacenter")), p + ".datacenter",
                     "unknown datacenter \"" + proxy.datacenter + "\"");
    return proxy;
}

void read_cluster(const Context& ctx, const toml::value& root, ClusterSpec& cluster, const TopologySpec& topology) {
    const auto* t = optional_table(ctx, root, "", "cluster");
    if (t == nullptr) return detail::read_keyspaces(ctx, nullptr, cluster, topology);
    const std::string p = "cluster";
    detail::check_keys(ctx, *t, p, {"keyspace", "table", "replication_factor", "service_time", "coordinator_time", "slots_per_shard", "private_link",
                                    "proxies", "sticky_proxies", "status_delay_ms", "clustered_table", "keyspaces"});
    cluster.status_delay_ms = detail::integer_or(ctx, *t, p, "status_delay_ms", 0, 600'000, cluster.status_delay_ms);
    if (const auto* list = detail::find(ctx, *t, p, "sticky_proxies")) {
        const auto& items = detail::expect_array(ctx, *list, p + ".sticky_proxies");
        const auto nodes = all_nodes(topology);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string path = indexed(p + ".sticky_proxies", i);
            const auto& item = detail::expect_table(ctx, items[i], path);
            detail::check_keys(ctx, item, path, {"address", "port", "datacenter", "connection_id"});
            StickyProxySpec sticky;
            sticky.line = detail::line_of(item);
            const auto& address = detail::require(ctx, item, path, "address");
            sticky.address = detail::expect_string(ctx, address, path + ".address");
            const auto ip = net::parse_ipv4(sticky.address);
            if (!ip || (*ip >> 24) != 127)
                detail::fail(ctx, detail::line_of(address), path + ".address",
                             "expected a loopback IPv4 address such as \"127.0.5.1\", got \"" + sticky.address + "\"");
            sticky.port = static_cast<int>(detail::integer_or(ctx, item, path, "port", 1, 65535, sticky.port));
            sticky.datacenter = detail::string_or(ctx, item, path, "datacenter", "");
            if (!sticky.datacenter.empty() &&
                std::none_of(nodes.begin(), nodes.end(), [&](const NodeSpec& n) { return n.datacenter == sticky.datacenter; }))
                detail::fail(ctx, detail::line_of(*detail::find(ctx, item, path, "datacenter")), path + ".datacenter",
                             "unknown datacenter \"" + sticky.datacenter + "\"");
            sticky.connection_id = detail::string_or(ctx, item, path, "connection_id", "");
            cluster.sticky_proxies.push_back(std::move(sticky));
        }
    }
    if (const auto* v = detail::find(ctx, *t, p, "private_link")) {
        if (!v->is_boolean()) detail::fail(ctx, detail::line_of(*v), p + ".private_link", "expected true or false, got " + detail::describe(*v));
        cluster.private_link = v->as_boolean();
    }
    if (const auto* list = detail::find(ctx, *t, p, "proxies")) {
        const auto& items = detail::expect_array(ctx, *list, p + ".proxies");
        for (std::size_t i = 0; i < items.size(); ++i)
            cluster.proxies.push_back(read_proxy(ctx, items[i], indexed(p + ".proxies", i), topology));
    }
    if (cluster.private_link && cluster.proxies.empty())
        detail::fail(ctx, detail::line_of(*t), p + ".private_link", "private_link = true needs at least one [[cluster.proxies]] to reach the nodes");
    cluster.keyspace = identifier_or(ctx, *t, p, "keyspace", cluster.keyspace);
    cluster.table = identifier_or(ctx, *t, p, "table", cluster.table);
    cluster.clustered_table = identifier_or(ctx, *t, p, "clustered_table", cluster.clustered_table);
    if (cluster.clustered_table == cluster.table) {
        const auto* at = detail::find(ctx, *t, p, "clustered_table");
        if (at == nullptr) at = detail::find(ctx, *t, p, "table");   // the table took the default clustered name
        detail::fail(ctx, detail::line_of(*at), p + ".clustered_table", "must differ from cluster.table (\"" + cluster.table + "\")");
    }
    cluster.replication_factor =
        to_int(detail::integer_or(ctx, *t, p, "replication_factor", 1, 100, cluster.replication_factor));
    distribution_or(ctx, *t, p, "service_time", cluster.service_time_us);
    distribution_or(ctx, *t, p, "coordinator_time", cluster.coordinator_time_us);
    cluster.slots_per_shard = to_int(detail::integer_or(ctx, *t, p, "slots_per_shard", 1, 1024, cluster.slots_per_shard));
    detail::read_keyspaces(ctx, t, cluster, topology);
}

// [driver.client_routes]: connection_ids (non-empty list of strings), optional
// hostname_overrides (id → IPv4 address) and advanced_shard_awareness. The driver's own
// check (TLS, duplicates, overrides) reports at the table's line.
void read_client_routes(const Context& ctx, const toml::value& driver, DriverSpec& d) {
    const std::string p = "driver.client_routes";
    const auto* v = detail::find(ctx, driver, "driver", "client_routes");
    if (v == nullptr) return;
    const auto& t = detail::expect_table(ctx, *v, p);
    detail::check_keys(ctx, t, p, {"connection_ids", "hostname_overrides", "advanced_shard_awareness"});
    ClientRoutesSpec spec;
    const auto& ids = detail::expect_array(ctx, detail::require(ctx, t, p, "connection_ids"), p + ".connection_ids");
    for (const auto& id : ids) spec.connection_ids.push_back(detail::expect_string(ctx, id, p + ".connection_ids"));
    if (const auto* overrides = detail::find(ctx, t, p, "hostname_overrides")) {
        for (const auto& [id, address] : detail::expect_table(ctx, *overrides, p + ".hostname_overrides").as_table()) {
            const std::string field = p + ".hostname_overrides." + std::string(id);
            if (std::find(spec.connection_ids.begin(), spec.connection_ids.end(), std::string(id)) == spec.connection_ids.end())
                detail::fail(ctx, detail::line_of(address), field, "not one of connection_ids");
            spec.hostname_overrides[std::string(id)] = detail::expect_string(ctx, address, field);
        }
    }
    if (const auto* aware = detail::find(ctx, t, p, "advanced_shard_awareness")) {
        if (!aware->is_boolean()) detail::fail(ctx, detail::line_of(*aware), p + ".advanced_shard_awareness", "expected true or false, got " + detail::describe(*aware));
        spec.advanced_shard_awareness = aware->as_boolean();
    }
    if (auto why = driver::check_client_routes_config(to_client_routes_config(spec), false))
        detail::fail(ctx, detail::line_of(t), p, *why);
    d.client_routes = std::move(spec);
}

// [driver.profiles.NAME] tables: each checked like [driver] itself, with its fields on top
// of [driver]'s (so `profiles.fast = { speculative = "constant" }` keeps the policy).
void read_profiles(const Context& ctx, const toml::value& driver, DriverSpec& d) {
    const auto* v = detail::find(ctx, driver, "driver", "profiles");
    if (v == nullptr) return;
    const std::string path = "driver.profiles";
    const auto& profiles = detail::expect_table(ctx, *v, path);
    std::vector<std::pair<std::uint32_t, std::string>> by_line;   // toml11 tables are unordered: keep file order
    for (const auto& [name, body] : profiles.as_table()) by_line.emplace_back(detail::line_of(body), name);
    std::sort(by_line.begin(), by_line.end());
    for (const auto& [line, name] : by_line) {
        const std::string p = detail::join_path(path, name);
        const auto& t = detail::expect_table(ctx, profiles.as_table().at(name), p);
        if (name == "default") detail::fail(ctx, line, p, "'default' is [driver] itself; name the profile otherwise");
        detail::check_keys(ctx, t, p,
                           {"policy", "policy_options", "retry", "retry_options", "speculative", "speculative_options",
                            "consistency", "serial_consistency", "request_timeout_ms", "prefer_dc", "prefer_rack"});
        ProfileSpec profile;
        profile.name = name;
        if (const auto* x = detail::find(ctx, t, p, "policy")) profile.policy = detail::expect_name(ctx, *x, p + ".policy");
        if (const auto* x = detail::find(ctx, t, p, "retry")) profile.retry = detail::expect_name(ctx, *x, p + ".retry");
        if (const auto* x = detail::find(ctx, t, p, "speculative")) profile.speculative = detail::expect_name(ctx, *x, p + ".speculative");
        profile.policy_options = option_map(ctx, t, p, "policy_options");
        profile.retry_options = option_map(ctx, t, p, "retry_options");
        profile.speculative_options = option_map(ctx, t, p, "speculative_options");
        if (detail::find(ctx, t, p, "consistency")) profile.consistency = consistency_or(ctx, t, p, "");
        if (const auto* x = detail::find(ctx, t, p, "serial_consistency")) {
            const std::string serial = consistency_or(ctx, t, p, "", "serial_consistency");
            if (serial != "SERIAL" && serial != "LOCAL_SERIAL")
                detail::fail(ctx, detail::line_of(*x), p + ".serial_consistency", "expected SERIAL or LOCAL_SERIAL, got \"" + serial + "\"");
            profile.serial_consistency = serial;
        }
        if (detail::find(ctx, t, p, "request_timeout_ms"))
            profile.request_timeout_ms = detail::integer_or(ctx, t, p, "request_timeout_ms", 1, 86'400'000, 0);
        profile.prefer_dc = detail::string_or(ctx, t, p, "prefer_dc", "");
        profile.prefer_rack = detail::string_or(ctx, t, p, "prefer_rack", "");
        check_driver_policies(ctx, t, with_profile(d, profile));
        d.profiles.push_back(std::move(profile));
    }
}

void read_driver(const Context& ctx, const toml::value& root, DriverSpec& d) {
    const auto* t = optional_table(ctx, root, "", "driver");
    if (t == nullptr) return;
    const std::string p = "driver";
    detail::check_keys(ctx, *t, p,
                       {"policy", "policy_options", "retry", "retry_options", "speculative", "speculative_options",
                        "local_datacenter", "request_timeout_ms", "connections_per_node", "compression",
                        "client_routes", "client_timestamps", "profiles", "connections_per_shard", "shard_aware_port",
                        "session_key_payload", "heartbeat_interval_s", "heartbeat_timeout_s", "connect_timeout_ms"});
    detail::read_connection_timeouts(ctx, *t, p, d);
    d.session_key_payload = detail::string_or(ctx, *t, p, "session_key_payload", d.session_key_payload);
    if (const auto* aware = detail::find(ctx, *t, p, "shard_aware_port")) {
        if (!aware->is_boolean())
            detail::fail(ctx, detail::line_of(*aware), "driver.shard_aware_port", "expected true or false, got " + detail::describe(*aware));
        d.shard_aware_port = aware->as_boolean();
    }
    d.connections_per_shard = to_int(detail::integer_or(ctx, *t, p, "connections_per_shard", 1, 64, d.connections_per_shard));
    if (const auto* stamps = detail::find(ctx, *t, p, "client_timestamps")) {
        if (!stamps->is_boolean())
            detail::fail(ctx, detail::line_of(*stamps), "driver.client_timestamps", "expected true or false, got " + detail::describe(*stamps));
        d.client_timestamps = stamps->as_boolean();
    }
    read_client_routes(ctx, *t, d);
    if (const auto* compression = detail::find(ctx, *t, p, "compression")) {
        d.compression = detail::expect_string(ctx, *compression, "driver.compression");
        if (d.compression != "none" && d.compression != "lz4")
            detail::fail(ctx, detail::line_of(*compression), "driver.compression", "expected \"none\" or \"lz4\", got \"" + d.compression + "\"");
    }
    d.policy_line = detail::line_of(*t);
    if (const auto* policy = detail::find(ctx, *t, p, "policy")) {
        d.policy = detail::expect_name(ctx, *policy, "driver.policy");
        d.policy_line = detail::line_of(*policy);
    }
    if (const auto* retry = detail::find(ctx, *t, p, "retry")) d.retry = detail::expect_name(ctx, *retry, "driver.retry");
    if (const auto* spec = detail::find(ctx, *t, p, "speculative")) d.speculative = detail::expect_name(ctx, *spec, "driver.speculative");
    d.policy_options = option_map(ctx, *t, p, "policy_options");
    d.retry_options = option_map(ctx, *t, p, "retry_options");
    d.speculative_options = option_map(ctx, *t, p, "speculative_options");
    check_driver_policies(ctx, *t, d);
    read_profiles(ctx, *t, d);
    if (const auto* local = detail::find(ctx, *t, p, "local_datacenter")) {
        d.local_datacenter = detail::expect_name(ctx, *local, "driver.local_datacenter");
    }
    d.request_timeout_ms =
        detail::integer_or(ctx, *t, p, "request_timeout_ms", 1, 86'400'000, d.request_timeout_ms);
    d.connections_per_node =
        to_int(detail::integer_or(ctx, *t, p, "connections_per_node", 1, 64, d.connections_per_node));
}

// Windows of at least 1 ms, and at most max_windows of them in the workload: each window is
// a row per series in the results, so their number must stay bounded.
void read_output(const Context& ctx, const toml::value& root, OutputSpec& o, const WorkloadSpec& w) {
    const auto* t = optional_table(ctx, root, "", "output");
    if (t == nullptr) return;
    const std::string p = "output";
    detail::check_keys(ctx, *t, p, {"window_s"});
    o.window_s = detail::time_or(ctx, *t, p, "window_s", NumberRule::positive, o.window_s);
    const auto* v = detail::find(ctx, *t, p, "window_s");
    if (v == nullptr) return;
    if (o.window_s < min_window_s)
        detail::fail(ctx, detail::line_of(*v), "output.window_s", "expected a window of at least 0.001 s (1 ms), got " + detail::describe(*v));
    if (w.duration_s / o.window_s > max_windows)
        detail::fail(ctx, detail::line_of(*v), "output.window_s",
                     "gives more than " + std::to_string(static_cast<std::int64_t>(max_windows)) +
                         " windows in the workload's duration_s; expected a wider window");
}

Scenario read_all(const Context& ctx, const toml::value& root) {
    detail::check_keys(ctx, root, "",
                       {"scenario", "topology", "network", "cluster", "workload", "driver", "faults", "output", "checks", "clients",
                        "explore"});   // [explore]: read by routelab explore (sim/explore), not by a run
    Scenario s;
    read_scenario_table(ctx, root, s);
    read_topology(ctx, root, s.topology);
    read_network(ctx, root, s.network);
    read_cluster(ctx, root, s.cluster, s.topology);
    detail::read_workload(ctx, root, s.workload);
    read_driver(ctx, root, s.driver);
    read_output(ctx, root, s.output, s.workload);
    detail::validate(ctx, s);
    if (!s.workload.profile.empty() && s.workload.profile != "default" && !find_profile(s.driver, s.workload.profile)) {
        const auto* w = detail::find(ctx, root, "", "workload");
        const auto* v = w ? detail::find(ctx, *w, "workload", "profile") : nullptr;
        std::string known = "default";
        for (const auto& p : s.driver.profiles) known += ", " + p.name;
        detail::fail(ctx, v ? detail::line_of(*v) : 0, "workload.profile",
                     "unknown execution profile \"" + s.workload.profile + "\" (known: " + known + ")");
    }
    detail::check_workload(ctx, root, s);   // after the driver: operations name its profiles
    detail::read_clients(ctx, root, s);     // after validation: clients name datacenters
    detail::read_faults(ctx, root, s);  // after validation: it names nodes of a valid topology
    detail::read_checks(ctx, root, s);  // after the faults: scopes name fault windows
    return s;
}

// toml11's what() is a multi-line report; its first line ("[error] reason") is the reason.
std::string first_line_reason(const char* what) {
    std::string text = what == nullptr ? "" : what;
    if (const auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
    const std::string prefix = "[error] ";
    if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
    return text.empty() ? "unknown error" : text;
}

}  // namespace

DriverSpec with_profile(const DriverSpec& driver, const ProfileSpec& profile) {
    DriverSpec d = driver;
    if (profile.policy) {
        d.policy = *profile.policy;
        d.policy_options = profile.policy_options;
    } else {
        for (const auto& [k, v] : profile.policy_options) d.policy_options[k] = v;
    }
    if (profile.retry) {
        d.retry = *profile.retry;
        d.retry_options = profile.retry_options;
    } else {
        for (const auto& [k, v] : profile.retry_options) d.retry_options[k] = v;
    }
    if (profile.speculative) {
        d.speculative = *profile.speculative;
        d.speculative_options = profile.speculative_options;
    } else {
        for (const auto& [k, v] : profile.speculative_options) d.speculative_options[k] = v;
    }
    if (profile.request_timeout_ms) d.request_timeout_ms = *profile.request_timeout_ms;
    return d;
}

const ProfileSpec* find_profile(const DriverSpec& driver, const std::string& name) {
    for (const auto& p : driver.profiles)
        if (p.name == name) return &p;
    return nullptr;
}

ParseResult parse_scenario_text(const std::string& text, const std::string& name) {
    return parse_scenario_text(text, name, {});
}

ParseResult parse_scenario_text(const std::string& text, const std::string& name,
                                const std::vector<Override>& overrides) {
    if (auto bad = detail::check_text_limits(text, name)) return *bad;
    toml::value root;
    try {
        std::istringstream in(text);
        root = toml::parse(in, name);
    } catch (const toml::exception& e) {
        // toml11 puts an error at the end of a file without a final newline on the line
        // after the last; name the last line instead.
        const auto lines = detail::line_at(text, text.size());
        return ScenarioError{name, std::min(static_cast<std::uint32_t>(e.location().line()), lines), "",
                             "TOML syntax error: " + first_line_reason(e.what())};
    } catch (const std::exception& e) {
        return ScenarioError{name, 0, "", "TOML syntax error: " + first_line_reason(e.what())};
    } catch (...) {
        return ScenarioError{name, 0, "", "TOML syntax error"};
    }

    if (auto bad = detail::apply_overrides(root, overrides)) return *bad;
    if (auto bad = detail::check_number_tokens(root, name)) {
        detail::attribute_to_flag(*bad, overrides);
        return *bad;
    }

    detail::Locations locations;
    const Context ctx{name, &locations};
    try {
        Scenario s = read_all(ctx, root);
        s.source_path = name;
        return s;
    } catch (const detail::Failure& f) {
        ScenarioError error = f.error;
        detail::attribute_to_flag(error, overrides);
        return error;
    } catch (const toml::exception& e) {
        return ScenarioError{name, static_cast<std::uint32_t>(e.location().line()), "",
                             first_line_reason(e.what())};
    } catch (const std::exception& e) {
        return ScenarioError{name, 0, "", first_line_reason(e.what())};
    } catch (...) {
        return ScenarioError{name, 0, "", "unexpected error while reading the scenario"};
    }
}

ParseResult parse_scenario_file(const std::string& path) { return parse_scenario_file(path, {}); }

ParseResult parse_scenario_file(const std::string& path, const std::vector<Override>& overrides) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return ScenarioError{path, 0, "", "is a directory, not a scenario file"};
    std::ifstream in(path, std::ios::binary);
    if (!in) return ScenarioError{path, 0, "", "cannot open the file for reading"};
    // Reads one byte past the limit at most, so a huge file (or /dev/zero) costs no more.
    std::string text(detail::max_file_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) return ScenarioError{path, 0, "", "cannot read the file"};
    text.resize(static_cast<std::size_t>(in.gcount()));
    return parse_scenario_text(text, path, overrides);
}

}  // namespace routelab::scenario
