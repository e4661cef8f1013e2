// The fault timeline end to end: faults written in a scenario change what requests see,
// at the times written, and revert; malformed fault entries are refused with file:line.
#include <catch2/catch.hpp>

#include "sim/runner/run.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;

namespace {

const char* base = R"(
[scenario]
name = "faults"
[topology]
vnodes = 8
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 1 }, { name = "r2", nodes = 1 }, { name = "r3", nodes = 1 } ]
[workload]
rate_per_s = 1000
duration_s = 4
consistency = "QUORUM"
[driver]
request_timeout_ms = 500
)";

results::RunRecord run_with(const std::string& faults, std::uint64_t seed = 1) {
    auto parsed = scenario::parse_scenario_text(std::string(base) + faults, "faults.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    return runner::run_scenario(parsed.scenario(), {seed});
}

}  // namespace

TEST_CASE("injected errors fail exactly the requests in their window") {
    const auto clean = run_with("");
    CHECK(clean.errors == 0);
    const auto injected = run_with(R"(
[[faults]]
action = "inject_error"
at_s = 1
duration_s = 1
error = "unavailable"
)");
    REQUIRE(injected.faults.size() == 1);
    CHECK(injected.faults[0].start_s == Approx(1.0));
    CHECK(injected.faults[0].end_s == Approx(2.0));
    // About a second's worth of the 1000/s workload fails, none outside the window.
    CHECK(injected.errors > 800);
    CHECK(injected.errors < 1200);
    for (const auto& w : injected.windows) {
        if (w.start_s < 0.99 || w.start_s > 2.01) CHECK(w.errors == 0);
    }
    CHECK(injected.lost == 0);
}

TEST_CASE("with RF 3 at QUORUM one stopped node costs no request, two cost them all") {
    const auto one = run_with(R"(
[[faults]]
action = "stop_node"
at_s = 1
duration_s = 2
node = "dc1-r1-n1"
)");
    CHECK(one.errors == 0);
    CHECK(one.lost == 0);
    const auto two = run_with(R"(
[[faults]]
action = "stop_node"
at_s = 1
node = "dc1-r1-n1"
[[faults]]
action = "stop_node"
at_s = 1
node = "dc1-r2-n1"
)");
    CHECK(two.errors > 2500);  // every request after 1 s: Unavailable or no host
    CHECK(two.lost == 0);
}

TEST_CASE("a decommissioned node leaves the ring and joins again; QUORUM requests keep succeeding") {
    const std::string faults = R"(
[[faults]]
action = "decommission_node"
at_s = 1
duration_s = 1.5
node = "dc1-r1-n1"
)";
    const auto r = run_with(faults);
    REQUIRE(r.faults.size() == 1);
    CHECK(r.faults[0].description == "decommission dc1-r1-n1");
    CHECK(r.faults[0].start_s == Approx(1.0));
    CHECK(r.faults[0].end_s == Approx(2.5));
    CHECK(r.errors == 0);   // two replicas left of RF 3 still make a quorum
    CHECK(r.lost == 0);
    CHECK(run_with(faults).trace_hash == r.trace_hash);
}

TEST_CASE("a node declared outside the ring joins later; a delayed DOWN costs no request at QUORUM") {
    auto parsed = scenario::parse_scenario_text(std::string(base) + R"(
[[topology.nodes]]
name = "spare"
datacenter = "dc1"
rack = "r1"
joined = false
[cluster]
status_delay_ms = 3000
[[faults]]
action = "join_node"
at_s = 1
node = "spare"
[[faults]]
action = "stop_node"
at_s = 2
duration_s = 1
node = "dc1-r2-n1"
)", "faults.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    const auto config = runner::cluster_config(parsed.scenario());
    REQUIRE(config.nodes.size() == 4);
    CHECK_FALSE(config.nodes[3].joined);
    CHECK(config.status_delay == sim::Duration::from_s(3));
    const auto r = runner::run_scenario(parsed.scenario(), {1});
    REQUIRE(r.faults.size() == 2);
    CHECK(r.faults[0].description == "join spare");
    CHECK(r.errors == 0);
    CHECK(r.lost == 0);
}

TEST_CASE("a partition between the client and a node stalls, then heals") {
    const auto r = run_with(R"(
[[faults]]
action = "partition"
at_s = 1
duration_s = 0.2
node = "client"
peer = "dc1-r1-n1"
)");
    CHECK(r.lost == 0);
    CHECK(r.latency_ns.max() >= 100'000'000);  // some requests waited out part of the partition
}

TEST_CASE("fault runs replay bit for bit") {
    const std::string faults = R"(
[[faults]]
action = "slow_node"
at_s = 1
duration_s = 1
node = "dc1-r2-n1"
factor = 5
)";
    CHECK(run_with(faults, 9).trace_hash == run_with(faults, 9).trace_hash);
}

TEST_CASE("malformed fault entries name their line and field") {
    auto unknown_node = scenario::parse_scenario_text(std::string(base) + "[[faults]]\naction = \"stop_node\"\nat_s = 1\nnode = \"nope\"\n", "f.toml");
    REQUIRE_FALSE(unknown_node.ok());
    CHECK(unknown_node.error().to_string() == "f.toml:18: faults[0].node: unknown node \"nope\"");
    auto bad_action = scenario::parse_scenario_text(std::string(base) + "[[faults]]\naction = \"explode\"\nat_s = 1\n", "f.toml");
    REQUIRE_FALSE(bad_action.ok());
    CHECK_THAT(bad_action.error().to_string(), Catch::StartsWith("f.toml:16: faults[0].action: unknown fault action \"explode\""));
    auto extra_key = scenario::parse_scenario_text(std::string(base) + "[[faults]]\naction = \"stop_node\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nfactor = 2\n", "f.toml");
    REQUIRE_FALSE(extra_key.ok());
    CHECK_THAT(extra_key.error().to_string(), Catch::Contains("faults[0]") && Catch::Contains("factor"));
    auto join_unknown = scenario::parse_scenario_text(std::string(base) + "[[faults]]\naction = \"join_node\"\nat_s = 1\nnode = \"nope\"\n", "f.toml");
    REQUIRE_FALSE(join_unknown.ok());
    CHECK(join_unknown.error().to_string() == "f.toml:18: faults[0].node: unknown node \"nope\"");
}
