// The checks framework: scopes and fault windows, the in-flight tracker, the rate tally's
// breach locator, verdict lines, and the two exactly-once checkers fed planted facts (the
// World cannot be made to lose or double-end a request, so the plant is in the facts).
#include <catch2/catch.hpp>

#include <limits>

#include "sim/checks/in_flight.hpp"
#include "sim/checks/rate_tally.hpp"
#include "sim/checks/suite.hpp"
#include "sim/scenario/check_env.hpp"
#include "tests/checks/check_world.hpp"

using namespace routelab;
using checks::Interval;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

sim::Time at_ms(std::int64_t ms) { return sim::Time::zero() + sim::Duration::from_ms(ms); }

class FakeWorld final : public checks::WorldView {
public:
    std::size_t node_count() const override { return names_.size(); }
    const std::string& node_name(std::size_t node) const override { return names_[node]; }
    const std::string& node_datacenter(std::size_t) const override { return dc_; }
    std::optional<std::size_t> node_of(driver::NodeIndex node) const override {
        return node < names_.size() ? std::optional<std::size_t>(node) : std::nullopt;
    }
    std::optional<std::size_t> node_at(const net::Endpoint&) const override { return std::nullopt; }
    std::vector<checks::ListedRoute> listed_routes() const override { return {}; }
    const std::vector<net::Endpoint>& contact_points() const override { return points_; }

private:
    std::vector<std::string> names_{"n1", "n2", "n3"};
    std::string dc_ = "dc1";
    std::vector<net::Endpoint> points_;
};

checks::RequestEnded ended(std::uint64_t id, sim::Time issued, sim::Time end, std::span<const driver::Attempt> history = {}) {
    checks::RequestEnded f;
    f.request = id;
    f.client = checks::default_client;
    f.issued = issued;
    f.ended = end;
    f.history = history;
    return f;
}

}  // namespace

TEST_CASE("scopes: faults, steady and intervals from merged fault windows") {
    const std::vector<Interval> faults{{5, 7}, {2, 4}, {3, 4.5}};
    const auto merged = checks::merge_intervals(faults);
    REQUIRE(merged.size() == 2);
    CHECK(merged[0].from_s == 2);
    CHECK(merged[0].to_s == 4.5);
    CHECK(merged[1].from_s == 5);

    const auto during_faults = checks::resolve_scope({checks::ScopeSpec::Kind::faults, 0, 0}, faults);
    CHECK(during_faults.contains(2));
    CHECK(during_faults.contains(4.4));
    CHECK_FALSE(during_faults.contains(4.6));
    CHECK_FALSE(during_faults.contains(7));   // windows are [from, to)
    const auto steady = checks::resolve_scope({checks::ScopeSpec::Kind::steady, 0, 0}, faults);
    CHECK(steady.contains(0));
    CHECK(steady.contains(4.6));
    CHECK(steady.contains(100));
    CHECK_FALSE(steady.contains(3));
    CHECK_FALSE(steady.contains(6.9));
    const auto interval = checks::resolve_scope({checks::ScopeSpec::Kind::interval, 1, 2}, faults);
    CHECK(interval.text() == "[1, 2) s");
    CHECK(interval.contains(1.5));
    CHECK_FALSE(interval.contains(2));
    CHECK(checks::resolve_scope({}, faults).whole_run());
}

TEST_CASE("fault windows follow durations and undoing steps") {
    const auto s = test::parse(test::one_dc("duration_s = 20", "", R"(
[[faults]]
action = "stop_node"
at_s = 2
node = "dc1-r1-n1"
[[faults]]
action = "start_node"
at_s = 5
node = "dc1-r1-n1"
[[faults]]
action = "slow_node"
at_s = 8
duration_s = 1
node = "dc1-r2-n1"
factor = 3
[[faults]]
action = "start_node"
at_s = 10
node = "dc1-r3-n1"
[[faults]]
action = "inject_error"
at_s = 12
error = "overloaded"
)"));
    const auto windows = scenario::fault_windows(s);
    REQUIRE(windows.size() == 3);
    CHECK(windows[0].from_s == 2);
    CHECK(windows[0].to_s == 5);    // closed by the start_node of the same node
    CHECK(windows[1].from_s == 8);
    CHECK(windows[1].to_s == 9);    // its duration
    CHECK(windows[2].from_s == 12);
    CHECK(windows[2].to_s == inf);  // never cleared; the lone start_node opened nothing
}

TEST_CASE("the in-flight tracker finds double ends, strangers and the oldest pending request") {
    checks::detail::InFlight t;
    for (std::uint64_t id = 0; id < 5000; ++id) REQUIRE(t.issued(id, at_ms(static_cast<std::int64_t>(id))));
    CHECK(t.in_flight() == 5000);
    CHECK_FALSE(t.issued(10, at_ms(1)));   // issued twice
    for (std::uint64_t id = 0; id < 5000; ++id)
        if (id != 1234) REQUIRE(t.ended(id) == checks::detail::InFlight::End::ok);
    CHECK(t.in_flight() == 1);
    REQUIRE(t.oldest());
    CHECK(t.oldest()->first == 1234);
    CHECK(t.oldest()->second == at_ms(1234));
    CHECK(t.ended(17) == checks::detail::InFlight::End::already_ended);
    CHECK(t.ended(9999) == checks::detail::InFlight::End::never_issued);
    CHECK(t.ended(1234) == checks::detail::InFlight::End::ok);
    CHECK(t.ended(1234) == checks::detail::InFlight::End::already_ended);
    CHECK_FALSE(t.oldest());
}

TEST_CASE("the rate tally locates the first window above the limit and its first bad request") {
    checks::detail::RateTally tally(1.0, false, 1);
    // Window 0: 1 bad in 100 (1%); window 3: 30 bad in 100 (first at request 330).
    for (int i = 0; i < 400; ++i) {
        const double at = i / 100.0;
        const bool bad = (i == 50) || (i >= 330 && i < 360);
        tally.add(at, bad ? 1.0 : 0.0, [&] { return checks::detail::Offender{at_ms(i * 10), static_cast<std::uint64_t>(i), "n1"}; });
    }
    const auto o = tally.conclude([](double r) { return r > 0.05; });
    CHECK(o.value == Approx(31.0 / 400));
    CHECK_FALSE(o.passed);
    REQUIRE(o.first);
    CHECK(o.first->request == 330);
    CHECK(*o.window_start_s == 3.0);
    // Over windows, the worst window decides; a 35% limit holds everywhere.
    checks::detail::RateTally by_window(1.0, true, 1);
    for (int i = 0; i < 400; ++i)
        by_window.add(i / 100.0, (i >= 330 && i < 360) ? 1.0 : 0.0, [&] { return checks::detail::Offender{}; });
    CHECK(by_window.conclude([](double r) { return r > 0.35; }).passed);
    const auto w = by_window.conclude([](double r) { return r > 0.2; });
    CHECK_FALSE(w.passed);
    CHECK(w.value == Approx(0.3));
}

TEST_CASE("planted facts: a lost request and a double ending are caught where they happen") {
    checks::CheckEnv env;
    env.duration_s = 10;
    checks::CheckSuite suite(checks::mandatory_checks(), env);
    FakeWorld world;
    checks::FactBus bus;
    suite.subscribe(bus, world);
    bus.workload_started(at_ms(1000));
    for (std::uint64_t id = 0; id < 5; ++id)
        bus.publish(checks::RequestIssued{id, at_ms(1000 + 10 * static_cast<std::int64_t>(id)), checks::default_client, false, true, 0, -1});
    bus.publish(ended(0, at_ms(1000), at_ms(1100)));
    bus.publish(ended(1, at_ms(1010), at_ms(1110)));
    const driver::Attempt attempt{2, std::nullopt, at_ms(1020), at_ms(1120), driver::AttemptOutcome::ok, 0, false, 0, false, std::nullopt};
    auto twice = ended(2, at_ms(1020), at_ms(1120), std::span<const driver::Attempt>(&attempt, 1));
    twice.answered = 2;
    bus.publish(twice);
    twice.ended = at_ms(1500);
    bus.publish(twice);                              // request 2 ends a second time, at 0.5 s
    bus.publish(ended(9, at_ms(1600), at_ms(1700)));  // never issued
    const auto results = suite.finish(at_ms(3000));
    REQUIRE(results.size() == 2);
    const auto& lost = results[0];
    CHECK(lost.name == "no_request_lost");
    CHECK_FALSE(lost.passed);
    CHECK(lost.value == 2);                 // requests 3 and 4
    CHECK(lost.first_request == 3U);
    CHECK(*lost.first_at_s == Approx(0.03));
    const auto& once = results[1];
    CHECK_FALSE(once.passed);
    CHECK(once.value == 2);
    CHECK(once.first_request == 2U);
    CHECK(*once.first_at_s == Approx(0.5));
    CHECK(once.first_node == "n3");
    CHECK(once.detail == "request ended a second time");
    const std::string verdict = checks::verdict_of(results);
    CHECK(verdict.rfind("fail: no_request_lost: requests never ended 2, limit 0 (first broke at 0.030000 s, request 3)", 0) == 0);
    CHECK(verdict.find("(and 1 more failed check)") != std::string::npos);
}

TEST_CASE("verdict: pass when every check passed") {
    results::CheckRecord ok;
    ok.passed = true;
    CHECK(checks::verdict_of({ok, ok}) == "pass");
    CHECK(checks::verdict_of({}) == "pass");
}
