// Goal: closed-loop users keep at most `users` requests in flight (one each), reach that
// concurrency, think between requests, stop at the end, and resume after a stop and start.
// Method: a recording sink answers each request after a drawn service time on a bare
// scheduler; it counts requests in flight and catches a user issuing while busy.
#include <catch2/catch.hpp>

#include <cmath>

#include "recording_sink.hpp"
#include "sim/workload/closed_loop.hpp"

using namespace routelab;
using namespace routelab::workload;
using routelab::workload::test::RecordingSink;

TEST_CASE("closed-loop concurrency is never exceeded and is reached", "[workload][property]") {
    for (std::uint32_t users : {1U, 16U, 200U}) {
        sim::SimScheduler scheduler;
        RecordingSink sink(scheduler);
        sink.service_us = sim::Distribution{sim::dist::Exponential{2000.0}};
        sim::Rng rng(users);
        ClosedLoopConfig config;
        config.users = users;
        // Short thinks against long answers: every user is busy most of the time, so all of
        // them are in flight at once now and then.
        config.think_time_us = sim::Distribution{sim::dist::Exponential{20.0}};
        config.shape = test::reads_only();
        ClosedLoopWorkload load(scheduler, rng.stream("think"), rng.stream("picks"), rng.stream("shapes"), config, sink);
        sink.generator = &load;
        const sim::Time end = sim::Time::zero() + sim::Duration::from_s(5);
        load.start(scheduler.now(), end);
        scheduler.run_until(end + sim::Duration::from_s(1));
        INFO(users << " users, " << sink.issued.size() << " requests");
        CHECK(sink.double_issues == 0);
        CHECK(sink.max_in_flight == users);
        CHECK(load.max_in_flight() == users);
        CHECK(sink.in_flight == 0);   // everything answered, nothing issued after the end
        for (const auto& i : sink.issued) CHECK(i.at_ns < end.ns());
        // Each user cycles through think (0.02 ms) and service (2 ms) on average: 5 s / 2.02 ms.
        const double expected = users * 5.0 / 0.00202;
        CHECK(static_cast<double>(sink.issued.size()) == Approx(expected).epsilon(0.05));
    }
}

TEST_CASE("closed-loop users stop issuing at stop() and resume after start()", "[workload][property]") {
    sim::SimScheduler scheduler;
    RecordingSink sink(scheduler);
    sim::Rng rng(4);
    ClosedLoopConfig config;
    config.users = 8;
    config.think_time_us = sim::Distribution{sim::dist::Constant{500.0}};
    config.shape = test::reads_only();
    ClosedLoopWorkload load(scheduler, rng.stream("think"), rng.stream("picks"), rng.stream("shapes"), config, sink);
    sink.generator = &load;
    const auto at = [](double s) { return sim::Time::zero() + sim::Duration::from_ns(static_cast<std::int64_t>(s * 1e9)); };
    load.start(at(0), at(10));
    scheduler.run_until(at(1));
    load.stop();
    const auto before = sink.issued.size();
    scheduler.run_until(at(2));
    CHECK(sink.issued.size() == before);   // answers came back, nobody issued again
    CHECK(sink.in_flight == 0);
    load.start(at(0), at(3));
    scheduler.run_until(at(4));
    CHECK(sink.issued.size() > before + 1000);
    for (std::size_t i = before; i < sink.issued.size(); ++i) {
        CHECK(sink.issued[i].at_ns >= at(2).ns());
        CHECK(sink.issued[i].at_ns < at(3).ns());
    }
    CHECK(sink.double_issues == 0);
}
