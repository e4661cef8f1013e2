// Determinism of a whole run: the same scenario and seed give the same trace hash (and
// the same figures) every time; another seed gives another hash. Runs a small three-node
// scenario through every layer: workload, driver, simulated network, mock cluster.
#include <catch2/catch.hpp>

#include "sim/runner/run.hpp"

using namespace routelab;

namespace {

scenario::Scenario small_scenario() {
    scenario::Scenario s;
    s.name = "determinism";
    s.topology.datacenters = {{"dc1", {{"r1", 1}, {"r2", 1}, {"r3", 1}}}};
    s.topology.vnodes = 8;
    s.topology.shards = 2;
    s.cluster.replication_factor = 3;
    s.workload.rate_per_s = 2000;
    s.workload.duration_s = 1;
    s.workload.keys = 1000;
    s.workload.consistency = "QUORUM";
    return s;
}

}  // namespace

TEST_CASE("same scenario and seed give the same trace hash; another seed another hash") {
    const auto scenario = small_scenario();
    const auto first = runner::run_scenario(scenario, {42});
    const auto second = runner::run_scenario(scenario, {42});
    const auto other = runner::run_scenario(scenario, {43});
    INFO("trace hash " << first.trace_hash << ", verdict " << first.verdict);
    CHECK(first.verdict == "pass");
    CHECK(first.requests > 1500);
    CHECK(first.errors == 0);
    CHECK(first.lost == 0);
    CHECK(first.trace_hash == second.trace_hash);
    CHECK(first.trace_events == second.trace_events);
    CHECK(first.latency_ns.quantile(0.99) == second.latency_ns.quantile(0.99));
    CHECK(first.trace_hash != other.trace_hash);
}

TEST_CASE("every request ends exactly once even when the cluster cannot serve it") {
    auto scenario = small_scenario();
    scenario.workload.consistency = "ALL";
    scenario.cluster.replication_factor = 3;
    scenario.topology.datacenters = {{"dc1", {{"r1", 1}, {"r2", 1}}}};  // RF 3 on 2 nodes: ALL needs 2 of 2
    const auto record = runner::run_scenario(scenario, {7});
    CHECK(record.verdict == "pass");
    CHECK(record.lost == 0);
    CHECK(record.requests == record.completed + record.errors);
}
