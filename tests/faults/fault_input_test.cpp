// Bad input for the fault keys added with blackhole_node, reset_connections,
// replace_node, flap_node, schema_change, client_pause and every_s/count: each is refused
// with file:line: field: message.
#include <catch2/catch.hpp>

#include <cmath>

#include "sim/scenario/check_env.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;

namespace {

// 14 lines; the [[faults]] table starts on line 15, its keys on line 16.
const char* base = R"(
[scenario]
name = "faults"
[topology]
vnodes = 8
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 1 }, { name = "r2", nodes = 1 }, { name = "r3", nodes = 1 } ]
[workload]
rate_per_s = 100
duration_s = 10
[driver]
request_timeout_ms = 500
heartbeat_interval_s = 5
)";

std::string error_of(const std::string& faults) {
    auto parsed = scenario::parse_scenario_text(std::string(base) + "[[faults]]\n" + faults, "f.toml");
    if (parsed.ok()) return "accepted";
    return parsed.error().to_string();
}

}  // namespace

TEST_CASE("the new fault actions parse") {
    for (const char* ok : {
             "action = \"blackhole_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nduration_s = 2\n",
             "action = \"reset_connections\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nevery_s = 2\ncount = 4\n",
             "action = \"replace_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\naddress = \"127.0.9.1\"\n",
             "action = \"flap_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nperiod_s = 2\ncount = 4\n",
             "action = \"schema_change\"\nat_s = 1\nstatement = \"DROP TABLE routelab.kv\"\n",
             "action = \"client_pause\"\nat_s = 1\nduration_s = 1\nclient = \"default\"\n",
         }) {
        INFO(ok);
        CHECK(error_of(ok) == "accepted");
    }
}

TEST_CASE("bad fault keys name their line and field") {
    CHECK(error_of("action = \"blackhole_node\"\nat_s = 1\nnode = \"nope\"\n") == "f.toml:18: faults[0].node: unknown node \"nope\"");
    CHECK(error_of("action = \"blackhole_node\"\nat_s = 1\n") == "f.toml:15: faults[0].node: required field is missing");
    CHECK_THAT(error_of("action = \"reset_connections\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nduration_s = 1\n"),
               Catch::StartsWith("f.toml:19: faults[0].duration_s:"));
    CHECK(error_of("action = \"reset_connections\"\nat_s = 11\nnode = \"dc1-r1-n1\"\n") ==
          "f.toml:17: faults[0].at_s: the fault comes after the workload's end at 10 s: it could not take effect");
    CHECK(error_of("action = \"reset_connections\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nevery_s = 2\ncount = 6\n") ==
          "f.toml:17: faults[0].count: the last application, at 11 s, comes after the workload's end at 10 s: it could not take effect");
    CHECK(error_of("action = \"reset_connections\"\nat_s = 1\nnode = \"dc1-r1-n1\"\ncount = 0\n") ==
          "f.toml:19: faults[0].count: expected an integer in [1, 100000], got 0");
    CHECK(error_of("action = \"reset_connections\"\nat_s = 1\nnode = \"dc1-r1-n1\"\ncount = 3\n") ==
          "f.toml:15: faults[0].every_s: count > 1 needs every_s, the time between applications");
    CHECK(error_of("action = \"reset_connections\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nevery_s = 2\n") ==
          "f.toml:19: faults[0].every_s: every_s repeats nothing without count > 1");
    CHECK(error_of("action = \"stop_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nduration_s = 2\nevery_s = 2\ncount = 2\n") ==
          "f.toml:19: faults[0].duration_s: each application must revert before the next one: duration_s must be below every_s (2)");
    CHECK_THAT(error_of("action = \"reset_connections\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nevery_s = -1\ncount = 2\n"),
               Catch::StartsWith("f.toml:19: faults[0].every_s:"));
    CHECK(error_of("action = \"replace_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\naddress = \"nowhere\"\n") ==
          "f.toml:19: faults[0].address: expected an IPv4 address such as \"127.0.9.1\", got \"nowhere\"");
    CHECK(error_of("action = \"replace_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\naddress = \"127.0.0.2\"\n") ==
          "f.toml:19: faults[0].address: \"127.0.0.2\" is node dc1-r2-n1's address");
    CHECK(error_of("action = \"flap_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\n") == "f.toml:15: faults[0].period_s: required field is missing");
    CHECK(error_of("action = \"flap_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nperiod_s = 1\ndown_s = 1\n") ==
          "f.toml:20: faults[0].down_s: the node must come back before the next cycle: down_s must be below period_s (1)");
    CHECK_THAT(error_of("action = \"flap_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nperiod_s = 1\nevery_s = 1\n"),
               Catch::StartsWith("f.toml:20: faults[0]") && Catch::Contains("every_s"));
    CHECK(error_of("action = \"flap_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nperiod_s = 2\ncount = 6\n") ==
          "f.toml:17: faults[0].count: the last application, at 11 s, comes after the workload's end at 10 s: it could not take effect");
    CHECK_THAT(error_of("action = \"schema_change\"\nat_s = 1\nstatement = \"CREATE TABLOID x\"\n"),
               Catch::StartsWith("f.toml:18: faults[0].statement: not a CQL statement:"));
    CHECK(error_of("action = \"schema_change\"\nat_s = 1\nstatement = \"SELECT * FROM routelab.kv\"\n") ==
          "f.toml:18: faults[0].statement: expected a schema change (CREATE/DROP KEYSPACE or TABLE)");
    CHECK(error_of("action = \"schema_change\"\nat_s = 1\nstatement = \"DROP TABLE kv\"\n") ==
          "f.toml:18: faults[0].statement: name the table's keyspace (keyspace.table): the statement runs outside any USE");
    CHECK(error_of("action = \"schema_change\"\nat_s = 1\n") == "f.toml:15: faults[0].statement: required field is missing");
    CHECK(error_of("action = \"client_pause\"\nat_s = 1\nduration_s = 1\nclient = \"ghost\"\n") ==
          "f.toml:19: faults[0].client: unknown client \"ghost\" (known: default)");
    CHECK(error_of("action = \"client_pause\"\nat_s = 1\nclient = \"default\"\n") ==
          "f.toml:15: faults[0].duration_s: a client pause needs duration_s > 0");
    CHECK(error_of("action = \"blackhole_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nduration_s = 0\n") ==
          "f.toml:19: faults[0].duration_s: expected a duration > 0 (leave it out to keep the node blackholed)");
}

TEST_CASE("bad driver connection timeouts name their line and field") {
    auto with_driver = [](const std::string& line) {
        std::string text = base;
        text.replace(text.find("heartbeat_interval_s = 5\n"), 25, line);
        auto parsed = scenario::parse_scenario_text(text, "d.toml");
        return parsed.ok() ? std::string("accepted") : parsed.error().to_string();
    };
    CHECK_THAT(with_driver("heartbeat_interval_s = -1\n"), Catch::StartsWith("d.toml:14: driver.heartbeat_interval_s:"));
    CHECK(with_driver("heartbeat_interval_s = 100000\n") == "d.toml:14: driver.heartbeat_interval_s: expected at most 86400 s (0 turns heartbeats off)");
    CHECK_THAT(with_driver("heartbeat_timeout_s = 0\n"), Catch::StartsWith("d.toml:14: driver.heartbeat_timeout_s:"));
    CHECK_THAT(with_driver("connect_timeout_ms = -5\n"), Catch::StartsWith("d.toml:14: driver.connect_timeout_ms:"));
    CHECK_THAT(with_driver("heartbeat_interval_s = \"often\"\n"), Catch::StartsWith("d.toml:14: driver.heartbeat_interval_s:"));
    CHECK(with_driver("heartbeat_interval_s = 0\nheartbeat_timeout_s = 1\nconnect_timeout_ms = 0\n") == "accepted");
    const auto parsed = scenario::parse_scenario_text(base, "d.toml");
    REQUIRE(parsed.ok());
    CHECK(parsed.scenario().driver.heartbeat_interval_s == 5);
    CHECK(parsed.scenario().driver.heartbeat_timeout_s == 30);
    CHECK(parsed.scenario().driver.connect_timeout_ms == 5000);
}

TEST_CASE("fault windows for checks: repeated steps each, flap down periods, instantaneous steps none") {
    auto parsed = scenario::parse_scenario_text(std::string(base) + R"(
[[faults]]
action = "flap_node"
at_s = 1
period_s = 2
down_s = 0.5
count = 2
node = "dc1-r1-n1"
[[faults]]
action = "reset_connections"
at_s = 6
node = "dc1-r2-n1"
[[faults]]
action = "blackhole_node"
at_s = 8
node = "dc1-r3-n1"
)", "w.toml");
    REQUIRE(parsed.ok());
    const auto windows = scenario::fault_windows(parsed.scenario());
    REQUIRE(windows.size() == 3);
    CHECK(windows[0].from_s == Approx(1.0));
    CHECK(windows[0].to_s == Approx(1.5));
    CHECK(windows[1].from_s == Approx(3.0));
    CHECK(windows[1].to_s == Approx(3.5));
    CHECK(windows[2].from_s == Approx(8.0));
    CHECK(std::isinf(windows[2].to_s));
}
