#include "sim/scenario/check_env.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "sim/checks/suite.hpp"
#include "sim/scenario/clients.hpp"
#include "sim/scenario/nodes.hpp"

namespace routelab::scenario {

namespace {

using Action = FaultSpec::Action;

// What a fault step does to the fault windows: opens one under `key`, closes the open one
// under `key`, or (duration or not) is a window of its own.
struct Effect {
    enum class Kind : std::uint8_t { opens, closes, none } kind = Kind::opens;
    std::string key;
};

std::string pair_key(const std::string& a, const std::string& b) { return a < b ? a + "|" + b : b + "|" + a; }

Effect effect_of(const FaultSpec& f) {
    using K = Effect::Kind;
    switch (f.action) {
        case Action::stop_node: return {K::opens, "node:" + f.node};
        case Action::start_node: return {K::closes, "node:" + f.node};
        case Action::stop_rack: return {K::opens, "rack:" + f.datacenter + "/" + f.rack};
        case Action::start_rack: return {K::closes, "rack:" + f.datacenter + "/" + f.rack};
        case Action::stop_dc: return {K::opens, "dc:" + f.datacenter};
        case Action::start_dc: return {K::closes, "dc:" + f.datacenter};
        case Action::slow_node: return {f.factor == 1 ? K::closes : K::opens, "slow:" + f.node};
        case Action::slow_shard: return {f.factor == 1 ? K::closes : K::opens, "slow:" + f.node + "/" + std::to_string(f.shard)};
        case Action::add_latency: return {f.latency_us > 0 ? K::opens : K::closes, "latency:" + f.node};
        case Action::partition: return {K::opens, "partition:" + pair_key(f.node, f.peer)};
        case Action::heal: return {K::closes, "partition:" + pair_key(f.node, f.peer)};
        case Action::inject_error: return {K::opens, "errors"};
        case Action::clear_errors: return {K::closes, "errors"};
        case Action::decommission_node: return {K::opens, "member:" + f.node};
        case Action::join_node: return {K::closes, "member:" + f.node};
        case Action::remove_route: return {K::opens, "route:" + f.connection_id + "/" + f.node};
        case Action::set_route: return {K::closes, "route:" + f.connection_id + "/" + f.node};
        // Instantaneous: the drivers reconnect, re-resolve or re-read at once.
        case Action::reset_connections:
        case Action::replace_node:
        case Action::schema_change: return {K::none, ""};
        default: return {K::opens, ""};   // an action without a known undo: until its duration or the end
    }
}

}  // namespace

std::vector<checks::Interval> fault_windows(const Scenario& s) {
    constexpr double end = std::numeric_limits<double>::infinity();
    std::vector<checks::Interval> out;
    std::multimap<std::string, double> open;   // key -> since
    // Every application of a repeated step (flap_node: each down period), in time order.
    struct Step {
        const FaultSpec* fault;
        double at_s;
        double duration_s;
    };
    std::vector<Step> steps;
    for (const auto& f : s.faults) {
        const bool flap = f.action == Action::flap_node;
        for (int k = 0; k < f.count; ++k)
            steps.push_back({&f, f.at_s + k * (flap ? f.period_s : f.every_s), flap ? f.down_s : f.duration_s});
    }
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.at_s < b.at_s; });
    for (const auto& step : steps) {
        const Effect e = effect_of(*step.fault);
        if (e.kind == Effect::Kind::none) continue;
        if (e.kind == Effect::Kind::closes) {
            // Closes every window of the same target (clear_errors: every injected rule).
            auto [from, to] = open.equal_range(e.key);
            for (auto it = from; it != to; ++it) out.push_back({it->second, step.at_s});
            open.erase(from, to);
            continue;
        }
        if (step.duration_s > 0) out.push_back({step.at_s, step.at_s + step.duration_s});
        else open.emplace(e.key, step.at_s);
    }
    for (const auto& [key, since] : open) out.push_back({since, end});
    return checks::merge_intervals(std::move(out));
}

std::vector<std::string> client_names(const Scenario& s) {
    std::vector<std::string> out;
    for (const auto& c : scenario_clients(s)) out.push_back(c.name);
    return out;
}

checks::CheckEnv check_env(const Scenario& s) {
    checks::CheckEnv env;
    env.duration_s = s.workload.duration_s;
    env.window_s = s.output.window_s;
    for (const auto& n : all_nodes(s.topology)) {
        env.nodes.push_back(n.name);
        bool known = false;
        for (const auto& dc : env.datacenters) known = known || dc == n.datacenter;
        if (!known) env.datacenters.push_back(n.datacenter);
    }
    env.clients = client_names(s);
    env.value_bytes = s.workload.value_bytes;
    env.sessions = s.workload.sessions;
    DriverSpec d = s.driver;
    if (const ProfileSpec* p = find_profile(s.driver, s.workload.profile)) d = with_profile(s.driver, *p);
    env.policy = d.policy;
    env.policy_options = d.policy_options;
    for (const auto& c : scenario_clients(s)) {
        DriverSpec cd = c.driver;
        if (const ProfileSpec* p = find_profile(c.driver, c.workload.profile)) cd = with_profile(c.driver, *p);
        env.client_policies[c.name] = {cd.policy, cd.policy_options};
    }
    if (s.driver.client_routes) {
        env.route_ids = s.driver.client_routes->connection_ids;
        env.hostname_overrides = s.driver.client_routes->hostname_overrides;
    }
    env.fault_windows = fault_windows(s);
    return env;
}

}  // namespace routelab::scenario
