// The control connection beyond the first read: it re-reads the metadata periodically,
// and when its node goes away it moves on — to the next contact point, then to the nodes
// it knows — and, once every one failed, starts over after an exponential backoff with
// jitter until one answers again.
#include <catch2/catch.hpp>

#include "driver/session/reconnection.hpp"
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
