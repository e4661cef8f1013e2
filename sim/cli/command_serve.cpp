#include "sim/cli/command_serve.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "driver/protocol/murmur3.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/cli/command_run.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/trace.hpp"
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
    return fmt::format(R"({{"name":{},"address":{},"port":{},"datacenter":{},"rack":{},"host_id":{},"up":{},"joined":{},"tokens":[{}]}})",
                       json_string(node.name), json_string(net::format_ipv4(node.ip)), c.cql_endpoint(index).port,
                       json_string(node.datacenter), json_string(node.rack), json_string(cluster::format_uuid(node.host_id)),
                       c.node_state(index).up ? "true" : "false", c.is_member(index) ? "true" : "false", tokens);
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

// "a=1&b=x" → {a: 1, b: x} (no percent-decoding: values are names and numbers).
std::map<std::string, std::string> query_of(std::string_view target) {
    std::map<std::string, std::string> out;
    const auto q = target.find('?');
    if (q == std::string_view::npos) return out;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        out[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

std::optional<std::int64_t> integer_of(const std::map<std::string, std::string>& query, const std::string& key,
                                       std::int64_t min, std::int64_t max) {
    const auto it = query.find(key);
    if (it == query.end()) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec != std::errc{} || end != it->second.data() + it->second.size() || value < min || value > max) return std::nullopt;
    return value;
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
live::HttpResponse node_fault(cluster::Cluster& c, net::LinkModel& links, std::size_t index, std::string_view action,
                              const std::map<std::string, std::string>& query) {
    if (action == "slow") {
        const auto factor = integer_of(query, "factor", 1, 1'000'000);
        if (!factor) return error_response(400, "slow needs factor=N (1..1000000)");
        c.slow_node(index, static_cast<std::uint32_t>(*factor));
    } else if (action == "latency") {
        const auto us = integer_of(query, "us", 0, 60'000'000);
        if (!us) return error_response(400, "latency needs us=N (0..60000000)");
        links.set_extra_latency(c.topology().node(index).ip, sim::Duration::from_us(*us));
    } else if (action == "error") {
        const auto status = query.count("status") ? status_of(query.at("status")) : std::nullopt;
        const auto percent = integer_of(query, "percent", 0, 100);
        if (!status || !percent)
            return error_response(400, "error needs status=unavailable|read_timeout|write_timeout|overloaded|server_error|"
                                       "read_failure|write_failure and percent=0..100");
        cluster::InjectedFault fault;
        fault.node = static_cast<std::uint16_t>(index);
        fault.per_million = static_cast<std::uint64_t>(*percent) * 10'000;
        fault.error = *status;
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
live::HttpResponse routes(cluster::Cluster& c, const live::HttpRequest& request, std::string_view rest,
                          const std::map<std::string, std::string>& query) {
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
    if (connection_id.empty()) return error_response(400, "the connection id must not be empty");
    if (remove) {
        c.remove_client_routes({{connection_id, host_id}});
        return list();
    }
    const auto address = query.find("address");
    const auto port = integer_of(query, "port", 1, 65535);
    if (address == query.end() || !net::parse_ipv4(address->second) || !port)
        return error_response(400, "a route needs address=<IPv4> and port=1..65535");
    cluster::ClientRoute route;
    route.connection_id = connection_id;
    route.host_id = host_id;
    route.address = address->second;
    route.port = static_cast<std::int32_t>(*port);
    c.upsert_client_routes({route});
    return list();
}

// GET /nodes; POST /nodes/<name>/stop, /start, /decommission, /join, /slow, /latency, /error;
// POST /errors/clear;
// GET /replicas/<keyspace>/<key>; GET /routes, POST /routes/<id>/<node>[/remove].
live::HttpResponse control(cluster::Cluster& c, net::LinkModel& links, const live::HttpRequest& request) {
    std::string_view path = request.target;
    const auto query = query_of(request.target);
    if (const auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
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
        return routes(c, request, path.size() > 8 ? path.substr(8) : std::string_view(), query);
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
            return node_fault(c, links, *index, action, query);
        }
        if (action == "decommission" || action == "join") {
            if (request.method != "POST") return error_response(405, "use POST /nodes/<name>/" + std::string(action));
            if (action == "decommission" ? !c.decommission_node(*index) : !c.join_node(*index))
                return error_response(409, action == "join" ? name + " is already in the ring"
                                           : c.is_member(*index) ? name + " is the ring's last node"
                                                                 : name + " is not in the ring");
            return live::HttpResponse{200, "application/json", node_json(c, *index) + "\n"};
        }
        if (action != "stop" && action != "start")
            return error_response(404, "unknown action (stop, start, decommission, join, slow, latency or error)");
        if (request.method != "POST") return error_response(405, "use POST /nodes/<name>/" + std::string(action));
        if (action == "stop") {
            if (c.node_state(*index).up) c.stop_node(*index);
        } else if (!c.node_state(*index).up) {
            c.start_node(*index);
        }
        return live::HttpResponse{200, "application/json", node_json(c, *index) + "\n"};
    }
    return error_response(404, "routes: GET /nodes, GET /nodes/<name>, POST /nodes/<name>/stop|start|decommission|join|slow?factor=N|"
                                "latency?us=N|error?status=S&percent=P, POST /errors/clear, GET /replicas/<keyspace>/<bigint key>, "
                                "GET /routes, POST /routes/<connection id>/<node>?address=A&port=P, POST /routes/<connection id>/<node>/remove");
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

        live::LiveRuntime runtime;
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
        if (options.control_port) {
            std::string error;
            if (!runtime.start_control(*options.control_port,
                                       [&cluster, &links](const live::HttpRequest& request) { return control(cluster, links, request); }, error)) {
                fmt::print(stderr, "routelab serve: control: {}\n", error);
                return exit_io_error;
            }
            fmt::print("control http://127.0.0.1:{}/nodes\n", runtime.control_port());
        }
        fmt::print("ready\n");
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
