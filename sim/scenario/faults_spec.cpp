#include "sim/scenario/faults_spec.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "mock_cluster/cql/statement.hpp"
#include "sim/net/endpoint.hpp"
#include "sim/scenario/clients.hpp"
#include "sim/scenario/nodes.hpp"

namespace routelab::scenario::detail {

namespace {

using Action = FaultSpec::Action;

constexpr std::array<std::pair<std::string_view, Action>, 23> actions{{
    {"stop_node", Action::stop_node}, {"start_node", Action::start_node},
    {"stop_rack", Action::stop_rack}, {"start_rack", Action::start_rack},
    {"stop_dc", Action::stop_dc}, {"start_dc", Action::start_dc},
    {"slow_node", Action::slow_node}, {"slow_shard", Action::slow_shard},
    {"add_latency", Action::add_latency}, {"partition", Action::partition}, {"heal", Action::heal},
    {"inject_error", Action::inject_error}, {"clear_errors", Action::clear_errors},
    {"set_route", Action::set_route}, {"remove_route", Action::remove_route},
    {"decommission_node", Action::decommission_node}, {"join_node", Action::join_node},
    {"blackhole_node", Action::blackhole_node}, {"reset_connections", Action::reset_connections},
    {"replace_node", Action::replace_node}, {"flap_node", Action::flap_node},
    {"schema_change", Action::schema_change}, {"client_pause", Action::client_pause},
}};

constexpr std::array<std::string_view, 8> error_kinds{
    "unavailable", "read_timeout", "write_timeout", "overloaded", "server_error", "read_failure", "write_failure", "delay"};

std::string known_actions() {
    std::string out;
    for (const auto& [name, action] : actions) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

// Rejects keys the action does not take.
void check_fault_keys(const Context& ctx, const toml::value& t, const std::string& path, Action a) {
    switch (a) {
        case Action::stop_node:
        case Action::start_node:
        case Action::decommission_node:
        case Action::join_node: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "every_s", "count"});
        case Action::stop_rack:
        case Action::start_rack: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "datacenter", "rack", "every_s", "count"});
        case Action::stop_dc:
        case Action::start_dc: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "datacenter", "every_s", "count"});
        case Action::slow_node: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "factor", "every_s", "count"});
        case Action::slow_shard: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "shard", "factor", "every_s", "count"});
        case Action::add_latency: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "latency_us", "every_s", "count"});
        case Action::partition:
        case Action::heal: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "peer", "every_s", "count"});
        case Action::inject_error:
            return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "error", "operation", "probability", "delay_ms", "every_s", "count"});
        case Action::clear_errors: return check_keys(ctx, t, path, {"action", "at_s", "every_s", "count"});
        case Action::set_route: return check_keys(ctx, t, path, {"action", "at_s", "node", "connection_id", "address", "port", "every_s", "count"});
        case Action::remove_route: return check_keys(ctx, t, path, {"action", "at_s", "node", "connection_id", "every_s", "count"});
        case Action::blackhole_node: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "every_s", "count"});
        case Action::reset_connections: return check_keys(ctx, t, path, {"action", "at_s", "node", "every_s", "count"});
        case Action::replace_node: return check_keys(ctx, t, path, {"action", "at_s", "node", "address", "every_s", "count"});
        case Action::flap_node: return check_keys(ctx, t, path, {"action", "at_s", "node", "period_s", "down_s", "count"});
        case Action::schema_change: return check_keys(ctx, t, path, {"action", "at_s", "statement", "every_s", "count"});
        case Action::client_pause: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "client", "every_s", "count"});
    }
}

// The fields of blackhole_node, replace_node, flap_node, schema_change and client_pause
// (the node itself was read with the other node actions).
void read_new_actions(const Context& ctx, const toml::value& t, const std::string& path, const Scenario& s, FaultSpec& f) {
    if (f.action == Action::blackhole_node && !(f.duration_s > 0) && find(ctx, t, path, "duration_s") != nullptr)
        fail(ctx, line_of(*find(ctx, t, path, "duration_s")), path + ".duration_s", "expected a duration > 0 (leave it out to keep the node blackholed)");
    if (f.action == Action::replace_node) {
        if (const auto* address = find(ctx, t, path, "address")) {
            f.address = expect_string(ctx, *address, path + ".address");
            const auto ip = net::parse_ipv4(f.address);
            if (!ip) fail(ctx, line_of(*address), path + ".address", "expected an IPv4 address such as \"127.0.9.1\", got \"" + f.address + "\"");
            const auto nodes = all_nodes(s.topology);
            for (std::size_t i = 0; i < nodes.size(); ++i)
                if (*ip == net::ipv4(127, 0, static_cast<std::uint8_t>((i + 1) >> 8), static_cast<std::uint8_t>((i + 1) & 0xff)))
                    fail(ctx, line_of(*address), path + ".address", "\"" + f.address + "\" is node " + nodes[i].name + "'s address");
        }
    }
    if (f.action == Action::flap_node) {
        const auto& period = require(ctx, t, path, "period_s");
        f.period_s = expect_number(ctx, period, path + ".period_s", NumberRule::positive);
        f.down_s = number_or(ctx, t, path, "down_s", NumberRule::positive, f.period_s / 2);
        if (!(f.down_s < f.period_s))
            fail(ctx, line_of(*find(ctx, t, path, "down_s")), path + ".down_s",
                 "the node must come back before the next cycle: down_s must be below period_s (" + fmt::format("{:g}", f.period_s) + ")");
    }
    if (f.action == Action::schema_change) {
        const auto& statement = require(ctx, t, path, "statement");
        f.statement = expect_string(ctx, statement, path + ".statement");
        const auto parsed = cluster::cql::parse_statement(f.statement);
        if (!parsed.statement) fail(ctx, line_of(statement), path + ".statement", "not a CQL statement: " + parsed.error);
        const auto& body = parsed.statement->body;
        const bool ddl = std::holds_alternative<cluster::cql::CreateKeyspace>(body) || std::holds_alternative<cluster::cql::DropKeyspace>(body) ||
                         std::holds_alternative<cluster::cql::CreateTable>(body) || std::holds_alternative<cluster::cql::DropTable>(body);
        if (!ddl) fail(ctx, line_of(statement), path + ".statement", "expected a schema change (CREATE/DROP KEYSPACE or TABLE)");
        if (!std::holds_alternative<cluster::cql::CreateKeyspace>(body) && !std::holds_alternative<cluster::cql::DropKeyspace>(body) &&
            parsed.statement->keyspace.empty())
            fail(ctx, line_of(statement), path + ".statement", "name the table's keyspace (keyspace.table): the statement runs outside any USE");
    }
    if (f.action == Action::client_pause) {
        const auto& client = require(ctx, t, path, "client");
        f.client = expect_string(ctx, client, path + ".client");
        const auto clients = scenario_clients(s);
        std::string known;
        for (const auto& c : clients) known += (known.empty() ? "" : ", ") + c.name;
        if (std::none_of(clients.begin(), clients.end(), [&](const ClientSpec& c) { return c.name == f.client; }))
            fail(ctx, line_of(client), path + ".client", "unknown client \"" + f.client + "\" (known: " + known + ")");
        if (!(f.duration_s > 0)) fail(ctx, f.line, path + ".duration_s", "a client pause needs duration_s > 0");
    }
}

// The end of the run's workload: the last client's stop (or the end of its workload).
double workload_end_s(const Scenario& s) {
    double end = 0;
    for (const auto& c : scenario_clients(s)) end = std::max(end, c.stop_s.value_or(c.start_s + c.workload.duration_s));
    return end;
}

// `count` and `every_s` (every action), and the rule that every application falls inside
// the run and does not overlap the next one.
void read_repetition(const Context& ctx, const toml::value& t, const std::string& path, const Scenario& s, FaultSpec& f) {
    f.count = static_cast<int>(integer_or(ctx, t, path, "count", 1, 100'000, 1));
    const double spacing = f.action == Action::flap_node ? f.period_s : number_or(ctx, t, path, "every_s", NumberRule::positive, 0.0);
    if (f.action != Action::flap_node) {
        f.every_s = spacing;
        if (f.count > 1 && !(f.every_s > 0)) fail(ctx, f.line, path + ".every_s", "count > 1 needs every_s, the time between applications");
        if (f.count == 1 && f.every_s > 0)
            fail(ctx, line_of(*find(ctx, t, path, "every_s")), path + ".every_s", "every_s repeats nothing without count > 1");
        if (f.count > 1 && f.duration_s >= f.every_s)
            fail(ctx, line_of(*find(ctx, t, path, "duration_s")), path + ".duration_s",
                 "each application must revert before the next one: duration_s must be below every_s (" + fmt::format("{:g}", f.every_s) + ")");
    }
    const double last = f.at_s + (f.count - 1) * spacing;
    const double end = workload_end_s(s);
    if (last >= end) {
        const auto* at = find(ctx, t, path, "at_s");
        fail(ctx, at ? line_of(*at) : f.line, path + (f.count > 1 ? ".count" : ".at_s"),
             (f.count > 1 ? "the last application, at " + fmt::format("{:g}", last) + " s," : std::string("the fault")) +
                 " comes after the workload's end at " + fmt::format("{:g}", end) + " s: it could not take effect");
    }
}

}  // namespace

void read_faults(const Context& ctx, const toml::value& root, Scenario& s) {
    const toml::value* list = find(ctx, root, "", "faults");
    if (list == nullptr) return;
    const auto& items = expect_array(ctx, *list, "faults");
    std::vector<std::string> node_names;
    for (const auto& n : all_nodes(s.topology)) node_names.push_back(n.name);
    auto check_host = [&](const toml::value& v, const std::string& field, bool client_allowed) {
        const std::string name = expect_string(ctx, v, field);
        if (client_allowed && name == "client") return name;
        if (std::find(node_names.begin(), node_names.end(), name) == node_names.end())
            fail(ctx, line_of(v), field, "unknown node \"" + name + "\"" + (client_allowed ? " (a node name or \"client\")" : ""));
        return name;
    };
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = "faults[" + std::to_string(i) + "]";
        const auto& t = expect_table(ctx, items[i], path);
        FaultSpec f;
        f.line = line_of(t);
        ctx.locations->set(path, f.line);
        const auto& action_value = require(ctx, t, path, "action");
        const std::string action = expect_string(ctx, action_value, path + ".action");
        auto it = std::find_if(actions.begin(), actions.end(), [&](const auto& a) { return a.first == action; });
        if (it == actions.end())
            fail(ctx, line_of(action_value), path + ".action", "unknown fault action \"" + action + "\" (known: " + known_actions() + ")");
        f.action = it->second;
        check_fault_keys(ctx, t, path, f.action);
        f.at_s = expect_time(ctx, require(ctx, t, path, "at_s"), path + ".at_s", NumberRule::non_negative);
        f.duration_s = time_or(ctx, t, path, "duration_s", NumberRule::non_negative, 0.0);
        const bool host_action = f.action == Action::add_latency || f.action == Action::partition || f.action == Action::heal;
        const bool route_action = f.action == Action::set_route || f.action == Action::remove_route;
        const bool node_required = f.action == Action::stop_node || f.action == Action::start_node ||
                                   f.action == Action::decommission_node || f.action == Action::join_node ||
                                   f.action == Action::blackhole_node || f.action == Action::reset_connections ||
                                   f.action == Action::replace_node || f.action == Action::flap_node ||
                                   f.action == Action::slow_node || f.action == Action::slow_shard || host_action || route_action;
        if (const auto* node = find(ctx, t, path, "node")) f.node = check_host(*node, path + ".node", host_action);
        else if (node_required) require(ctx, t, path, "node");
        if (const auto* peer = find(ctx, t, path, "peer")) {
            f.peer = check_host(*peer, path + ".peer", true);
            // A host cannot be cut off from itself: the step would have no effect.
            if (f.peer == f.node)
                fail(ctx, line_of(*peer), path + ".peer", "\"" + f.peer + "\" is the node itself: a partition needs two different hosts");
        } else if (f.action == Action::partition || f.action == Action::heal) {
            require(ctx, t, path, "peer");
        }
        if (f.action == Action::stop_rack || f.action == Action::start_rack || f.action == Action::stop_dc || f.action == Action::start_dc) {
            const auto& dc = require(ctx, t, path, "datacenter");
            f.datacenter = expect_string(ctx, dc, path + ".datacenter");
            const bool known = std::any_of(s.topology.datacenters.begin(), s.topology.datacenters.end(), [&](const auto& d) { return d.name == f.datacenter; }) ||
                               std::any_of(s.topology.nodes.begin(), s.topology.nodes.end(), [&](const auto& n) { return n.datacenter == f.datacenter; });
            if (!known) fail(ctx, line_of(dc), path + ".datacenter", "unknown datacenter \"" + f.datacenter + "\"");
            if (f.action == Action::stop_rack || f.action == Action::start_rack) {
                const auto& rack = require(ctx, t, path, "rack");
                f.rack = expect_string(ctx, rack, path + ".rack");
                const auto nodes = all_nodes(s.topology);
                if (std::none_of(nodes.begin(), nodes.end(), [&](const auto& n) { return n.datacenter == f.datacenter && n.rack == f.rack; }))
                    fail(ctx, line_of(rack), path + ".rack", "no rack \"" + f.rack + "\" in datacenter \"" + f.datacenter + "\"");
            }
        }
        if (f.action == Action::slow_node || f.action == Action::slow_shard)
            f.factor = expect_integer(ctx, require(ctx, t, path, "factor"), path + ".factor", 1, 1'000'000);
        if (f.action == Action::slow_shard)
            f.shard = static_cast<int>(expect_integer(ctx, require(ctx, t, path, "shard"), path + ".shard", 0, s.topology.shards - 1));
        if (f.action == Action::add_latency)
            f.latency_us = expect_time(ctx, require(ctx, t, path, "latency_us"), path + ".latency_us", NumberRule::non_negative, 1e6);
        if (f.action == Action::inject_error) {
            const auto& error = require(ctx, t, path, "error");
            f.error = expect_string(ctx, error, path + ".error");
            if (std::find(error_kinds.begin(), error_kinds.end(), f.error) == error_kinds.end())
                fail(ctx, line_of(error), path + ".error",
                     "unknown error \"" + f.error + "\" (known: unavailable, read_timeout, write_timeout, overloaded, server_error, read_failure, write_failure, delay)");
            f.operation = string_or(ctx, t, path, "operation", "any");
            if (f.operation != "read" && f.operation != "write" && f.operation != "any")
                fail(ctx, line_of(*find(ctx, t, path, "operation")), path + ".operation", "expected read, write or any, got \"" + f.operation + "\"");
            f.probability = number_or(ctx, t, path, "probability", NumberRule::fraction, 1.0);
            f.delay_ms = time_or(ctx, t, path, "delay_ms", NumberRule::non_negative, 0.0, 1e3);
            if (f.error == "delay" && !(f.delay_ms > 0))
                fail(ctx, ctx.locations->line_of(path + ".delay_ms"), path + ".delay_ms", "an injected \"delay\" needs delay_ms > 0");
        }
        if (route_action) {
            const auto& id = require(ctx, t, path, "connection_id");
            f.connection_id = expect_string(ctx, id, path + ".connection_id");
            if (f.connection_id.empty()) fail(ctx, line_of(id), path + ".connection_id", "expected a non-empty connection id");
        }
        if (f.action == Action::set_route) {
            const auto& address = require(ctx, t, path, "address");
            f.address = expect_string(ctx, address, path + ".address");
            if (!net::parse_ipv4(f.address))
                fail(ctx, line_of(address), path + ".address", "expected an IPv4 address such as \"127.0.2.1\", got \"" + f.address + "\"");
            f.port = static_cast<int>(expect_integer(ctx, require(ctx, t, path, "port"), path + ".port", 1, 65535));
        }
        read_new_actions(ctx, t, path, s, f);
        read_repetition(ctx, t, path, s, f);
        s.faults.push_back(std::move(f));
    }
    std::stable_sort(s.faults.begin(), s.faults.end(), [](const FaultSpec& a, const FaultSpec& b) { return a.at_s < b.at_s; });
}

}  // namespace routelab::scenario::detail

namespace routelab::scenario {

std::string_view fault_action_name(FaultSpec::Action action) {
    for (const auto& [name, a] : detail::actions)
        if (a == action) return name;
    return "unknown";
}

}  // namespace routelab::scenario
