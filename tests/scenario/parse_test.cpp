// Goal: the scenario parser accepts every documented key and rejects each kind of bad
// input with exactly the expected file:line and field. Method: parse files under good/ and
// bad/ and compare the model or the ScenarioError field by field.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "sim/scenario/nodes.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;
using namespace routelab::scenario;

namespace {

std::string data(const std::string& rel) { return std::string(ROUTELAB_SCENARIO_TEST_DIR) + "/" + rel; }

template <class T>
const T& as(const sim::Distribution& d) {
    REQUIRE(std::holds_alternative<T>(d.kind));
    return std::get<T>(d.kind);
}

}  // namespace

TEST_CASE("a file with every key parses into the matching model", "[scenario]") {
    const auto result = parse_scenario_file(data("good/full.toml"));
    INFO((result ? std::string("ok") : result.error().to_string()));
    REQUIRE(result.ok());
    const Scenario& s = result.scenario();
    CHECK(s.name == "full-example");
    CHECK(s.description == "two datacenters, explicit nodes");
    CHECK(s.source_path == data("good/full.toml"));
    CHECK(s.seed == 7);

    CHECK(s.topology.vnodes == 8);
    CHECK(s.topology.shards == 4);
    REQUIRE(s.topology.datacenters.size() == 2);
    CHECK(s.topology.datacenters[0].name == "dc1");
    REQUIRE(s.topology.datacenters[0].racks.size() == 2);
    CHECK(s.topology.datacenters[0].racks[0].name == "r1");
    CHECK(s.topology.datacenters[0].racks[0].nodes == 2);
    CHECK(s.topology.datacenters[0].racks[1].name == "r2");
    CHECK(s.topology.datacenters[0].racks[1].nodes == 1);  // default
    CHECK(s.topology.datacenters[1].name == "dc2");
    REQUIRE(s.topology.nodes.size() == 2);
    CHECK(s.topology.nodes[0].name == "n9");
    CHECK(s.topology.nodes[0].datacenter == "dc2");
    CHECK(s.topology.nodes[0].rack == "r1");
    CHECK(s.topology.nodes[0].tokens == std::vector<std::int64_t>{-9'000'000'000'000'000'000, 0});
    CHECK(s.topology.nodes[1].name == "dc2-r1-n3");  // after the counted dc2-r1-n1 and n9
    CHECK(s.topology.nodes[1].tokens.empty());

    const auto& same_rack = as<sim::dist::Uniform>(s.network.same_rack_us);
    CHECK(same_rack.min == 10.0);
    CHECK(same_rack.max == 20.5);
    CHECK(as<sim::dist::Exponential>(s.network.same_dc_us).mean == 100.0);
    const auto& mixture = as<sim::dist::Mixture>(s.network.cross_dc_us);
    REQUIRE(mixture.components.size() == 2);
    CHECK(mixture.components[0].weight == 0.99);
    CHECK(as<sim::dist::Constant>(mixture.components[0].distribution).value == 100.0);
    CHECK(mixture.components[1].weight == 0.01);
    CHECK(as<sim::dist::Pareto>(mixture.components[1].distribution).scale == 1000.0);
    CHECK(as<sim::dist::Pareto>(mixture.components[1].distribution).shape == 1.5);

    CHECK(s.cluster.keyspace == "ks1");
    CHECK(s.cluster.table == "t1");
    CHECK(s.cluster.replication_factor == 2);
    CHECK(as<sim::dist::Empirical>(s.cluster.service_time_us).sorted_values ==
          std::vector<double>{100, 200, 300});

    CHECK(s.workload.kind == WorkloadKind::open_loop);
    CHECK(s.workload.rate_per_s == 1500.5);
    CHECK(s.workload.duration_s == 3.0);  // an integer where a float is expected
    CHECK(s.workload.keys == 500);
    CHECK(s.workload.read_fraction == 1.0);
    CHECK(s.workload.consistency == "LOCAL_QUORUM");  // names are case-insensitive
    CHECK(s.workload.value_bytes == 128);

    CHECK(s.driver.policy == "dc_aware_round_robin");
    CHECK(s.driver.local_datacenter == "dc2");
    CHECK(s.driver.request_timeout_ms == 500);
    CHECK(s.driver.connections_per_node == 2);
    CHECK(s.output.window_s == 0.5);

    const auto nodes = all_nodes(s.topology);
    REQUIRE(nodes.size() == 6);
    CHECK(nodes[0].name == "dc1-r1-n1");
    CHECK(nodes[1].name == "dc1-r1-n2");
    CHECK(nodes[2].name == "dc1-r2-n1");
    CHECK(nodes[3].name == "dc2-r1-n1");
    CHECK(nodes[4].name == "n9");
    CHECK(nodes[5].name == "dc2-r1-n3");
}

TEST_CASE("a minimal file gets the model's defaults", "[scenario]") {
    const auto result = parse_scenario_file(data("good/minimal.toml"));
    REQUIRE(result.ok());
    const Scenario& s = result.scenario();
    const Scenario defaults;
    CHECK(s.name == "minimal");
    CHECK(s.seed == 1);
    CHECK(s.description.empty());
    CHECK(s.topology.vnodes == defaults.topology.vnodes);
    CHECK(s.topology.shards == defaults.topology.shards);
    CHECK(s.cluster.replication_factor == 3);
    CHECK(s.workload.rate_per_s == defaults.workload.rate_per_s);
    CHECK(s.workload.consistency == defaults.workload.consistency);
    CHECK(s.driver.policy == "round_robin");
    CHECK(s.driver.local_datacenter.empty());
    CHECK(s.output.window_s == defaults.output.window_s);
    CHECK(s.network.same_dc_us.describe() == defaults.network.same_dc_us.describe());
}

TEST_CASE("the quickstart scenario parses", "[scenario]") {
    const auto result = parse_scenario_file(std::string(ROUTELAB_SOURCE_ROOT) + "/scenarios/quickstart.toml");
    INFO((result ? std::string("ok") : result.error().to_string()));
    REQUIRE(result.ok());
    CHECK(result.scenario().name == "quickstart");
    CHECK(all_nodes(result.scenario().topology).size() == 3);
    CHECK(result.scenario().workload.consistency == "QUORUM");
}

TEST_CASE("each kind of bad input names its file, line and field", "[scenario]") {
    struct Case {
        const char* file;
        std::uint32_t line;
        const char* field;
        const char* message_part;
    };
    const Case cases[] = {
        {"syntax_error", 4, "", "TOML syntax error: bad format"},
        {"duplicate_key", 4, "", "TOML syntax error: toml::insert_value"},
        {"unknown_table", 9, "workloads", "unknown key 'workloads' (allowed: scenario, topology"},
        {"unknown_key", 11, "workload.rate", "unknown key 'rate' (allowed: kind, rate_per_s"},
        {"unknown_key_rack", 11, "topology.datacenters[1].racks[0].node", "(allowed: name, nodes)"},
        {"unknown_key_distribution", 10, "network.same_dc.mean", "(allowed: kind, median, sigma)"},
        {"wrong_type", 10, "workload.rate_per_s", "expected a number > 0, got string \"fast\""},
        {"wrong_type_table", 2, "workload", "expected a table, got 5"},
        {"missing_name", 3, "scenario.name", "required field is missing"},
        {"missing_scenario", 0, "scenario", "required table [scenario] is missing"},
        {"negative_rate", 11, "workload.rate_per_s", "expected a number > 0, got -5"},
        {"zero_rate", 10, "workload.rate_per_s", "expected a number > 0, got 0"},
        {"read_fraction", 10, "workload.read_fraction", "expected a number in [0, 1], got 1.5"},
        {"rf_zero", 10, "cluster.replication_factor", "expected an integer in [1, 100], got 0"},
        {"rf_too_big", 11, "cluster.replication_factor", "replication_factor 4 exceeds the 3 node(s) of datacenter \"dc1\""},
        {"shards_zero", 6, "topology.shards", "got 0"},
        {"vnodes_zero", 6, "topology.vnodes", "got 0"},
        {"duplicate_dc", 10, "topology.datacenters[1].name", "duplicate datacenter name \"dc1\""},
        {"duplicate_rack", 12, "topology.datacenters[1].racks[1].name", "duplicate rack name \"r1\""},
        {"duplicate_node", 10, "topology.nodes[0].name", "duplicate node name \"dc1-r2-n1\""},
        {"duplicate_token", 16, "topology.nodes[1].tokens[1]", "duplicate token 2"},
        {"unknown_consistency", 10, "workload.consistency", "unknown consistency \"MOSTLY\" (known: ANY, ONE"},
        {"unknown_distribution", 10, "cluster.service_time.kind", "unknown distribution kind \"gamma\""},
        {"bad_mixture", 12, "cluster.service_time.components[1].weight", "expected a number >= 0, got -1"},
        {"uniform_order", 10, "network.same_rack.max", "expected max >= min"},
        {"local_dc_unknown", 11, "driver.local_datacenter", "unknown datacenter \"dc9\" (topology has: dc1)"},
        {"no_nodes", 5, "topology", "expected at least one node"},
        {"bad_name", 10, "topology.datacenters[1].name", "expected a name of"},
        {"private_link_without_proxies", 9, "cluster.private_link", "needs at least one [[cluster.proxies]]"},
        {"proxy_bad_address", 11, "cluster.proxies[0].address", "expected a loopback IPv4 address"},
        {"proxy_unknown_node", 13, "cluster.proxies[0].nodes[1]", "unknown node \"dc1-r9-n1\""},
        {"route_bad_address", 14, "faults[0].address", "expected an IPv4 address"},
        {"decommission_unknown_node", 13, "faults[0].node", "unknown node \"dc1-r9-n1\""},
        {"join_node_without_node", 9, "faults[0].node", "required field is missing"},
        {"joined_not_boolean", 12, "topology.nodes[0].joined", "expected true or false, got string \"later\""},
        {"status_delay_out_of_range", 10, "cluster.status_delay_ms", "expected an integer in [0, 600000], got -3000"},
        {"no_joined_node", 12, "topology.nodes[0].joined", "at least one must start in the ring"},
    };
    for (const auto& c : cases) {
        const std::string path = data(std::string("bad/") + c.file + ".toml");
        const auto result = parse_scenario_file(path);
        INFO(path);
        REQUIRE_FALSE(result.ok());
        const ScenarioError& e = result.error();
        INFO(e.to_string());
        CHECK(e.file == path);
        CHECK(e.line == c.line);
        CHECK(e.field == c.field);
        CHECK(e.message.find(c.message_part) != std::string::npos);
        const std::string prefix =
            path + (c.line ? ":" + std::to_string(c.line) : std::string()) + ": " +
            (*c.field ? std::string(c.field) + ": " : std::string());
        CHECK(e.to_string().rfind(prefix, 0) == 0);
        CHECK(e.to_string().find('\n') == std::string::npos);
    }
}

TEST_CASE("decommission_node and join_node fault actions name a node", "[scenario]") {
    const std::string base = R"(
[scenario]
name = "membership"
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 2 } ]
[cluster]
replication_factor = 2
)";
    const auto result = parse_scenario_text(base + R"(
[[faults]]
action = "join_node"
at_s = 4
node = "dc1-r1-n2"
[[faults]]
action = "decommission_node"
at_s = 1
duration_s = 2
node = "dc1-r1-n1"
)", "m.toml");
    INFO((result ? std::string("ok") : result.error().to_string()));
    REQUIRE(result.ok());
    const auto& faults = result.scenario().faults;
    REQUIRE(faults.size() == 2);
    CHECK(faults[0].action == FaultSpec::Action::decommission_node);   // sorted by time
    CHECK(faults[0].node == "dc1-r1-n1");
    CHECK(faults[0].at_s == 1.0);
    CHECK(faults[0].duration_s == 2.0);
    CHECK(faults[0].line == 14);
    CHECK(faults[1].action == FaultSpec::Action::join_node);
    CHECK(faults[1].node == "dc1-r1-n2");
    CHECK(faults[1].duration_s == 0.0);

    const auto extra = parse_scenario_text(base + "[[faults]]\naction = \"decommission_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nfactor = 2\n", "m.toml");
    REQUIRE_FALSE(extra.ok());
    CHECK(extra.error().line == 13);   // the unknown key's line
    CHECK(extra.error().field == "faults[0].factor");
    CHECK_THAT(extra.error().message, Catch::Contains("(allowed: action, at_s, duration_s, node, every_s, count)"));
}

TEST_CASE("joined = false on explicit nodes and [cluster] status_delay_ms", "[scenario]") {
    const auto result = parse_scenario_text(R"(
[scenario]
name = "membership"
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 3 } ]
[[topology.nodes]]
name = "spare"
datacenter = "dc1"
rack = "r1"
joined = false
[cluster]
status_delay_ms = 3000
[[faults]]
action = "join_node"
at_s = 2
node = "spare"
)", "m.toml");
    INFO((result ? std::string("ok") : result.error().to_string()));
    REQUIRE(result.ok());
    const Scenario& s = result.scenario();
    REQUIRE(s.topology.nodes.size() == 1);
    CHECK_FALSE(s.topology.nodes[0].joined);
    CHECK(s.cluster.status_delay_ms == 3000);
    const auto nodes = all_nodes(s.topology);
    REQUIRE(nodes.size() == 4);
    CHECK(nodes[0].joined);   // counted nodes always start in the ring
    CHECK_FALSE(nodes[3].joined);
    REQUIRE(s.faults.size() == 1);
    CHECK(s.faults[0].action == FaultSpec::Action::join_node);

    const Scenario defaults;
    CHECK(defaults.cluster.status_delay_ms == 0);
    CHECK(NodeSpec{}.joined);
}

TEST_CASE("an unreadable file is an error, not an exception", "[scenario]") {
    const auto missing = parse_scenario_file(data("bad/does-not-exist.toml"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "cannot open the file for reading");
    const auto directory = parse_scenario_file(data("bad"));
    REQUIRE_FALSE(directory.ok());
}

TEST_CASE("text input: errors use the given name; odd inputs never throw", "[scenario]") {
    const auto r = parse_scenario_text("[scenario]\nname = \"x\"\n[[topology.nodes]]\ndatacenter = \"d\"\n", "inline");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().to_string() == "inline:3: topology.nodes[0].rack: required field is missing");

    const char* odd[] = {"", "[scenario]", "scenario = []", "[scenario]\nname = 5",
                         "[scenario]\nname = \"x\"\ntopology = { datacenters = 3 }",
                         "[scenario]\nname = \"x\"\n[[topology.datacenters]]\nname = \"d\"\nracks = [1]",
                         "[scenario]\nname = \"x\"\n[[topology.datacenters]]\nname = \"d\"\nracks = [{name=\"r\", nodes=1e9}]",
                         "[scenario]\nname = \"x\"\n[network]\nsame_dc = { kind = \"mixture\", components = [] }",
                         "[scenario]\nname = \"x\"\n[workload]\nrate_per_s = nan",
                         "[scenario]\nname = \"x\"\n[workload]\nrate_per_s = inf",
                         "\xff\xfe", "a = 'unterminated"};
    for (const char* text : odd) {
        INFO(text);
        const auto result = parse_scenario_text(text, "odd");
        CHECK_FALSE(result.ok());
        if (!result.ok()) CHECK(result.error().file == "odd");
    }
}

TEST_CASE("a datacenter with only explicit nodes and no local datacenter is fine", "[scenario]") {
    const auto r = parse_scenario_text(
        "[scenario]\nname = \"x\"\n[cluster]\nreplication_factor = 1\n"
        "[[topology.nodes]]\ndatacenter = \"d\"\nrack = \"r\"\n",
        "inline");
    INFO((r ? std::string("ok") : r.error().to_string()));
    REQUIRE(r.ok());
    CHECK(r.scenario().topology.nodes.at(0).name == "d-r-n1");
}
