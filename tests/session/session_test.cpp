// The driver session against a simulated three-node cluster: requests end exactly once
// with their attempt history; a node that dies under in-flight requests makes them fail
// over to the next target; the pool reconnects when the node comes back.
#include <catch2/catch.hpp>

#include <set>

#include "driver/policy/round_robin.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/net/sim_network.hpp"

using namespace routelab;
using namespace routelab::sim::literals;

namespace {

struct World {
    sim::SimScheduler scheduler;
    sim::Rng rng{5};
    sim::Trace trace;
    net::SimNetwork network{scheduler, rng.stream("net"), trace, net::LinkModel(net::LinkLatencies{})};
    cluster::Cluster cluster;
    driver::Session session;
    driver::PreparedPtr write;

    static cluster::ClusterConfig config() {
        cluster::ClusterConfig c;
        c.nodes = {{"a", "dc1", "r1", {}}, {"b", "dc1", "r2", {}}, {"c", "dc1", "r3", {}}};
        c.vnodes = 4;
        return c;
    }
    static driver::SessionConfig session_config() {
        driver::SessionConfig s;
        for (std::size_t i = 0; i < 3; ++i) s.contact_points.push_back({cluster::node_address(i), 9042});
        s.policy = std::make_unique<driver::RoundRobinPolicy>();
        s.request_timeout = 1_s;
        return s;
    }

    World()
        : cluster(cluster::ClusterEnv{scheduler, rng, trace, network, network.links()}, config(), cluster::ServiceConfig{}),
          session(driver::Env{scheduler, network, trace, rng.stream("driver"), net::ipv4(127, 1, 0, 1)}, session_config()) {
        cluster.create_keyspace("ks", cluster::ReplicationStrategy::simple(3));
        cluster::TableDef t;
        t.keyspace = "ks";
        t.name = "kv";
        t.columns = {{"k", cql::ColumnType::of(cql::TypeId::bigint)}, {"v", cql::ColumnType::of(cql::TypeId::blob)}};
        cluster.create_table(t);
        cluster.start();
        bool connected = false;
        session.connect([&](bool ok) { connected = ok; });
        scheduler.run_until(scheduler.now() + 100_ms);
        REQUIRE(connected);
        session.prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?)", [&](driver::PreparedPtr p, const cql::Error*) { write = p; });
        scheduler.run_until(scheduler.now() + 100_ms);
        REQUIRE(write);
    }

    std::vector<cql::Value> values(std::int64_t key) {
        cql::Bytes k(8);
        for (int i = 0; i < 8; ++i) k[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(key) >> (56 - 8 * i));
        return {cql::Value::of(k), cql::Value::of({1, 2, 3})};
    }
};

struct Ended {
    int calls = 0;
    driver::RequestOutcome outcome{};
    std::vector<driver::Attempt> history;
};

}  // namespace

TEST_CASE("requests end exactly once and record each attempt") {
    World w;
    std::vector<Ended> ended(30);
    for (std::size_t i = 0; i < ended.size(); ++i) {
        w.session.execute(w.write, w.values(static_cast<std::int64_t>(i)), cql::Consistency::quorum, [&ended, i](const driver::RequestResult& r) {
            ++ended[i].calls;
            ended[i].outcome = r.outcome;
            ended[i].history.assign(r.history.begin(), r.history.end());
        });
    }
    w.scheduler.run_until(w.scheduler.now() + 2_s);
    std::set<driver::NodeIndex> nodes;
    for (const auto& e : ended) {
        CHECK(e.calls == 1);
        CHECK(e.outcome == driver::RequestOutcome::ok);
        REQUIRE(e.history.size() == 1);
        CHECK(e.history[0].outcome == driver::AttemptOutcome::ok);
        CHECK(e.history[0].end > e.history[0].start);
        nodes.insert(e.history[0].node);
    }
    CHECK(nodes.size() == 3);  // round robin used every node
    CHECK(w.session.metrics().count(driver::RequestOutcome::ok) == 30);
    CHECK(w.session.requests_in_flight() == 0);
}

TEST_CASE("a node dying under in-flight requests makes them fail over, and the pool reconnects") {
    World w;
    std::vector<Ended> ended(30);
    for (std::size_t i = 0; i < ended.size(); ++i) {
        w.session.execute(w.write, w.values(static_cast<std::int64_t>(i)), cql::Consistency::one, [&ended, i](const driver::RequestResult& r) {
            ++ended[i].calls;
            ended[i].outcome = r.outcome;
            ended[i].history.assign(r.history.begin(), r.history.end());
        });
    }
    w.scheduler.run_until(w.scheduler.now() + 200_us);  // requests are on the wire
    w.cluster.stop_node(0);
    w.scheduler.run_until(w.scheduler.now() + 2_s);
    int failed_over = 0;
    for (const auto& e : ended) {
        CHECK(e.calls == 1);
        CHECK(e.outcome == driver::RequestOutcome::ok);
        if (e.history.size() == 2) {
            CHECK(e.history[0].node == 0);
            CHECK(e.history[0].outcome == driver::AttemptOutcome::connection_lost);
            CHECK(e.history[1].node != 0);
            CHECK(e.history[1].outcome == driver::AttemptOutcome::ok);
            ++failed_over;
        }
    }
    CHECK(failed_over > 0);
    CHECK_FALSE(w.session.cluster().nodes[0].up);
    w.cluster.start_node(0);
    w.scheduler.run_until(w.scheduler.now() + 11_s);  // past the largest backoff
    CHECK(w.session.cluster().nodes[0].up);
}

TEST_CASE("with LZ4 negotiated, requests and responses travel compressed and still succeed") {
    World w;
    // A second session asking for LZ4 against the same cluster.
    auto config = World::session_config();
    config.compression = cql::Compression::lz4;
    driver::Session compressed(driver::Env{w.scheduler, w.network, w.trace, w.rng.stream("driver2"), net::ipv4(127, 1, 0, 2)},
                               std::move(config));
    bool connected = false;
    compressed.connect([&](bool ok) { connected = ok; });
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    REQUIRE(connected);
    driver::PreparedPtr write;
    compressed.prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?)", [&](driver::PreparedPtr p, const cql::Error*) { write = p; });
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    REQUIRE(write);
    int ok = 0;
    for (int i = 0; i < 20; ++i)
        compressed.execute(write, w.values(i), cql::Consistency::quorum, [&ok](const driver::RequestResult& r) {
            if (r.outcome == driver::RequestOutcome::ok) ++ok;
        });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(ok == 20);
    CHECK(compressed.compressed_connections() == 3);
    CHECK(w.session.compressed_connections() == 0);
}
