// Goal: whole runs with several client applications — each named in the results with its
// own host and datacenter, issuing only in its window (late start, early stop, restart),
// its session closed at a stop with what was in flight aborted — and workloads that use
// the clustered table (rows batches, paged reads over several pages). Method: parse small
// scenarios from text, run them through the real World, read the RunRecord and the
// results database.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "sim/results/sqlite_reader.hpp"
#include "sim/results/sqlite_sink.hpp"
#include "sim/runner/run.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;

namespace {

const std::string two_dcs = R"(
[scenario]
name = "fleet"
seed = 5

[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1" }, { name = "r2" }, { name = "r3" } ]

[[topology.datacenters]]
name = "dc2"
racks = [ { name = "r1" }, { name = "r2" }, { name = "r3" } ]

[network]
same_rack = { kind = "constant", value = 50 }
same_dc = { kind = "constant", value = 100 }
cross_dc = { kind = "constant", value = 10000 }

[driver]
policy = "default"
policy_options = { local_dc = "dc1" }
)";

// The two datacenters with a [cluster] table (replication 3 and the given extra lines).
scenario::Scenario parse(const std::string& text, const std::string& cluster = "") {
    auto parsed = scenario::parse_scenario_text(two_dcs + "\n[cluster]\nreplication_factor = 3\n" + cluster + text, "fleet.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    return parsed.scenario();
}

const results::ClientLoad& client(const results::RunRecord& r, const std::string& name) {
    for (const auto& c : r.clients)
        if (c.client == name) return c;
    FAIL("no client " << name);
    return r.clients.front();
}

}  // namespace

TEST_CASE("two clients in two datacenters each have their name, host and load in the results", "[workload][clients]") {
    const auto s = parse(R"(
[workload]
rate_per_s = 2000
duration_s = 2
consistency = "LOCAL_QUORUM"

[[clients]]
name = "web-dc1"
datacenter = "dc1"

[[clients]]
name = "web-dc2"
datacenter = "dc2"
driver = { policy_options = { local_dc = "dc2" } }
)");
    const auto record = runner::run_scenario(s, {s.seed});
    INFO(record.verdict);
    REQUIRE(record.verdict == "pass");
    REQUIRE(record.clients.size() == 2);
    const auto& a = client(record, "web-dc1");
    const auto& b = client(record, "web-dc2");
    CHECK(a.datacenter == "dc1");
    CHECK(b.datacenter == "dc2");
    CHECK(a.address == "127.1.0.1");
    CHECK(b.address == "127.1.0.2");
    CHECK(a.sessions == 1);
    // Each runs half of [workload] (2000/s for 2 s): 2000 requests, give or take Poisson.
    for (const auto* c : {&a, &b}) {
        INFO(c->client);
        CHECK(c->requests > 1800);
        CHECK(c->requests < 2200);
        CHECK(c->errors == 0);
    }
    CHECK(a.requests + b.requests == record.requests);
    // Both stay in their own datacenter: no 10 ms cross-datacenter hop in their medians.
    CHECK(a.latency_ns.quantile(0.5) < 5'000'000);
    CHECK(b.latency_ns.quantile(0.5) < 5'000'000);

    // The results database has one row per client, by name.
    const auto dir = std::filesystem::temp_directory_path() / ("routelab-fleet-test-" + std::to_string(record.trace_hash));
    std::filesystem::create_directories(dir);
    const std::string db = (dir / "results.sqlite").string();
    std::filesystem::remove(db);
    const auto run_id = results::write_run(db, record);
    const auto rows = results::read_client_load(db, run_id);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].client == "web-dc1");
    CHECK(rows[1].client == "web-dc2");
    CHECK(rows[1].datacenter == "dc2");
    CHECK(rows[1].requests == b.requests);
    CHECK(rows[1].p99_ns == b.latency_ns.quantile(0.99));
    std::filesystem::remove_all(dir);
}

TEST_CASE("a client that starts late and stops early issues only in its window", "[workload][clients]") {
    const auto s = parse(R"(
[workload]
arrivals = "constant"
rate_per_s = 1000
duration_s = 4

[[clients]]
name = "always"
share = 0.5

[[clients]]
name = "deploy"
share = 0.5
start_s = 1
stop_s = 2.5
)");
    const auto record = runner::run_scenario(s, {s.seed});
    INFO(record.verdict);
    REQUIRE(record.verdict == "pass");
    const auto& always = client(record, "always");
    const auto& deploy = client(record, "deploy");
    CHECK(always.first_request_s < 0.01);
    CHECK(always.last_request_s > 3.99);
    CHECK(always.requests == 2000);   // 500/s evenly for 4 s
    CHECK(deploy.first_request_s >= 1.0);
    CHECK(deploy.first_request_s < 1.2);     // a new session connects and prepares first
    CHECK(deploy.last_request_s < 2.5);
    CHECK(deploy.requests <= 750);
    CHECK(deploy.requests > 650);
    CHECK(deploy.sessions == 1);
}

TEST_CASE("a restart closes the session, aborts what is in flight, and a new session carries on", "[workload][clients]") {
    // The client sits in dc1 but its policy prefers dc2: 20 ms round trips, so about 20
    // requests are in flight at any time.
    const auto s = parse(R"(
[workload]
arrivals = "constant"
rate_per_s = 1000
duration_s = 3

[[clients]]
name = "app"
datacenter = "dc1"
driver = { policy_options = { local_dc = "dc2" } }
restarts = [{ at_s = 1, down_s = 0.5 }]
)");
    runner::World world(s, s.seed, 50'000'000);
    world.run();
    results::RunRecord record;
    world.report(record);
    const auto& app = client(record, "app");
    CHECK(record.lost == 0);
    CHECK(app.sessions == 2);
    CHECK(app.aborted >= 10);             // in flight when the session closed at 1 s
    CHECK(app.aborted <= 30);
    CHECK(app.errors == app.aborted);     // nothing else failed
    CHECK(app.requests < 2600);           // nothing issued while it was down (3000 over 3 s otherwise)
    CHECK(app.requests > 2300);
    CHECK(world.late_errors().empty());
    REQUIRE(world.clients().front()->session() != nullptr);
    CHECK_FALSE(world.clients().front()->session()->closed());   // the second session still runs
}

TEST_CASE("rows batches fill partitions that paged reads then read page by page", "[workload][clients]") {
    const auto s = parse(R"(
[workload]
rate_per_s = 500
duration_s = 2
keys = 20
rows_per_partition = 30
consistency = "QUORUM"

[[workload.operations]]
kind = "batch"
weight = 1
rows = true
statements = 10
logged = false

[[workload.operations]]
kind = "paged_read"
weight = 1
page_size = 7
)");
    runner::World world(s, s.seed, 50'000'000);
    world.run();
    results::RunRecord record;
    world.report(record);
    REQUIRE(world.started());
    CHECK(record.errors == 0);
    CHECK(record.lost == 0);
    const auto& c = *world.clients().front();
    // Partitions of up to 30 rows at 7 rows per page: most reads take several pages.
    INFO("pages " << c.pages_read() << ", rows " << c.rows_read() << ", requests " << record.requests);
    CHECK(c.rows_read() > 0);
    CHECK(c.pages_read() > record.requests);   // more pages than operations of both kinds together
    CHECK(c.rows_read() <= c.pages_read() * 7);
}

TEST_CASE("a run without [[clients]] reports one client named default with all the requests", "[workload][clients]") {
    const auto s = parse(R"(
[workload]
rate_per_s = 1000
duration_s = 1
)");
    const auto record = runner::run_scenario(s, {s.seed});
    REQUIRE(record.clients.size() == 1);
    CHECK(record.clients[0].client == "default");
    CHECK(record.clients[0].address == "127.1.0.1");
    CHECK(record.clients[0].datacenter == "dc1");
    CHECK(record.clients[0].requests == record.requests);
    CHECK(record.clients[0].errors == record.errors);
}

TEST_CASE("closed-loop and open-loop clients together replay bit for bit from the seed", "[workload][clients]") {
    const auto s = parse(R"(
[workload]
duration_s = 1.5
key_distribution = { kind = "zipf", s = 1.2 }

[[clients]]
name = "users"
workload = { kind = "closed_loop", users = 6, think_time = { kind = "exponential", mean = 2000 } }

[[clients]]
name = "spike"
datacenter = "dc2"
start_s = 0.2
stop_s = 1.2
drain_s = 0.1
workload = { schedule = [{ at_s = 0.5, rate = 4000, ramp_s = 0.2 }, { at_s = 1, rate = 500 }] }
)");
    const auto first = runner::run_scenario(s, {9});
    const auto second = runner::run_scenario(s, {9});
    const auto other = runner::run_scenario(s, {10});
    INFO(first.verdict);
    CHECK(first.verdict == "pass");
    CHECK(first.trace_hash == second.trace_hash);
    CHECK(client(first, "users").requests == client(second, "users").requests);
    CHECK(client(first, "spike").requests == client(second, "spike").requests);
    CHECK(first.trace_hash != other.trace_hash);
    CHECK(client(first, "users").requests > 1000);   // 6 users, about 3 ms a cycle, 1.5 s
    CHECK(client(first, "spike").last_request_s < 1.2);
}
