// Goal: Session::close() ends a client application's session the way a shutdown does —
// every request in flight ends once, at once, as connection_lost; its connections close
// and never reopen; a request started afterwards ends the same way from an event, never
// inside execute(). Method: the shared three-node world; requests on the wire, then close.
#include <catch2/catch.hpp>

#include "tests/session/session_world.hpp"

using namespace routelab;
using namespace routelab::test;

TEST_CASE("close() ends requests in flight as connection_lost and nothing reconnects") {
    World w;
    std::vector<Ended> ended(20);
    for (std::size_t i = 0; i < ended.size(); ++i)
        w.session.execute(w.write, w.values(static_cast<std::int64_t>(i)), cql::Consistency::all, [&ended, i](const driver::RequestResult& r) {
            ++ended[i].calls;
            ended[i].outcome = r.outcome;
        });
    w.scheduler.run_until(w.scheduler.now() + 50_us);   // on the wire, not answered yet
    REQUIRE(w.session.requests_in_flight() == ended.size());
    const sim::Time closed_at = w.scheduler.now();
    w.session.close();
    CHECK(w.session.closed());
    CHECK(w.session.requests_in_flight() == 0);
    for (const auto& e : ended) {
        CHECK(e.calls == 1);
        CHECK(e.outcome == driver::RequestOutcome::connection_lost);
    }
    w.scheduler.run_until(w.scheduler.now() + 15_s);     // past every backoff and heartbeat
    for (const auto& e : ended) CHECK(e.calls == 1);     // late answers change nothing
    for (const auto& node : w.session.cluster().nodes) CHECK_FALSE(node.up);   // no connection came back
    CHECK(w.scheduler.now() > closed_at);

    int calls = 0;
    driver::RequestOutcome outcome = driver::RequestOutcome::ok;
    w.session.execute(w.write, w.values(99), cql::Consistency::one, [&](const driver::RequestResult& r) {
        ++calls;
        outcome = r.outcome;
    });
    CHECK(calls == 0);   // never inside execute()
    w.scheduler.run_until(w.scheduler.now() + 1_ms);
    CHECK(calls == 1);
    CHECK(outcome == driver::RequestOutcome::connection_lost);
    w.session.close();   // twice is harmless
    CHECK(w.session.requests_in_flight() == 0);
}
