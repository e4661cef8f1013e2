#include "sim/cli/command_explain.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>

#include <fmt/format.h>

#include "driver/metadata/cluster_builder.hpp"
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

std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "\"";
}

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
    if (o.keyspace != s.cluster.keyspace)
        return bad("unknown keyspace '" + o.keyspace + "' (the scenario defines '" + s.cluster.keyspace + "')");
    if (o.table != s.cluster.table) return bad("unknown table '" + o.table + "' (the scenario defines '" + s.cluster.table + "')");
    if (o.key.has_value() == o.token.has_value()) return bad("give exactly one of --key and --token");
    std::string consistency = o.consistency;
    std::optional<std::string> serial_name = o.serial_consistency;
    if (o.profile != "default") {
        const scenario::ProfileSpec* found = scenario::find_profile(s.driver, o.profile);
        if (found == nullptr) {
            std::string known = "default";
            for (const auto& p : s.driver.profiles) known += ", " + p.name;
            return bad("unknown execution profile '" + o.profile + "' (the scenario defines: " + known + ")");
        }
        const scenario::ProfileSpec profile_copy = *found;   // s.driver (which holds it) is replaced next
        const scenario::ProfileSpec* profile = &profile_copy;
        s.driver = scenario::with_profile(s.driver, *profile);
        if (!o.consistency_given && profile->consistency) consistency = *profile->consistency;
        if (!serial_name && profile->serial_consistency) serial_name = profile->serial_consistency;
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
    for (const auto& name : o.down)
        if (!topology.config().nodes.empty() &&
            std::none_of(topology.nodes().begin(), topology.nodes().end(), [&](const auto& n) { return n.name == name; }))
            return bad("unknown node '" + name + "' in --down");
    driver::KeyspaceMetadata ks{s.cluster.keyspace, {{"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"}}};
    for (const auto& dc : topology.datacenters()) ks.replication[dc] = std::to_string(s.cluster.replication_factor);
    metadata.keyspaces.push_back(ks);
    auto state = driver::build_cluster_state(metadata);
    if (!state) return bad(state.error().to_string());

    auto policy = runner::make_policy(s.driver, rng.stream("driver/policy"), [](const driver::Target&) { return 0U; });
    if (!policy) return bad(policy.error().to_string());

    driver::RoutingInfo routing;
    routing.token = o.token ? *o.token : cql::murmur3_token(key_bytes(*o.key));
    routing.consistency = static_cast<std::uint16_t>(*cl);
    if (serial) routing.serial_consistency = static_cast<std::uint16_t>(*serial);
    routing.is_lwt = o.lwt;
    routing.keyspace = s.cluster.keyspace;
    routing.table = s.cluster.table;
    const auto local_dc_it = s.driver.policy_options.find("local_dc");
    const auto local_rack_it = s.driver.policy_options.find("local_rack");
    const std::string local_dc = local_dc_it != s.driver.policy_options.end() ? local_dc_it->second : std::string();
    const std::string local_rack = local_rack_it != s.driver.policy_options.end() ? local_rack_it->second : std::string();

    const bool json = o.format == "json";
    if (json) std::cout << "{\"scenario\": " << json_string(s.name) << ", \"policy\": " << json_string(s.driver.policy)
                        << ", \"token\": " << *routing.token << ", \"seed\": " << seed << ", \"plans\": [";
    else
        std::cout << fmt::format("plan of policy {} for token {} in {}.{} (consistency {}{}{}), seed {}\n", s.driver.policy,
                                 *routing.token, s.cluster.keyspace, s.cluster.table, consistency,
                                 o.lwt ? ", LWT" : "", serial_name ? ", serial " + *serial_name : "", seed);
    for (int round = 0; round < o.repeat; ++round) {
        const driver::Plan plan = driver::build_full_plan(*policy.value(), routing, *state.value());
        const auto explained = driver::explain_plan(*state.value(), routing, plan, local_dc, local_rack);
        if (json) std::cout << (round ? ", " : "") << "[";
        else if (o.repeat > 1) std::cout << "call " << (round + 1) << ":\n";
        for (std::size_t i = 0; i < explained.size(); ++i) {
            const auto& e = explained[i];
            const auto& node = topology.node(e.target.node);
            const std::string address = net::Endpoint{node.ip, config.cql_port}.to_string();
            const std::string shard = e.target.shard ? std::to_string(*e.target.shard) : "-";
            if (json) {
                std::cout << (i ? ", " : "") << "{\"node\": " << json_string(node.name) << ", \"address\": " << json_string(address)
                          << ", \"datacenter\": " << json_string(node.datacenter) << ", \"rack\": " << json_string(node.rack)
                          << ", \"shard\": " << (e.target.shard ? std::to_string(*e.target.shard) : "null")
                          << ", \"reason\": " << json_string(driver::to_string(e.reason)) << "}";
            } else {
                std::cout << fmt::format("{:>3}. {:<14} {:<16} {:<6} {:<6} shard {:<3} {}\n", i + 1, node.name, address,
                                         node.datacenter, node.rack, shard, driver::to_string(e.reason));
            }
        }
        if (json) std::cout << "]";
        else if (explained.empty()) std::cout << "  (empty plan: no node may be tried)\n";
    }
    if (json) std::cout << "]}\n";
    return 0;
}

}  // namespace routelab::cli
