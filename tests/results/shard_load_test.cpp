// Goal: window_shard_load and window_connections describe the shards' queues and the
// nodes' connections per window without changing the run. Method: a three-node run with
// one node slowed 20x for part of it: one row per window, node and shard; the work counted
// covers every request's coordinator step at least; the slowed node's shards build a
// backlog the others do not; every node holds the client's connections. (The recorder only
// reads the cluster: the quickstart's trace hash, 49711bf472cf78e7, is the same with it.)
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "sim/runner/run.hpp"

using namespace routelab;

namespace {

scenario::Scenario slowed() {
    scenario::Scenario s;
    s.name = "shard-load";
    s.topology.datacenters = {{"dc1", {{"r1", 1}, {"r2", 1}, {"r3", 1}}}};
    s.topology.vnodes = 8;
    s.topology.shards = 2;
    s.cluster.replication_factor = 3;
    s.workload.rate_per_s = 3000;
    s.workload.duration_s = 4;
    s.workload.keys = 1000;
    s.workload.consistency = "ONE";
    s.driver.policy = "round_robin";
    scenario::FaultSpec slow;
    slow.action = scenario::FaultSpec::Action::slow_node;
    slow.at_s = 1;
    slow.duration_s = 2;
    slow.node = "dc1-r1-n1";
    slow.factor = 20;
    s.faults.push_back(slow);
    return s;
}

}  // namespace

TEST_CASE("per-shard work and backlog and per-node connections per window", "[results][shard_load]") {
    const auto record = runner::run_scenario(slowed(), {5});
    REQUIRE(record.verdict == "pass");
    std::set<std::tuple<double, std::string, int>> keys;
    std::uint64_t work = 0;
    std::map<std::string, double> worst_backlog_us;
    for (const auto& w : record.window_shard_load) {
        CHECK(keys.insert({w.start_s, w.node, w.shard}).second);   // one row per window, node and shard
        CHECK(w.backlog_us >= 0);
        work += w.work;
        if (w.start_s >= 1 && w.start_s < 3) worst_backlog_us[w.node] = std::max(worst_backlog_us[w.node], w.backlog_us);
    }
    const std::size_t windows = keys.size() / 6;   // 3 nodes x 2 shards
    CHECK(keys.size() == windows * 6);
    CHECK(windows >= 4);
    CHECK(work >= record.requests);   // each request's coordinator step, plus replica operations
    INFO("backlog dc1-r1-n1 " << worst_backlog_us["dc1-r1-n1"] << " us, dc1-r2-n1 " << worst_backlog_us["dc1-r2-n1"] << " us");
    CHECK(worst_backlog_us["dc1-r1-n1"] > 10 * std::max(1.0, worst_backlog_us["dc1-r2-n1"]));
    CHECK(record.window_connections.size() == windows * 3);
    for (const auto& c : record.window_connections) CHECK(c.connections >= 1);
}
