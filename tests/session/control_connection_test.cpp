// Connection management beyond the first read: stream ids bounded per connection; the
// control connection re-reads the metadata periodically, and when its node goes away it
// moves on — to the next contact point, then to the nodes
// it knows — and, once every one failed, starts over after an exponential backoff with
// jitter until one answers again.
#include <catch2/catch.hpp>

#include <set>

#include "driver/session/reconnection.hpp"
#include "driver/session/stream_ids.hpp"
#include "tests/session/session_world.hpp"

using namespace routelab;
using namespace routelab::test;

TEST_CASE("reconnection backoff: full jitter under a ceiling that doubles up to the maximum") {
    driver::ReconnectionPolicy policy;   // 100 ms, doubling, at most 10 s
    sim::RngStream rng = sim::Rng(3).stream("backoff");
    for (int attempt = 0; attempt < 12; ++attempt) {
        const auto ceiling = std::min(sim::Duration::from_ms(100 << std::min(attempt, 20)), sim::Duration::from_s(10));
        sim::Duration longest{};
        for (int draw = 0; draw < 200; ++draw) {
            const auto d = policy.delay(attempt, rng);
            CHECK(d >= sim::Duration{});
            CHECK(d <= ceiling);
            longest = std::max(longest, d);
        }
        CHECK(longest * 2 > ceiling);   // the whole range is used, not a fixed step
    }
}

TEST_CASE("the metadata is re-read every metadata_refresh_interval without any event") {
    World w;
    auto config = World::session_config();
    config.metadata_refresh_interval = sim::Duration::from_s(5);
    auto session = second_session(w, std::move(config), 7);
    const auto before = session->metadata_refreshes();
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(31));
    CHECK(session->metadata_refreshes() - before == 6);
}

TEST_CASE("the control connection moves to a known node when its only contact point dies, and back off when all are gone") {
    World w;
    auto config = World::session_config();
    config.contact_points = {{cluster::node_address(0), 9042}};   // only node a
    config.metadata_refresh_interval = sim::Duration::from_s(2);
    auto session = second_session(w, std::move(config), 8);
    const auto write = prepare_on(w, *session, "INSERT INTO ks.kv (k, v) VALUES (?, ?)");

    // a goes away: the control connection continues on b or c, which it learnt from peers.
    w.cluster.stop_node(0);
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(1));
    const auto on_known = session->metadata_refreshes();
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(10));
    CHECK(session->metadata_refreshes() - on_known >= 4);
    CHECK(session->control_reconnect_rounds() == 0);

    // Every node down: rounds over all endpoints, spaced by the backoff.
    w.cluster.stop_node(1);
    w.cluster.stop_node(2);
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(30));
    const auto rounds = session->control_reconnect_rounds();
    CHECK(rounds >= 3);
    CHECK(rounds < 40);   // backed off, not a busy loop
    const auto stalled = session->metadata_refreshes();

    // One node back: the control connection finds it and reads again; requests work.
    w.cluster.start_node(2);
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(25));
    CHECK(session->metadata_refreshes() > stalled);
    bool ok = false;
    session->execute(write, w.values(1), cql::Consistency::one, [&ok](const driver::RequestResult& r) { ok = r.outcome == driver::RequestOutcome::ok; });
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(1));
    CHECK(ok);
}

TEST_CASE("stream ids: bounded by the in-flight limit, each id out once until released") {
    driver::StreamIds ids(3);
    std::set<std::int16_t> out;
    for (int i = 0; i < 3; ++i) {
        const auto id = ids.acquire();
        REQUIRE(id);
        CHECK(out.insert(*id).second);
    }
    CHECK_FALSE(ids.acquire());   // the limit
    CHECK(ids.in_flight() == 3);
    ids.release(*out.begin());
    const auto again = ids.acquire();
    REQUIRE(again);
    CHECK(*again == *out.begin());   // only a released id comes back
    CHECK_FALSE(ids.acquire());
}

TEST_CASE("a connection never has more requests in flight than max_in_flight_per_connection; with every one full, a request has no host") {
    World w;
    auto config = World::session_config();
    config.max_in_flight_per_connection = 4;
    auto session = second_session(w, std::move(config), 9);
    const auto write = prepare_on(w, *session, "INSERT INTO ks.kv (k, v) VALUES (?, ?)");
    w.cluster.slow_node(0, 200);   // node a holds its requests a long time
    int ok = 0, no_host = 0;
    // All at once: 3 nodes × 1 connection × 4 stream ids take 12; the rest find every
    // connection full, which ends them at once (as in the Rust driver) instead of queueing.
    for (std::int64_t k = 0; k < 60; ++k)
        session->execute(write, w.values(k), cql::Consistency::one, [&ok, &no_host](const driver::RequestResult& r) {
            if (r.outcome == driver::RequestOutcome::ok) ++ok;
            if (r.outcome == driver::RequestOutcome::no_host_available) ++no_host;
        });
    std::uint32_t most = 0;
    for (int step = 0; step < 200; ++step) {
        w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_us(500));
        for (const auto& n : session->cluster().nodes) most = std::max(most, session->in_flight(driver::Target{n.index, std::nullopt}));
    }
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(2));
    CHECK(most == 4);   // reached, never passed (one connection per node)
    CHECK(ok == 12);
    CHECK(no_host == 48);
}
