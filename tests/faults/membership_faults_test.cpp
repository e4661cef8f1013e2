// replace_node, flap_node and schema_change end to end: what the driver's metadata and
// the results show of each.
#include "tests/faults/fault_world.hpp"

#include <algorithm>

#include "sim/net/endpoint.hpp"

using namespace routelab;
using test::WorldRun;

namespace {

const char* steady = R"(
[workload]
rate_per_s = 300
duration_s = 4
consistency = "QUORUM"
[driver]
request_timeout_ms = 500
)";

}  // namespace

TEST_CASE("replace_node: the driver learns the new address and host id with the same tokens; the old one is gone") {
    WorldRun run(test::three_nodes(std::string(steady) + R"(
[[faults]]
action = "replace_node"
at_s = 1
node = "dc1-r2-n1"
)"));
    const auto& before = run.world->cluster().topology().node(1);
    const std::vector<std::int64_t> tokens = before.tokens;
    const std::uint32_t old_ip = before.ip;
    const auto old_host_id = before.host_id;
    run.run();
    REQUIRE(run.record.faults.size() == 1);
    CHECK(run.record.faults[0].description == "replace dc1-r2-n1");
    const auto& after = run.world->cluster().topology().node(1);
    CHECK(after.ip == net::ipv4(127, 4, 0, 1));
    CHECK(after.host_id != old_host_id);
    CHECK(after.tokens == tokens);

    const auto& state = run.world->clients().front()->session()->cluster();
    const driver::NodeInfo* fresh = nullptr;
    const driver::NodeInfo* old = nullptr;
    for (const auto& n : state.nodes) {
        if (n.address.ip == after.ip) fresh = &n;
        if (n.address.ip == old_ip) old = &n;
    }
    REQUIRE(fresh != nullptr);
    CHECK(fresh->up);
    CHECK(fresh->host_id == cluster::format_uuid(after.host_id));
    CHECK(fresh->tokens == tokens);
    REQUIRE(old != nullptr);            // the driver keeps the index, with nothing on it
    CHECK_FALSE(old->up);
    CHECK(old->tokens.empty());
    // Requests reach the replacement; none were lost, QUORUM held throughout.
    CHECK(std::any_of(run.log.dials.begin(), run.log.dials.end(), [&](const auto& d) { return d.ip == after.ip && d.at_s >= 1.0; }));
    CHECK(run.record.lost == 0);
    CHECK(run.record.errors == 0);
}

TEST_CASE("flap_node: count down/up pairs, period_s apart, each a fault_events row") {
    WorldRun run(test::three_nodes(std::string(steady) + R"(
[[faults]]
action = "flap_node"
at_s = 0.5
period_s = 1
down_s = 0.4
count = 3
node = "dc1-r3-n1"
)"));
    run.run();
    REQUIRE(run.record.faults.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(run.record.faults[k].description == "flap dc1-r3-n1 (down)");
        CHECK(run.record.faults[k].start_s == Approx(0.5 + static_cast<double>(k)));
        CHECK(run.record.faults[k].end_s == Approx(0.9 + static_cast<double>(k)));
    }
    CHECK(run.world->cluster().node_state(2).up);
    CHECK(run.record.lost == 0);
    CHECK(run.record.errors == 0);   // RF 3 at QUORUM survives one node
}

TEST_CASE("any fault repeats with every_s and count") {
    WorldRun run(test::three_nodes(std::string(steady) + R"(
[[faults]]
action = "slow_node"
at_s = 1
duration_s = 0.5
every_s = 1
count = 2
node = "dc1-r1-n1"
factor = 3
)"));
    run.run();
    REQUIRE(run.record.faults.size() == 2);
    CHECK(run.record.faults[0].start_s == Approx(1.0));
    CHECK(run.record.faults[0].end_s == Approx(1.5));
    CHECK(run.record.faults[1].start_s == Approx(2.0));
    CHECK(run.record.faults[1].end_s == Approx(2.5));
}

TEST_CASE("schema_change: a table created mid-run shows in the driver's metadata after its SCHEMA_CHANGE") {
    WorldRun run(test::three_nodes(std::string(steady) + R"toml(
[[faults]]
action = "schema_change"
at_s = 1
statement = "CREATE TABLE routelab.added (k bigint PRIMARY KEY, v text)"
)toml"));
    // Half a second into the run (the workload, and the fault's clock, start within
    // milliseconds of connecting): connected, and the table is not there yet.
    bool known_before = true;
    std::size_t refreshes_before = 0;
    run.world->scheduler().at(sim::Time::zero() + sim::Duration::from_ms(500), [&] {
        known_before = run.world->clients().front()->session()->knows_table("routelab", "added");
        refreshes_before = run.world->clients().front()->session()->metadata_refreshes();
    });
    run.run();
    CHECK(refreshes_before >= 1);
    CHECK_FALSE(known_before);
    const auto* session = run.world->clients().front()->session();
    CHECK(session->knows_table("routelab", "added"));
    CHECK(session->knows_table("routelab", "kv"));
    CHECK(session->metadata_refreshes() > refreshes_before);   // the SCHEMA_CHANGE's re-read
    REQUIRE(run.record.faults.size() == 1);
    CHECK_THAT(run.record.faults[0].description, Catch::Contains("CREATE TABLE routelab.added"));
    CHECK(run.world->cluster().schema().keyspace("routelab") != nullptr);
    CHECK(run.record.errors == 0);
}
