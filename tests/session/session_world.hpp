#pragma once
// The simulated world the session tests share: a three-node cluster (racks r1..r3,
// 4 vnodes each) with keyspace ks (SimpleStrategy RF 3) and table ks.kv (k bigint,
// v blob), a connected round-robin session, and a prepared INSERT into ks.kv.
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "driver/policy/round_robin.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/net/sim_network.hpp"
#include "tests/support/cql_bytes.hpp"

namespace routelab::test {

using namespace routelab::sim::literals;

// ks.kv (k bigint PRIMARY KEY, v blob), the table the session tests write.
inline cluster::TableDef kv_table() {
    cluster::TableDef t;
    t.keyspace = "ks";
    t.name = "kv";
    t.columns = {{"k", cql::ColumnType::of(cql::TypeId::bigint)}, {"v", cql::ColumnType::of(cql::TypeId::blob)}};
    return t;
}

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

    explicit World(const cluster::ClusterConfig& cluster_config = config())
        : cluster(cluster::ClusterEnv{scheduler, rng, trace, network, network.links()}, cluster_config, cluster::ServiceConfig{}),
          session(driver::Env{scheduler, network, trace, rng.stream("driver"), net::ipv4(127, 1, 0, 1)}, session_config()) {
        cluster.create_keyspace("ks", cluster::ReplicationStrategy::simple(3));
        cluster.create_table(kv_table());
        cluster.start();
        bool connected = false;
        session.connect([&](bool ok) { connected = ok; });
        scheduler.run_until(scheduler.now() + 100_ms);
        REQUIRE(connected);
        session.prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?)", [&](driver::PreparedPtr p, const cql::Error*) { write = p; });
        scheduler.run_until(scheduler.now() + 100_ms);
        REQUIRE(write);
    }

    std::vector<cql::Value> values(std::int64_t key) { return {cql::Value::of(bigint(key)), cql::Value::of({1, 2, 3})}; }

    // Re-creating ks.kv makes every node forget the statements prepared on the old one.
    void forget_prepared_statements() {
        cluster.drop_table("ks", "kv");
        cluster.create_table(kv_table());
        scheduler.run_until(scheduler.now() + 100_ms);
    }
};

// A second session on the world's cluster with its own configuration.
inline std::unique_ptr<driver::Session> second_session(World& w, driver::SessionConfig config, std::uint8_t client) {
    auto session = std::make_unique<driver::Session>(
        driver::Env{w.scheduler, w.network, w.trace, w.rng.stream("driver-" + std::to_string(client)), net::ipv4(127, 1, 0, client)},
        std::move(config));
    bool connected = false;
    session->connect([&](bool ok) { connected = ok; });
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    REQUIRE(connected);
    return session;
}

inline driver::PreparedPtr prepare_on(World& w, driver::Session& session, const std::string& query) {
    driver::PreparedPtr statement;
    session.prepare(query, [&](driver::PreparedPtr p, const cql::Error*) { statement = p; });
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    REQUIRE(statement);
    return statement;
}

struct Ended {
    int calls = 0;
    driver::RequestOutcome outcome{};
    std::vector<driver::Attempt> history;
};


}  // namespace routelab::test
