#include "sim/cli/command_serve.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "driver/protocol/murmur3.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/cli/command_run.hpp"
#include "sim/cli/serve_timeline.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/trace.hpp"
#include "sim/live/control_params.hpp"
#include "sim/live/live_runtime.hpp"
#include "sim/live/wall_stopwatch.hpp"
#include "sim/net/endpoint.hpp"
#include "sim/runner/cluster_setup.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/parse.hpp"

namespace routelab::cli {
namespace {

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
                else out += c;
        }
    }
    return out + "\"";
}

std::string node_json(const cluster::Cluster& c, std::size_t index) {
    const auto& node = c.topology().node(index);
    std::string tokens;
    for (const std::int64_t token : node.tokens) tokens += fmt::format("{}\"{}\"", tokens.empty() ? "" : ",", token);
    return fmt::format(R"({{"name":{},"address":{},"port":{},"datacenter":{},"rack":{},"host_id":{},"up":{},"joined":{},"blackholed":{},"client_connections":{},"tokens":[{}]}})",
                       json_string(node.name), json_string(net::format_ipv4(node.ip)), c.cql_endpoint(index).port,
                       json_string(node.datacenter), json_string(node.rack), json_string(cluster::format_uuid(node.host_id)),
                       c.node_state(index).up ? "true" : "false", c.is_member(index) ? "true" : "false",
                       c.blackholed(index) ? "true" : "false", c.client_connections(index), tokens);
}

live::HttpResponse error_response(int status, std::string_view message) {
    return live::HttpResponse{status, "application/json", fmt::format("{{\"error\":{}}}\n", json_string(message))};
}

// GET /replicas/<keyspace>/<bigint key>: the token the server computes for a bigint
// partition key and the replicas it places it on, so a driver's own Murmur3 and replica
// placement can be checked against the server's.
live::HttpResponse replicas(const cluster::Cluster& c, std::string_view rest) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return error_response(404, "use GET /replicas/<keyspace>/<bigint key>");
    const std::string keyspace(rest.substr(0, slash));
    const std::string key_text(rest.substr(slash + 1));
    std::int64_t key = 0;
    const auto [end, ec] = std::from_chars(key_text.data(), key_text.data() + key_text.size(), key);
    if (ec != std::errc{} || end != key_text.data() + key_text.size()) return error_response(400, "the key must be a bigint");
    const cluster::KeyspaceDef* ks = c.schema().keyspace(keyspace);
    if (ks == nullptr) return error_response(404, "no keyspace named " + keyspace);
    std::array<std::uint8_t, 8> bytes{};
    for (int i = 0; i < 8; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(key) >> (56 - 8 * i));
    const std::int64_t token = routelab::cql::murmur3_token(bytes);
    std::string addresses;
    for (const std::uint16_t node : ks->replicas.replicas_for(token))
        addresses += (addresses.empty() ? "" : ",") + json_string(net::format_ipv4(c.topology().node(node).ip));
    return live::HttpResponse{200, "application/json",
                              fmt::format(R"({{"keyspace":{},"key":"{}","token":"{}","replicas":[{}]}})", json_string(keyspace), key,
                                          token, addresses) + "\n"};
}

std::optional<cluster::CoordinatorResult::Status> status_of(const std::string& name) {
    using S = cluster::CoordinatorResult::Status;
    const std::pair<const char*, S> names[] = {{"unavailable", S::unavailable},   {"read_timeout", S::read_timeout},
                                               {"write_timeout", S::write_timeout}, {"overloaded", S::overloaded},
                                               {"server_error", S::server_error},   {"read_failure", S::read_failure},
                                               {"write_failure", S::write_failure}};
    for (const auto& [n, s] : names)
        if (name == n) return s;
    return std::nullopt;
}

// The fault actions on one node, as the scenario timeline has them:
//   POST /nodes/<name>/slow?factor=N          service times ×N (1 = normal)
//   POST /nodes/<name>/latency?us=N           extra one-way internode latency to and from it
//   POST /nodes/<name>/error?status=S&percent=P   requests it coordinates fail with S (P% of them)
// Every value is checked (sim/live/control_params.hpp) before anything changes.
live::HttpResponse node_fault(cluster::Cluster& c, net::LinkModel& links, std::size_t index, std::string_view action,
                              const live::HttpRequest& request) {
    if (action == "slow") {
        const auto query = live::parse_query(request.target, {"factor"});
        if (!query) return error_response(400, query.error);
        const auto factor = live::integer_param(*query, "factor", 1, 1'000'000);
        if (!factor) return error_response(400, "slow: " + factor.error);
        c.slow_node(index, static_cast<std::uint32_t>(*factor));
    } else if (action == "latency") {
        const auto query = live::parse_query(request.target, {"us"});
        if (!query) return error_response(400, query.error);
        const auto us = live::integer_param(*query, "us", 0, 60'000'000);
        if (!us) return error_response(400, "latency: " + us.error);
        links.set_extra_latency(c.topology().node(index).ip, sim::Duration::from_us(*us));
    } else if (action == "error") {
        const auto query = live::parse_query(request.target, {"status", "percent"});
        if (!query) return error_response(400, query.error);
        const auto name = live::choice_param(*query, "status",
                                             {"unavailable", "read_timeout", "write_timeout", "overloaded", "server_error",
                                              "read_failure", "write_failure"});
        if (!name) return error_response(400, "error: " + name.error);
        const auto percent = live::integer_param(*query, "percent", 0, 100);
        if (!percent) return error_response(400, "error: " + percent.error);
        cluster::InjectedFault fault;
        fault.node = static_cast<std::uint16_t>(index);
        fault.per_million = static_cast<std::uint64_t>(*percent) * 10'000;
        fault.error = *status_of(*name);
        c.inject(fault);
    }
    return live::HttpResponse{200, "application/json", node_json(c, index) + "\n"};
}

std::string route_json(const cluster::Cluster& c, const cluster::ClientRoute& route) {
    std::string node;
    for (const auto& n : c.topology().nodes())
        if (n.host_id == route.host_id) node = n.name;
    return fmt::format(R"({{"connection_id":{},"node":{},"host_id":{},"address":{},"port":{}}})", json_string(route.connection_id),
                       json_string(node), json_string(cluster::format_uuid(route.host_id)), json_string(route.address),
                       route.port ? std::to_string(*route.port) : std::string("null"));
}

// GET /routes: system.client_routes and the proxy endpoints serving them.
// POST /routes/<connection id>/<node>?address=A&port=P   add or move a route (its proxy follows)
// POST /routes/<connection id>/<node>/remove             remove it
// Each change pushes CLIENT_ROUTES_CHANGE to the connections registered for it.
live::HttpResponse routes(cluster::Cluster& c, const live::HttpRequest& request, std::string_view rest, bool allow_non_loopback) {
    auto list = [&c] {
        std::string body = "{\"routes\":[";
        bool first = true;
        for (const auto& [key, route] : c.client_routes()) {
            body += (first ? "" : ",") + route_json(c, route);
            first = false;
        }
        body += "],\"proxies\":[";
        first = true;
        for (const auto& at : c.proxy_endpoints()) {
            body += fmt::format("{}{{\"endpoint\":{},\"connections\":{}}}", first ? "" : ",", json_string(at.to_string()),
                                c.proxied_connections(at));
            first = false;
        }
        return live::HttpResponse{200, "application/json", body + "]}\n"};
    };
    if (rest.empty()) {
        if (request.method != "GET") return error_response(405, "use GET /routes");
        return list();
    }
    if (request.method != "POST") return error_response(405, "use POST /routes/<connection id>/<node>[/remove]");
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return error_response(404, "use /routes/<connection id>/<node>[/remove]");
    const std::string connection_id(rest.substr(0, slash));
    std::string_view node_part = rest.substr(slash + 1);
    bool remove = false;
    if (const auto tail = node_part.find('/'); tail != std::string_view::npos) {
        if (node_part.substr(tail) != "/remove") return error_response(404, "use /routes/<connection id>/<node>[/remove]");
        remove = true;
        node_part = node_part.substr(0, tail);
    }
    const auto index = c.node_index(std::string(node_part));
    if (!index) return error_response(404, "unknown node " + std::string(node_part));
    const auto host_id = c.topology().node(*index).host_id;
    if (const auto bad_id = live::check_connection_id(connection_id)) return error_response(400, *bad_id);
    const auto query = live::parse_query(request.target, remove ? std::initializer_list<std::string_view>{}
                                                                : std::initializer_list<std::string_view>{"address", "port"});
    if (!query) return error_response(400, query.error);
    if (remove) {
        c.remove_client_routes({{connection_id, host_id}});
        return list();
    }
    const auto address = live::route_address_param(*query, "address", allow_non_loopback);
    if (!address) return error_response(400, "route: " + address.error);
    const auto port = live::integer_param(*query, "port", 1, 65535);
    if (!port) return error_response(400, "route: " + port.error);
    cluster::ClientRoute route;
    route.connection_id = connection_id;
    route.host_id = host_id;
    route.address = *address;
    route.port = static_cast<std::int32_t>(*port);
    c.upsert_client_routes({route});
    return list();
}

// GET /limits: the connection limits in force and what they did so far.
std::string limits_json(const live::LiveRuntime& runtime) {
    const live::LiveLimits& l = runtime.limits();
    const live::LiveLimitStats s = runtime.limit_stats();
    auto secs = [](sim::Duration d) { return static_cast<double>(d.ns()) / 1e9; };
    return fmt::format(R"({{"frame_buffer_bytes":{},"startup_timeout_s":{},"frame_timeout_s":{},"idle_timeout_s":{},)"
                       R"("max_connections_per_node":{},"frame_bytes_buffered":{},"frame_bytes_buffered_peak":{},)"
                       R"("connections_open":{},"connections_paused":{},"paused_total":{},"closed_startup_timeout":{},)"
                       R"("closed_frame_timeout":{},"closed_idle_timeout":{},"refused_frame_too_large":{},)"
                       R"("refused_over_connection_cap":{}}})",
                       l.frame_buffer_bytes, secs(l.startup_timeout), secs(l.frame_timeout), secs(l.idle_timeout),
                       l.max_connections_per_node, s.frame_bytes_buffered, s.frame_bytes_buffered_peak, s.connections_open,
                       s.connections_paused, s.paused_total, s.closed_startup_timeout, s.closed_frame_timeout,
                       s.closed_idle_timeout, s.refused_frame_too_large, s.refused_over_connection_cap);
}

// GET /nodes; POST /nodes/<name>/stop, /start, /decommission, /join, /blackhole, /unblackhole,
// /reset, /slow, /latency, /error; POST /errors/clear; GET /limits;
// GET /replicas/<keyspace>/<key>; GET /routes, POST /routes/<id>/<node>[/remove];
// GET /timeline, POST /timeline/start|stop.
live::HttpResponse control(cluster::Cluster& c, net::LinkModel& links, const live::LiveRuntime& runtime, ServeTimeline& timeline,
                           bool allow_non_loopback, const live::HttpRequest& request) {
    std::string_view path = request.target;
    if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
    if (const auto bad_body = live::check_empty_body(request.body)) return error_response(400, *bad_body);
    auto ends_with = [path](std::string_view tail) { return path.size() > tail.size() && path.substr(path.size() - tail.size()) == tail; };
    const bool takes_query = (path.substr(0, 7) == "/nodes/" && (ends_with("/slow") || ends_with("/latency") || ends_with("/error"))) ||
                             (path.substr(0, 8) == "/routes/" && !ends_with("/remove"));
    if (!takes_query) {
        // Requests without parameters refuse a query rather than ignore it.
        if (const auto query = live::parse_query(request.target, {}); !query) return error_response(400, query.error);
    }
    if (ServeTimeline::handles(path)) return timeline.handle(request, path);
    if (path == "/limits") {
        if (request.method != "GET") return error_response(405, "use GET /limits");
        return live::HttpResponse{200, "application/json", limits_json(runtime) + "\n"};
    }
    if (path == "/errors/clear") {
        if (request.method != "POST") return error_response(405, "use POST /errors/clear");
        c.clear_injected();
        return live::HttpResponse{200, "application/json", "{\"cleared\":true}\n"};
    }
    if (path == "/nodes" || path == "/nodes/") {
        if (request.method != "GET") return error_response(405, "use GET /nodes");
        std::string body = "{\"nodes\":[";
        for (std::size_t i = 0; i < c.topology().size(); ++i) body += (i == 0 ? "" : ",") + node_json(c, i);
        return live::HttpResponse{200, "application/json", body + "]}\n"};
    }
    if (path == "/routes" || path.substr(0, 8) == "/routes/")
        return routes(c, request, path.size() > 8 ? path.substr(8) : std::string_view(), allow_non_loopback);
    constexpr std::string_view replicas_prefix = "/replicas/";
    if (path.substr(0, replicas_prefix.size()) == replicas_prefix) {
        if (request.method != "GET") return error_response(405, "use GET /replicas/<keyspace>/<bigint key>");
        return replicas(c, path.substr(replicas_prefix.size()));
    }
    constexpr std::string_view prefix = "/nodes/";
    if (path.substr(0, prefix.size()) == prefix) {
        const std::string_view rest = path.substr(prefix.size());
        const auto slash = rest.find('/');
        const std::string name(rest.substr(0, slash));
        const auto index = c.node_index(name);
        if (!index) return error_response(404, "no node named " + name);
        if (slash == std::string_view::npos) {
            if (request.method != "GET") return error_response(405, "use GET /nodes/<name>");
            return live::HttpResponse{200, "application/json", node_json(c, *index) + "\n"};
        }
        const std::string_view action = rest.substr(slash + 1);
        if (action == "slow" || action == "latency" || action == "error") {
            if (request.method != "POST") return error_response(405, "use POST /nodes/<name>/" + std::string(action));
            return node_fault(c, links, *index, action, request);
        }
        if (action == "decommission" || action == "join") {
            if (request.method != "POST") return error_response(405, "use POST /nodes/<name>/" + std::string(action));
            if (action == "decommission" ? !c.decommission_node(*index) : !c.join_node(*index))
                return error_response(409, action == "join" ? name + " is already in the ring"
                                           : c.is_member(*index) ? name + " is the ring's last node"
                                                                 : name + " is not in the ring");
            return live::HttpResponse{200, "application/json", node_json(c, *index) + "\n"};
        }
        if (action == "blackhole" || action == "unblackhole" || action == "reset") {
            if (request.method != "POST") return error_response(405, "use POST /nodes/<name>/" + std::string(action));
            if (action == "reset") c.reset_connections(*index);
            else c.blackhole_node(*index, action == "blackhole");
            return live::HttpResponse{200, "application/json", node_json(c, *index) + "\n"};
        }
        if (action != "stop" && action != "start")
            return error_response(404, "unknown action (stop, start, decommission, join, blackhole, unblackhole, reset, slow, latency or error)");
        if (request.method != "POST") return error_response(405, "use POST /nodes/<name>/" + std::string(action));
        if (action == "stop") {
            if (c.node_state(*index).up) c.stop_node(*index);
        } else if (!c.node_state(*index).up) {
            c.start_node(*index);
        }
        return live::HttpResponse{200, "application/json", node_json(c, *index) + "\n"};
    }
    return error_response(404, "routes: GET /nodes, GET /nodes/<name>, POST /nodes/<name>/stop|start|decommission|join|blackhole|unblackhole|reset|slow?factor=N|"
                                "latency?us=N|error?status=S&percent=P, POST /errors/clear, GET /replicas/<keyspace>/<bigint key>, "
                                "GET /routes, POST /routes/<connection id>/<node>?address=A&port=P, POST /routes/<connection id>/<node>/remove, GET /limits, "
                                "GET /timeline, POST /timeline/start|stop");
}

live::LiveLimits live_limits(const ServeOptions& options) {
    auto seconds = [](double s) { return sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(s * 1e9))); };
    live::LiveLimits limits;
    limits.frame_buffer_bytes = std::size_t{options.frame_buffer_mib} * 1024 * 1024;
    limits.startup_timeout = seconds(options.startup_timeout_s);
    limits.frame_timeout = seconds(options.frame_timeout_s);
    limits.idle_timeout = seconds(options.idle_timeout_s);
    limits.max_connections_per_node = options.max_connections_per_node;
    limits.log = [](const std::string& line) {
        fmt::print("limit: {}\n", line);
        std::fflush(stdout);
    };
    return limits;
}

}  // namespace

int serve_command(const ServeOptions& options) {
    try {
        const auto parsed = scenario::parse_scenario_file(options.scenario_path);
        if (!parsed) {
            fmt::print(stderr, "{}\n", parsed.error().to_string());
            return exit_bad_input;
        }
        const scenario::Scenario& sc = parsed.scenario();
        const std::uint64_t seed = options.seed.value_or(sc.seed);

        live::LiveRuntime runtime(live_limits(options));
        sim::Rng rng(seed);
        sim::Trace trace;
        cluster::ClusterConfig config = runner::cluster_config(sc);
        config.cql_port = options.cql_port;
        net::LinkModel links = runner::make_links(sc.network);
        runner::place_nodes(links, config);
        runner::place_proxies(links, sc, config);
        cluster::Cluster cluster(cluster::ClusterEnv{runtime.scheduler(), rng, trace, runtime.network(), links}, config,
                                 runner::service_config(sc));
        runner::create_scenario_schema(cluster, sc);
        cluster.start();
        const auto sticky_proxies = runner::make_sticky_proxies(cluster, runtime.scheduler(), runtime.network(), sc);
        runner::install_proxies(cluster, sc);
        if (!runtime.listen_errors().empty()) {
            for (const auto& error : runtime.listen_errors()) fmt::print(stderr, "routelab serve: {}\n", error);
            fmt::print(stderr, "routelab serve: every node needs its own address on port {} (is another server running?)\n",
                       options.cql_port);
            return exit_io_error;
        }

        fmt::print("routelab serve: scenario {} (seed {}), {} nodes, keyspace {} table {}\n", sc.name, seed,
                   cluster.topology().size(), sc.cluster.keyspace, sc.cluster.table);
        for (std::size_t i = 0; i < cluster.topology().size(); ++i) {
            const auto& node = cluster.topology().node(i);
            fmt::print("node {} {} dc={} rack={}{}\n", node.name, cluster.cql_endpoint(i).to_string(), node.datacenter, node.rack,
                       cluster.is_member(i) ? "" : " (outside the ring until POST /nodes/<name>/join)");
        }
        for (const auto& [key, route] : cluster.client_routes())
            fmt::print("route {} {} -> {}:{}{}\n", route.connection_id, cluster::format_uuid(route.host_id), route.address,
                       route.port.value_or(0), sc.cluster.private_link ? " (private link: the only way in)" : "");
        ServeTimeline timeline(runtime.scheduler(), cluster, links, sc.faults, options.timeline);
        if (options.control_port) {
            std::string error;
            if (!runtime.start_control(*options.control_port,
                                       [&cluster, &links, &runtime, &timeline, allow = options.allow_non_loopback_routes](const live::HttpRequest& request) {
                                           return control(cluster, links, runtime, timeline, allow, request);
                                       }, error)) {
                fmt::print(stderr, "routelab serve: control: {}\n", error);
                return exit_io_error;
            }
            fmt::print("control http://127.0.0.1:{}/nodes\n", runtime.control_port());
        }
        fmt::print("ready\n");
        if (options.timeline == TimelineMode::start) {
            timeline.start();
        } else if (!sc.faults.empty()) {
            fmt::print("timeline: {} faults, {}\n", sc.faults.size(),
                       options.timeline == TimelineMode::off ? "off"
                       : options.control_port               ? "waiting for POST /timeline/start"
                                                            : "not applied (no --control-port; --timeline start applies them at once)");
        }
        std::fflush(stdout);

        live::WallStopwatch stopwatch;
        std::optional<sim::Duration> limit;
        // Beyond a year is "until a signal" (and keeps the conversion to nanoseconds in range).
        if (options.duration_s && *options.duration_s < 365.0 * 86400.0)
            limit = sim::Duration::from_ns(static_cast<std::int64_t>(*options.duration_s * 1e9));
        const live::StopReason reason = runtime.serve(limit);
        const std::uint64_t coordinated = [&] {
            std::uint64_t total = 0;
            for (std::size_t i = 0; i < cluster.topology().size(); ++i) total += cluster.node_state(i).coordinated;
            return total;
        }();
        fmt::print("stopped ({}) after {:.1f} s; {} requests coordinated\n",
                   reason == live::StopReason::signal ? fmt::format("signal {}", runtime.last_signal())
                   : reason == live::StopReason::duration ? std::string("duration")
                                                          : std::string("stop"),
                   stopwatch.elapsed_s(), coordinated);
        std::fflush(stdout);
        return exit_pass;
    } catch (const std::exception& e) {
        fmt::print(stderr, "routelab serve: {}\n", e.what());
        return exit_io_error;
    }
}

}  // namespace routelab::cli
