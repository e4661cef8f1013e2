// Goal: [[cluster.keyspaces]] (strategies, per-DC replication, table names), the workload's
// and operations' keyspace, and request location preferences (operations and profiles)
// parse into the model; every bad entry names its line and field. Method: small scenario
// texts parsed in memory, the error's line counted from the text.
#include <catch2/catch.hpp>

#include <string>

#include "sim/scenario/parse.hpp"

using namespace routelab::scenario;

namespace {

// Two DCs of three racks, one node each.
const std::string topology = R"([scenario]
name = "ks"

[topology]
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1" }, { name = "r2" }, { name = "r3" } ]
[[topology.datacenters]]
name = "dc2"
racks = [ { name = "r1" }, { name = "r2" }, { name = "r3" } ]
)";

const std::uint32_t topology_lines = 10;

ParseResult parse(const std::string& rest) { return parse_scenario_text(topology + rest, "ks.toml"); }

}  // namespace

TEST_CASE("keyspaces with their strategies, tables and preferences parse into the model", "[scenario][keyspaces]") {
    const auto result = parse(R"(
[[cluster.keyspaces]]
name = "app"
replication = { dc1 = 3, dc2 = 1 }

[[cluster.keyspaces]]
name = "sessions"
strategy = "SimpleStrategy"
replication_factor = 2
table = "by_user"
clustered_table = "events"

[workload]
keyspace = "app"
operations = [
  { kind = "read", prefer_dc = "dc2", prefer_rack = "r3" },
  { kind = "write", keyspace = "sessions" },
]

[driver.profiles.remote]
prefer_dc = "dc2"
)");
    INFO((result ? std::string("ok") : result.error().to_string()));
    REQUIRE(result.ok());
    const Scenario& s = result.scenario();
    REQUIRE(s.cluster.keyspaces.size() == 2);
    const KeyspaceSpec& app = s.cluster.keyspaces[0];
    CHECK(app.name == "app");
    CHECK(app.strategy == KeyspaceSpec::Strategy::network_topology);
    CHECK(app.factor_in("dc1") == 3);
    CHECK(app.factor_in("dc2") == 1);
    CHECK(app.factor_in("dc3") == 0);
    CHECK(app.table == "kv");
    const KeyspaceSpec& sessions = s.cluster.keyspaces[1];
    CHECK(sessions.strategy == KeyspaceSpec::Strategy::simple);
    CHECK(sessions.replication_factor == 2);
    CHECK(sessions.factor_in("dc1") == 2);
    CHECK(sessions.table == "by_user");
    CHECK(sessions.clustered_table == "events");
    // The [cluster] fields mirror the first keyspace, the default of every workload.
    CHECK(s.cluster.keyspace == "app");
    CHECK(find_keyspace(s.cluster, "")->name == "app");
    CHECK(find_keyspace(s.cluster, "sessions")->table == "by_user");
    CHECK_FALSE(find_keyspace(s.cluster, "nope"));
    CHECK(s.workload.keyspace == "app");
    REQUIRE(s.workload.operations.size() == 2);
    CHECK(s.workload.operations[0].prefer_dc == "dc2");
    CHECK(s.workload.operations[0].prefer_rack == "r3");
    CHECK(s.workload.operations[1].keyspace == "sessions");
    REQUIRE(s.driver.profiles.size() == 1);
    CHECK(s.driver.profiles[0].prefer_dc == "dc2");
}

TEST_CASE("without [[cluster.keyspaces]] the [cluster] fields make the one keyspace", "[scenario][keyspaces]") {
    const auto result = parse("\n[cluster]\nkeyspace = \"shop\"\nreplication_factor = 2\n");
    REQUIRE(result.ok());
    const Scenario& s = result.scenario();
    CHECK(s.cluster.keyspaces.empty());
    const auto all = keyspaces_of(s.cluster);
    REQUIRE(all.size() == 1);
    CHECK(all[0].name == "shop");
    CHECK(all[0].strategy == KeyspaceSpec::Strategy::network_topology);
    CHECK(all[0].factor_in("dc2") == 2);
    CHECK(all[0].table == "kv");
}

TEST_CASE("each bad keyspace, keyspace reference or preference names its line and field", "[scenario][keyspaces]") {
    struct Case {
        std::string text;        // after the topology; its first line is the topology's next
        std::uint32_t line;      // within `text` (1 = the line after the topology)
        std::string field;
        std::string message_part;
    };
    const Case cases[] = {
        {"[[cluster.keyspaces]]\nname = \"a\"\nreplication = { dc9 = 1 }\n", 3, "cluster.keyspaces[0].replication.dc9",
         "unknown datacenter \"dc9\" (topology has: dc1, dc2)"},
        {"[[cluster.keyspaces]]\nname = \"a\"\nreplication_factor = 2\nreplication = { dc1 = 1 }\n", 4, "cluster.keyspaces[0].replication",
         "not both"},
        {"[[cluster.keyspaces]]\nname = \"a\"\nstrategy = \"SimpleStrategy\"\nreplication = { dc1 = 1 }\n", 4,
         "cluster.keyspaces[0].replication", "SimpleStrategy has one replication_factor"},
        {"[[cluster.keyspaces]]\nname = \"a\"\nstrategy = \"LocalStrategy\"\n", 3, "cluster.keyspaces[0].strategy",
         "expected \"NetworkTopologyStrategy\" or \"SimpleStrategy\""},
        {"[[cluster.keyspaces]]\nname = \"a\"\nreplication = { dc1 = 4 }\n", 3, "cluster.keyspaces[0].replication.dc1",
         "replication 4 exceeds the 3 node(s) of datacenter \"dc1\""},
        {"[[cluster.keyspaces]]\nname = \"a\"\nstrategy = \"SimpleStrategy\"\nreplication_factor = 7\n", 4,
         "cluster.keyspaces[0].replication_factor", "exceeds the cluster's 6 node(s)"},
        {"[[cluster.keyspaces]]\nname = \"a\"\nreplication = { dc1 = 0, dc2 = 0 }\n", 3, "cluster.keyspaces[0].replication",
         "every factor is 0"},
        {"[[cluster.keyspaces]]\nname = \"a\"\n[[cluster.keyspaces]]\nname = \"a\"\n", 3, "cluster.keyspaces[1].name", "declared twice"},
        {"[[cluster.keyspaces]]\nname = \"system_auth\"\n", 1, "cluster.keyspaces[0].name", "the server's own keyspaces"},
        {"[[cluster.keyspaces]]\nname = \"9a\"\n", 2, "cluster.keyspaces[0].name", "expected a CQL identifier"},
        {"[[cluster.keyspaces]]\nname = \"a\"\ntable = \"t\"\nclustered_table = \"t\"\n", 1, "cluster.keyspaces[0].clustered_table",
         "must differ from table"},
        {"[cluster]\nkeyspace = \"x\"\n[[cluster.keyspaces]]\nname = \"a\"\n", 2, "cluster.keyspace", "give it in the keyspace's entry"},
        {"[workload]\nkeyspace = \"nope\"\n", 2, "workload.keyspace", "unknown keyspace \"nope\" (declared: routelab)"},
        {"[workload]\noperations = [\n  { kind = \"read\" },\n  { kind = \"write\", keyspace = \"nope\" },\n]\n", 4,
         "workload.operations[1].keyspace", "unknown keyspace \"nope\""},
        {"[workload]\noperations = [\n  { kind = \"read\", prefer_rack = \"r1\" },\n]\n", 3, "workload.operations[0].prefer_rack",
         "needs prefer_dc"},
        {"[workload]\noperations = [\n  { kind = \"read\", prefer_dc = \"dc3\" },\n]\n", 3, "workload.operations[0].prefer_dc",
         "unknown datacenter \"dc3\""},
        {"[workload]\noperations = [\n  { kind = \"read\", prefer_dc = \"dc1\", prefer_rack = \"r9\" },\n]\n", 3,
         "workload.operations[0].prefer_rack", "datacenter \"dc1\" has no rack \"r9\" (it has: r1, r2, r3)"},
        {"[driver.profiles.p]\nprefer_dc = \"mars\"\n", 2, "driver.profiles.p.prefer_dc", "unknown datacenter \"mars\""},
    };
    for (const auto& c : cases) {
        const auto result = parse("\n" + c.text);
        INFO(c.text);
        REQUIRE_FALSE(result.ok());
        const ScenarioError& e = result.error();
        INFO(e.to_string());
        CHECK(e.line == topology_lines + 1 + c.line);
        CHECK(e.field == c.field);
        CHECK(e.message.find(c.message_part) != std::string::npos);
    }
}
