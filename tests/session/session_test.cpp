// The driver session against a simulated three-node cluster: requests end exactly once
// with their attempt history; a node that dies under in-flight requests makes them fail
// over to the next target; the pool reconnects when the node comes back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "driver/policy/round_robin.hpp"
#include "driver/policy/single_target.hpp"
#include "driver/policy/speculative.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/net/sim_network.hpp"
#include "tests/session/session_world.hpp"

using namespace routelab;
using namespace routelab::test;
using namespace routelab::sim::literals;


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
    CHECK(w.session.metrics().attempts() == 30);
    // Latency histograms, overall and per node, timed by the simulation clock.
    const auto& metrics = w.session.metrics();
    CHECK(metrics.latency_ns().count() == 30);
    std::uint64_t per_node = 0;
    for (const auto& h : metrics.latency_ns_by_node()) per_node += h.count();
    CHECK(per_node == 30);
    const auto slowest = std::max_element(ended.begin(), ended.end(), [](const Ended& a, const Ended& b) {
        return a.history[0].end - a.history[0].start < b.history[0].end - b.history[0].start;
    });
    CHECK(metrics.latency_ns().max() >= (slowest->history[0].end - slowest->history[0].start).ns() * 99 / 100);
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


TEST_CASE("speculative execution: idempotent requests stuck on a slow node are won by an extra execution") {
    World w;
    auto config = World::session_config();
    config.speculative = std::make_unique<driver::ConstantSpeculativeExecution>(2, 5_ms);
    auto session = second_session(w, std::move(config), 3);
    // Reads at ONE: a coordinator asks its own replica first, so a read coordinated by
    // node a spends its coordinator step and its replica step on a's slowed shard
    // (~3 ms + ~30 ms). (A write at ONE coordinated by a would be acknowledged by the
    // other replicas after a's ~3 ms coordinator step: not stuck.)
    auto read = prepare_on(w, *session, "SELECT v FROM ks.kv WHERE k = ?");
    const auto slow = session->cluster().nodes[0].index;
    w.cluster.slow_node(0, 200);

    for (bool idempotent : {true, false}) {
        std::vector<Ended> ended(30);
        std::vector<sim::Duration> latency(30);
        for (std::size_t i = 0; i < ended.size(); ++i)
            session->execute(read, std::vector<cql::Value>{cql::Value::of(test::bigint(static_cast<std::int64_t>(i)))}, cql::Consistency::one,
                             [&ended, &latency, i](const driver::RequestResult& r) {
                                 ++ended[i].calls;
                                 ended[i].outcome = r.outcome;
                                 ended[i].history.assign(r.history.begin(), r.history.end());
                                 latency[i] = r.ended - r.started;
                             },
                             idempotent);
        w.scheduler.run_until(w.scheduler.now() + 2_s);
        int stuck_first = 0;
        for (std::size_t i = 0; i < ended.size(); ++i) {
            const auto& e = ended[i];
            INFO("request " << i << (idempotent ? " idempotent" : " not idempotent"));
            CHECK(e.calls == 1);
            CHECK(e.outcome == driver::RequestOutcome::ok);
            REQUIRE_FALSE(e.history.empty());
            // All executions share one plan: no node is tried twice.
            std::set<driver::NodeIndex> nodes;
            for (const auto& a : e.history) nodes.insert(a.node);
            CHECK(nodes.size() == e.history.size());
            if (e.history[0].node != slow) continue;
            ++stuck_first;
            if (idempotent) {
                REQUIRE(e.history.size() >= 2);
                CHECK(e.history[1].speculative);
                CHECK(e.history[1].fiber == 1);
                CHECK(e.history[1].start - e.history[0].start == 5_ms);
                CHECK(latency[i] < 20_ms);
            } else {
                CHECK(e.history.size() == 1);   // never speculated
                CHECK(latency[i] > 10_ms);   // no rescue after the 5 ms delay
            }
        }
        CHECK(stuck_first > 0);
    }
    CHECK(session->metrics().speculative_executions() > 0);
}

TEST_CASE("a node that forgot a prepared statement gets it prepared again, and the request succeeds") {
    World w;
    w.forget_prepared_statements();
    std::vector<Ended> ended(6);
    for (std::size_t i = 0; i < ended.size(); ++i)
        w.session.execute(w.write, w.values(static_cast<std::int64_t>(i)), cql::Consistency::quorum, [&ended, i](const driver::RequestResult& r) {
            ++ended[i].calls;
            ended[i].outcome = r.outcome;
            ended[i].history.assign(r.history.begin(), r.history.end());
        });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    int reprepared = 0;
    for (const auto& e : ended) {
        CHECK(e.calls == 1);
        CHECK(e.outcome == driver::RequestOutcome::ok);
        if (e.history.front().reprepared) {
            ++reprepared;
            REQUIRE(e.history.size() == 2);
            CHECK(e.history[0].error_code == cql::error_codes::unprepared);
            CHECK(e.history[1].node == e.history[0].node);   // repeated on the same node
            CHECK(e.history[1].outcome == driver::AttemptOutcome::ok);
        }
    }
    CHECK(reprepared > 0);
    CHECK(w.session.metrics().reprepares() == static_cast<std::uint64_t>(reprepared));
}

TEST_CASE("a request's profile chooses its policy and consistency; the request's own options win") {
    World w;
    auto config = World::session_config();
    driver::ExecutionProfile pinned;
    pinned.name = "pinned";
    pinned.policy = std::make_unique<driver::SingleTarget>(std::string("127.0.0.2:9042"));
    pinned.consistency = cql::Consistency::all;
    config.profiles.push_back(std::move(pinned));
    auto session = second_session(w, std::move(config), 4);
    const driver::ExecutionProfile* profile = session->profile("pinned");
    REQUIRE(profile != nullptr);
    CHECK(session->profile("nope") == nullptr);
    w.cluster.stop_node(2);   // ALL cannot be met with a replica down; ONE can
    w.scheduler.run_until(w.scheduler.now() + 100_ms);

    std::vector<Ended> by_profile(10), overridden(10);
    for (std::size_t i = 0; i < 10; ++i) {
        driver::RequestOptions options;
        options.profile = profile;
        session->execute(w.write, w.values(static_cast<std::int64_t>(i)), options, [&by_profile, i](const driver::RequestResult& r) {
            ++by_profile[i].calls;
            by_profile[i].outcome = r.outcome;
            by_profile[i].history.assign(r.history.begin(), r.history.end());
        });
        options.consistency = cql::Consistency::one;
        session->execute(w.write, w.values(static_cast<std::int64_t>(i)), options, [&overridden, i](const driver::RequestResult& r) {
            ++overridden[i].calls;
            overridden[i].outcome = r.outcome;
            overridden[i].history.assign(r.history.begin(), r.history.end());
        });
    }
    w.scheduler.run_until(w.scheduler.now() + 2_s);
    const auto target = session->cluster().nodes[1].index;   // 127.0.0.2
    for (std::size_t i = 0; i < 10; ++i) {
        CHECK(by_profile[i].calls == 1);
        CHECK(by_profile[i].outcome == driver::RequestOutcome::server_error);   // Unavailable at ALL
        CHECK(overridden[i].outcome == driver::RequestOutcome::ok);
        for (const auto& a : by_profile[i].history) CHECK(a.node == target);
        for (const auto& a : overridden[i].history) CHECK(a.node == target);
    }
}

TEST_CASE("heartbeats find a connection that stopped answering and fail its requests once") {
    World w;
    auto config = World::session_config();
    config.policy = std::make_unique<driver::SingleTarget>(std::string("127.0.0.1:9042"));
    config.heartbeat_interval = 1_s;
    config.heartbeat_timeout = 500_ms;
    config.request_timeout = 60_s;   // far away: only the heartbeat can end these requests soon
    config.retry = driver::RetryPolicy(driver::RetryPolicyKind::fallthrough);
    auto session = second_session(w, std::move(config), 5);
    const auto client = net::ipv4(127, 1, 0, 5);
    // Idle connections answer their heartbeats and stay up.
    w.scheduler.run_until(w.scheduler.now() + 5_s);
    CHECK(session->cluster().nodes[0].up);
    // The link to node a stalls: requests sent now get no answer.
    w.network.partition(client, cluster::node_address(0));
    std::vector<Ended> ended(5);
    for (std::size_t i = 0; i < ended.size(); ++i)
        session->execute(w.write, w.values(static_cast<std::int64_t>(i)), cql::Consistency::one, [&ended, i](const driver::RequestResult& r) {
            ++ended[i].calls;
            ended[i].outcome = r.outcome;
        });
    w.scheduler.run_until(w.scheduler.now() + 900_ms);
    for (const auto& e : ended) CHECK(e.calls == 0);   // not yet: the connection looks merely quiet
    w.scheduler.run_until(w.scheduler.now() + 2_s);    // a heartbeat went out and was not answered
    for (const auto& e : ended) {
        CHECK(e.calls == 1);
        CHECK(e.outcome == driver::RequestOutcome::connection_lost);
    }
    CHECK_FALSE(session->cluster().nodes[0].up);
    w.network.heal(client, cluster::node_address(0));
    w.scheduler.run_until(w.scheduler.now() + 11_s);
    CHECK(session->cluster().nodes[0].up);   // reconnected
    for (const auto& e : ended) CHECK(e.calls == 1);   // late answers change nothing
}

TEST_CASE("sharded nodes get a connection per shard, through the shard-aware port when allowed") {
    for (bool shard_aware_port : {true, false}) {
        sim::SimScheduler scheduler;
        sim::Rng rng{9};
        sim::Trace trace;
        net::SimNetwork network{scheduler, rng.stream("net"), trace, net::LinkModel(net::LinkLatencies{})};
        cluster::ClusterConfig c = World::config();
        c.shards = 4;
        cluster::Cluster cluster(cluster::ClusterEnv{scheduler, rng, trace, network, network.links()}, c, cluster::ServiceConfig{});
        cluster.start();
        auto config = World::session_config();
        config.shard_aware_port = shard_aware_port;
        config.connections_per_shard = 2;
        driver::Session session(driver::Env{scheduler, network, trace, rng.stream("driver"), net::ipv4(127, 1, 0, 1)}, std::move(config));
        bool connected = false;
        session.connect([&](bool ok) { connected = ok; });
        scheduler.run_until(scheduler.now() + 500_ms);
        REQUIRE(connected);
        INFO("shard-aware port " << shard_aware_port);
        for (const auto& node : session.cluster().nodes) {
            auto shards = session.connection_shards(node.index);
            CHECK(shards.size() == 8);   // 4 shards × 2
            std::sort(shards.begin(), shards.end());
            if (shard_aware_port) {
                // Each connection landed on the shard its source port asked for: 2 per shard.
                CHECK(shards == std::vector<unsigned>{0, 0, 1, 1, 2, 2, 3, 3});
            } else {
                // Round robin on the normal port also covers every shard here, by luck of order.
                CHECK(std::set<unsigned>(shards.begin(), shards.end()).size() >= 2);
            }
        }
    }
}

TEST_CASE("the mock's shard-aware port serves a connection on shard (source port % shards)") {
    sim::SimScheduler scheduler;
    sim::Rng rng{3};
    sim::Trace trace;
    net::SimNetwork network{scheduler, rng.stream("net"), trace, net::LinkModel(net::LinkLatencies{})};
    cluster::ClusterConfig c = World::config();
    c.shards = 7;
    cluster::Cluster cluster(cluster::ClusterEnv{scheduler, rng, trace, network, network.links()}, c, cluster::ServiceConfig{});
    cluster.start();
    driver::Env env{scheduler, network, trace, rng.stream("driver"), net::ipv4(127, 1, 0, 1)};
    for (const std::uint16_t port : std::vector<std::uint16_t>{50000, 50001, 50006, 61234}) {
        driver::Connection connection(env, *cluster.shard_aware_endpoint(0), 8);
        connection.set_source_port(port);
        bool ready = false;
        connection.open([&](bool ok) { ready = ok; }, [] {});
        scheduler.run_until(scheduler.now() + 50_ms);
        REQUIRE(ready);
        REQUIRE(connection.scylla().sharding);
        CHECK(connection.scylla().sharding->shard == port % 7u);
        CHECK(connection.scylla().sharding->nr_shards == 7u);
        CHECK(connection.scylla().sharding->shard_aware_port == std::optional<std::uint16_t>(19042));
        connection.close();
    }
}

TEST_CASE("a BATCH through the session applies every statement, with one consistency") {
    World w;
    driver::PreparedPtr read;
    w.session.prepare("SELECT v FROM ks.kv WHERE k = ?", [&](driver::PreparedPtr p, const cql::Error*) { read = p; });
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    REQUIRE(read);
    std::vector<driver::Session::BatchEntry> entries;
    for (std::int64_t k = 100; k < 105; ++k) entries.push_back({w.write, w.values(k)});
    Ended batch;
    driver::RequestOptions options;
    options.consistency = cql::Consistency::quorum;
    w.session.execute_batch(entries, cql::BatchType::logged, options, [&batch](const driver::RequestResult& r) {
        ++batch.calls;
        batch.outcome = r.outcome;
        batch.history.assign(r.history.begin(), r.history.end());
    });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(batch.calls == 1);
    CHECK(batch.outcome == driver::RequestOutcome::ok);
    CHECK(batch.history.size() == 1);
    int found = 0;
    for (std::int64_t k = 100; k < 105; ++k) {
        const auto key = w.values(k);
        w.session.execute(read, std::span<const cql::Value>(key.data(), 1), cql::Consistency::quorum, [&found](const driver::RequestResult& r) {
            if (r.outcome == driver::RequestOutcome::ok && r.response != nullptr && r.response->rows.row_count() == 1) ++found;
        });
    }
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(found == 5);

    SECTION("at ALL with a replica down the whole batch is Unavailable") {
        w.cluster.stop_node(2);
        w.scheduler.run_until(w.scheduler.now() + 100_ms);
        Ended failed;
        options.consistency = cql::Consistency::all;
        w.session.execute_batch(entries, cql::BatchType::unlogged, options, [&failed](const driver::RequestResult& r) {
            ++failed.calls;
            failed.outcome = r.outcome;
        });
        w.scheduler.run_until(w.scheduler.now() + 1_s);
        CHECK(failed.calls == 1);
        CHECK(failed.outcome != driver::RequestOutcome::ok);
    }
}
