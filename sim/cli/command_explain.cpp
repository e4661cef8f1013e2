#include "sim/cli/command_explain.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "driver/metadata/cluster_builder.hpp"
#include "driver/policy/default_policy.hpp"
#include "driver/policy/plan_explanation.hpp"
#include "driver/protocol/murmur3.hpp"
#include "mock_cluster/coordinator/consistency.hpp"
#include "mock_cluster/topology/topology.hpp"
#include "sim/cli/command_run.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/parse.hpp"

namespace routelab::cli {

namespace {

// A bigint if the key reads as one (the scenario table's key type), else its UTF-8 bytes.
std::vector<std::uint8_t> key_bytes(const std::string& key) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), value);
    if (ec == std::errc{} && end == key.data() + key.size()) {
        std::vector<std::uint8_t> out(8);
        for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (56 - 8 * i));
        return out;
    }
    return {key.begin(), key.end()};
}

// --latency NODE=DURATION[xCOUNT]: COUNT samples of DURATION (250us, 5ms, 1.5s) for NODE.
struct LatencySample {
    std::string node;
    sim::Duration latency;
    std::int64_t count = 1;
};

std::optional<LatencySample> parse_latency(const std::string& text, std::string& why) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        why = "expected NODE=DURATION[xCOUNT], e.g. dc1-r1-n1=5msx100";
        return std::nullopt;
    }
    LatencySample s;
    s.node = text.substr(0, eq);
    const std::string rest = text.substr(eq + 1);
    double value = 0;
    const char* begin = rest.data();
    const char* end = rest.data() + rest.size();
    auto [p, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc{} || !(value > 0) || !(value < 1e7)) {
        why = "expected a positive duration such as 250us, 5ms or 1.5s after '='";
        return std::nullopt;
    }
    std::string_view tail(p, static_cast<std::size_t>(end - p));
    double unit_ns = 0;
    for (const auto& [name, ns] : {std::pair<std::string_view, double>{"us", 1e3}, {"ms", 1e6}, {"s", 1e9}})
        if (tail.substr(0, name.size()) == name) {
            unit_ns = ns;
            tail.remove_prefix(name.size());
            break;
        }
    if (unit_ns == 0) {
        why = "the duration needs a unit: us, ms or s";
        return std::nullopt;
    }
    s.latency = sim::Duration::from_ns(static_cast<std::int64_t>(value * unit_ns + 0.5));
    if (s.latency <= sim::Duration{}) {
        why = "the duration rounds to 0 ns";
        return std::nullopt;
    }
    if (!tail.empty()) {
        if (tail.front() != 'x') {
            why = "expected xCOUNT after the duration, got '" + std::string(tail) + "'";
            return std::nullopt;
        }
        tail.remove_prefix(1);
        auto [q, ec2] = std::from_chars(tail.data(), tail.data() + tail.size(), s.count);
        if (ec2 != std::errc{} || q != tail.data() + tail.size() || s.count < 1 || s.count > 1'000'000) {
            why = "COUNT must be an integer in [1, 1000000]";
            return std::nullopt;
        }
    }
    return s;
}

std::string rounded_ms(double ns) { return fmt::format("{:.3f} ms", ns / 1e6); }

}  // namespace

int explain_command(const ExplainOptions& o) {
    auto parsed = scenario::parse_scenario_file(o.scenario_path);
    if (!parsed) {
        std::cerr << parsed.error().to_string() << "\n";
        return exit_bad_input;
    }
    scenario::Scenario& s = parsed.scenario();
    auto bad = [](const std::string& message) {
        std::cerr << "routelab explain: " << message << "\n";
        return exit_bad_input;
    };
    for (const auto& kv : o.policy_options) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) return bad("--policy-option expects KEY=VALUE, got '" + kv + "'");
        s.driver.policy_options[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    std::string declared;
    for (const auto& ks : scenario::keyspaces_of(s.cluster)) declared += (declared.empty() ? "" : ", ") + ks.name;
    const auto keyspace = scenario::find_keyspace(s.cluster, o.keyspace.value_or(""));
    if (!keyspace) return bad("unknown keyspace '" + o.keyspace.value_or("") + "' (the scenario declares: " + declared + ")");
    const std::string table = o.table.value_or("");
    if (!table.empty() && table != keyspace->table && table != keyspace->clustered_table)
        return bad("unknown table '" + table + "' in keyspace " + keyspace->name + " (it has: " + keyspace->table + ", " +
                   keyspace->clustered_table + ")");
    if (o.key && o.token) return bad("give at most one of --key and --token");
    if (!o.prefer_rack.empty() && o.prefer_dc.empty()) return bad("--prefer-rack needs --prefer-dc (racks are named within a datacenter)");
    std::string consistency = o.consistency;
    std::optional<std::string> serial_name = o.serial_consistency;
    std::string prefer_dc = o.prefer_dc;
    std::string prefer_rack = o.prefer_rack;
    if (o.profile != "default") {
        const scenario::ProfileSpec* found = scenario::find_profile(s.driver, o.profile);
        if (found == nullptr) {
            std::string known = "default";
            for (const auto& p : s.driver.profiles) known += ", " + p.name;
            return bad("unknown execution profile '" + o.profile + "' (the scenario defines: " + known + ")");
        }
        const scenario::ProfileSpec profile = *found;   // s.driver (which holds it) is replaced next
        s.driver = scenario::with_profile(s.driver, profile);
        if (!o.consistency_given && profile.consistency) consistency = *profile.consistency;
        if (!serial_name && profile.serial_consistency) serial_name = profile.serial_consistency;
        if (prefer_dc.empty()) {
            prefer_dc = profile.prefer_dc;
            prefer_rack = profile.prefer_rack;
        }
    }
    const auto cl = cluster::consistency_from_name(consistency);
    if (!cl) return bad("unknown consistency '" + consistency + "'");
    std::optional<cluster::Consistency> serial;
    if (serial_name) {
        serial = cluster::consistency_from_name(*serial_name);
        if (!serial || (*serial != cluster::Consistency::serial && *serial != cluster::Consistency::local_serial))
            return bad("--serial-consistency must be SERIAL or LOCAL_SERIAL");
    }

    // The cluster as the driver would discover it: same names, addresses and tokens as a run.
    const std::uint64_t seed = o.seed.value_or(s.seed);
    const sim::Rng rng(seed);
    const cluster::ClusterConfig config = runner::cluster_config(s);
    const cluster::Topology topology = cluster::Topology::build(config, rng.stream("cluster/tokens"));
    auto node_index = [&](const std::string& name) -> std::optional<driver::NodeIndex> {
        for (std::size_t i = 0; i < topology.nodes().size(); ++i)
            if (topology.nodes()[i].name == name) return static_cast<driver::NodeIndex>(i);
        return std::nullopt;
    };
    for (const auto& name : o.down)
        if (!node_index(name)) return bad("unknown node '" + name + "' in --down");
    if (!prefer_dc.empty()) {
        const auto& dcs = topology.datacenters();
        if (std::find(dcs.begin(), dcs.end(), prefer_dc) == dcs.end()) return bad("unknown datacenter '" + prefer_dc + "' in --prefer-dc");
        if (!prefer_rack.empty() && std::none_of(topology.nodes().begin(), topology.nodes().end(), [&](const auto& n) {
                return n.datacenter == prefer_dc && n.rack == prefer_rack;
            }))
            return bad("datacenter '" + prefer_dc + "' has no rack '" + prefer_rack + "'");
    }
    std::vector<LatencySample> samples;
    for (const auto& text : o.latencies) {
        std::string why;
        auto sample = parse_latency(text, why);
        if (!sample) return bad("--latency '" + text + "': " + why);
        if (!node_index(sample->node)) return bad("--latency '" + text + "': unknown node '" + sample->node + "'");
        samples.push_back(*sample);
    }

    driver::ClusterMetadata metadata;
    for (const auto& n : topology.nodes()) {
        driver::NodeMetadata node;
        node.address = net::Endpoint{n.ip, config.cql_port};
        node.host_id = cluster::format_uuid(n.host_id);
        node.datacenter = n.datacenter;
        node.rack = n.rack;
        for (auto t : n.tokens) node.tokens.push_back(std::to_string(t));
        node.shard_count = static_cast<std::uint16_t>(n.shards);
        node.sharding_ignore_msb = 12;
        node.up = std::find(o.down.begin(), o.down.end(), n.name) == o.down.end();
        metadata.nodes.push_back(node);
    }
    for (const auto& declared_ks : scenario::keyspaces_of(s.cluster)) {
        driver::KeyspaceMetadata ks{declared_ks.name, {}};
        if (declared_ks.strategy == scenario::KeyspaceSpec::Strategy::simple) {
            ks.replication["class"] = "org.apache.cassandra.locator.SimpleStrategy";
            ks.replication["replication_factor"] = std::to_string(declared_ks.replication_factor);
        } else {
            ks.replication["class"] = "org.apache.cassandra.locator.NetworkTopologyStrategy";
            for (const auto& dc : topology.datacenters())
                if (const int factor = declared_ks.factor_in(dc); factor > 0) ks.replication[dc] = std::to_string(factor);
        }
        metadata.keyspaces.push_back(ks);
    }
    auto state = driver::build_cluster_state(metadata);
    if (!state) return bad(state.error().to_string());

    auto policy = runner::make_policy(s.driver, rng.stream("driver/policy"), [](const driver::Target&) { return 0U; });
    if (!policy) return bad(policy.error().to_string());

    driver::RoutingInfo routing;
    if (o.token) routing.token = *o.token;
    else if (o.key) routing.token = cql::murmur3_token(key_bytes(*o.key));
    routing.consistency = static_cast<std::uint16_t>(*cl);
    if (serial) routing.serial_consistency = static_cast<std::uint16_t>(*serial);
    routing.is_lwt = o.lwt;
    routing.keyspace = keyspace->name;
    routing.table = table;
    routing.preferred_dc = prefer_dc;
    routing.preferred_rack = prefer_rack;

    // Measurements reach the policy 1 ms apart from t = 0, round robin over the --latency
    // entries; the plan is drawn at --at (default: 1 s after the last, past the updater's tick).
    auto* latency_aware = dynamic_cast<driver::DefaultPolicy*>(policy.value().get());
    if (!samples.empty() && (latency_aware == nullptr || latency_aware->latency_awareness() == nullptr))
        return bad("--latency needs the default policy with latency awareness on (policy_options latency_awareness = true)");
    std::int64_t fed = 0;
    for (std::int64_t round = 0;; ++round) {
        bool any = false;
        for (const auto& sample : samples) {
            if (round >= sample.count) continue;
            any = true;
            const driver::Target target{*node_index(sample.node), std::nullopt};
            policy.value()->on_request_success(routing, sample.latency, target, sim::Time::from_ns(fed * 1'000'000));
            ++fed;
        }
        if (!any) break;
    }
    const double last_s = fed > 0 ? static_cast<double>(fed - 1) / 1000.0 : 0.0;
    const double at_s = o.at_s.value_or(fed > 0 ? last_s + 1.0 : 0.0);
    if (!(at_s >= last_s) || at_s > 1e6) return bad(fmt::format("--at {} s: expected a time in [{} s, 1e6 s] (after the measurements)", at_s, last_s));
    routing.now = sim::Time::from_ns(static_cast<std::int64_t>(at_s * 1e9 + 0.5));

    // The preference the reasons are given against: the policy's own, else the request's.
    const auto option = [&](const char* key) {
        const auto it = s.driver.policy_options.find(key);
        return it != s.driver.policy_options.end() ? it->second : std::string();
    };
    std::string local_dc = option("local_dc");
    std::string local_rack = option("local_rack");
    if (local_dc.empty()) {
        local_dc = prefer_dc;
        local_rack = prefer_rack;
    }

    const bool json = o.format == "json";
    nlohmann::ordered_json out;
    if (json) {
        out["scenario"] = s.name;
        out["policy"] = s.driver.policy;
        out["keyspace"] = keyspace->name;
        out["table"] = table.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(table);
        out["token"] = routing.token ? nlohmann::ordered_json(*routing.token) : nlohmann::ordered_json();
        out["seed"] = seed;
        out["at_s"] = at_s;
        out["plans"] = nlohmann::ordered_json::array();
    } else {
        const std::string where = table.empty() ? keyspace->name + " (no table)" : keyspace->name + "." + table;
        const std::string token_text = routing.token ? "token " + std::to_string(*routing.token) : std::string("no token");
        std::cout << fmt::format("plan of policy {} for {} in {} (consistency {}{}{}{}), seed {}{}\n", s.driver.policy, token_text, where,
                                 consistency, o.lwt ? ", LWT" : "", serial_name ? ", serial " + *serial_name : "",
                                 prefer_dc.empty() ? "" : ", prefers " + prefer_dc + (prefer_rack.empty() ? "" : "/" + prefer_rack), seed,
                                 samples.empty() ? "" : fmt::format(", after {} latency measurements, at {} s", fed, at_s));
    }
    for (int round = 0; round < o.repeat; ++round) {
        const driver::Plan plan = driver::build_full_plan(*policy.value(), routing, *state.value());
        const auto explained = driver::explain_plan(*state.value(), routing, plan, local_dc, local_rack);
        if (!json && o.repeat > 1) std::cout << "call " << (round + 1) << ":\n";
        nlohmann::ordered_json targets = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < explained.size(); ++i) {
            const auto& e = explained[i];
            const auto& node = topology.node(e.target.node);
            const std::string address = net::Endpoint{node.ip, config.cql_port}.to_string();
            std::optional<driver::LatencyAwareness::NodeAverage> average;
            bool penalised = false;
            if (!samples.empty()) {
                average = latency_aware->latency_awareness()->average(e.target.node);
                penalised = latency_aware->latency_awareness()->penalised(e.target.node, routing.now);
            }
            if (json) {
                nlohmann::ordered_json t;
                t["node"] = node.name;
                t["address"] = address;
                t["datacenter"] = node.datacenter;
                t["rack"] = node.rack;
                t["shard"] = e.target.shard ? nlohmann::ordered_json(*e.target.shard) : nlohmann::ordered_json();
                t["reason"] = driver::to_string(e.reason);
                if (!samples.empty()) {
                    t["average_latency_ms"] = average ? nlohmann::ordered_json(average->average_ns / 1e6) : nlohmann::ordered_json();
                    t["latency_penalised"] = penalised;
                }
                targets.push_back(std::move(t));
            } else {
                const std::string shard = e.target.shard ? std::to_string(*e.target.shard) : "-";
                std::string line = fmt::format("{:>3}. {:<14} {:<16} {:<6} {:<6} shard {:<3} {}", i + 1, node.name, address, node.datacenter,
                                               node.rack, shard, driver::to_string(e.reason));
                if (!samples.empty())
                    line += average ? fmt::format(" (average {} over {}{})", rounded_ms(average->average_ns), average->measurements,
                                                  penalised ? ", penalised: too slow" : "")
                                    : std::string(" (no latency measured)");
                std::cout << line << "\n";
            }
        }
        if (json) out["plans"].push_back(std::move(targets));
        else if (explained.empty()) std::cout << "  (empty plan: no node may be tried)\n";
    }
    if (json) std::cout << out.dump() << "\n";
    return 0;
}

}  // namespace routelab::cli
