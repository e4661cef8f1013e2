#include "sim/scenario/faults_spec.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "sim/net/endpoint.hpp"
#include "sim/scenario/nodes.hpp"

namespace routelab::scenario::detail {

namespace {

using Action = FaultSpec::Action;

constexpr std::array<std::pair<std::string_view, Action>, 17> actions{{
    {"stop_node", Action::stop_node}, {"start_node", Action::start_node},
    {"stop_rack", Action::stop_rack}, {"start_rack", Action::start_rack},
    {"stop_dc", Action::stop_dc}, {"start_dc", Action::start_dc},
    {"slow_node", Action::slow_node}, {"slow_shard", Action::slow_shard},
    {"add_latency", Action::add_latency}, {"partition", Action::partition}, {"heal", Action::heal},
    {"inject_error", Action::inject_error}, {"clear_errors", Action::clear_errors},
    {"set_route", Action::set_route}, {"remove_route", Action::remove_route},
    {"decommission_node", Action::decommission_node}, {"join_node", Action::join_node},
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
        case Action::join_node: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node"});
        case Action::stop_rack:
        case Action::start_rack: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "datacenter", "rack"});
        case Action::stop_dc:
        case Action::start_dc: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "datacenter"});
        case Action::slow_node: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "factor"});
        case Action::slow_shard: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "shard", "factor"});
        case Action::add_latency: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "latency_us"});
        case Action::partition:
        case Action::heal: return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "peer"});
        case Action::inject_error:
            return check_keys(ctx, t, path, {"action", "at_s", "duration_s", "node", "error", "operation", "probability", "delay_ms"});
        case Action::clear_errors: return check_keys(ctx, t, path, {"action", "at_s"});
        case Action::set_route: return check_keys(ctx, t, path, {"action", "at_s", "node", "connection_id", "address", "port"});
        case Action::remove_route: return check_keys(ctx, t, path, {"action", "at_s", "node", "connection_id"});
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
        const auto& action_value = require(ctx, t, path, "action");
        const std::string action = expect_string(ctx, action_value, path + ".action");
        auto it = std::find_if(actions.begin(), actions.end(), [&](const auto& a) { return a.first == action; });
        if (it == actions.end())
            fail(ctx, line_of(action_value), path + ".action", "unknown fault action \"" + action + "\" (known: " + known_actions() + ")");
        f.action = it->second;
        check_fault_keys(ctx, t, path, f.action);
        f.at_s = expect_number(ctx, require(ctx, t, path, "at_s"), path + ".at_s", NumberRule::non_negative);
        f.duration_s = number_or(ctx, t, path, "duration_s", NumberRule::non_negative, 0.0);
        const bool host_action = f.action == Action::add_latency || f.action == Action::partition || f.action == Action::heal;
        const bool route_action = f.action == Action::set_route || f.action == Action::remove_route;
        const bool node_required = f.action == Action::stop_node || f.action == Action::start_node ||
                                   f.action == Action::decommission_node || f.action == Action::join_node ||
                                   f.action == Action::slow_node || f.action == Action::slow_shard || host_action || route_action;
        if (const auto* node = find(ctx, t, path, "node")) f.node = check_host(*node, path + ".node", host_action);
        else if (node_required) require(ctx, t, path, "node");
        if (const auto* peer = find(ctx, t, path, "peer")) f.peer = check_host(*peer, path + ".peer", true);
        else if (f.action == Action::partition || f.action == Action::heal) require(ctx, t, path, "peer");
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
            f.latency_us = expect_number(ctx, require(ctx, t, path, "latency_us"), path + ".latency_us", NumberRule::non_negative);
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
            f.delay_ms = number_or(ctx, t, path, "delay_ms", NumberRule::non_negative, 0.0);
            if (f.error == "delay" && !(f.delay_ms > 0))
                fail(ctx, f.line, path + ".delay_ms", "an injected \"delay\" needs delay_ms > 0");
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
