// Whole runs for the rate-like checks: each passes on a healthy run and fails on a planted
// fault (injected errors, a slow node, one node taking all the load), at the time the
// fault starts and on the node it hit.
#include <catch2/catch.hpp>

#include "tests/checks/check_world.hpp"

using namespace routelab;

namespace {

const std::string load = "rate_per_s = 1000\nduration_s = 4\nconsistency = \"QUORUM\"";

// Requests coordinated by dc1-r2-n1 fail with Unavailable from 1 s to 2 s; the
// fallthrough retry policy lets every such error reach the client.
const std::string unavailable_on_r2 = R"(
[[faults]]
action = "inject_error"
at_s = 1
duration_s = 1
error = "unavailable"
node = "dc1-r2-n1"
)";

void require_first_broke_in(const results::CheckRecord& c, double from_s, double to_s) {
    INFO(c.name << " [" << c.label << "]: " << c.detail);
    REQUIRE(c.first_at_s);
    CHECK(*c.first_at_s >= from_s);
    CHECK(*c.first_at_s < to_s);
}

}  // namespace

TEST_CASE("max_error_rate and min_availability: injected errors fail them where they start, and only them") {
    const auto run = test::run(test::one_dc(load, "policy = \"round_robin\"\nretry = \"fallthrough\"", unavailable_on_r2 + R"(
[[checks]]
name = "max_error_rate"
id = "any"
limit = 0.01
[[checks]]
name = "max_error_rate"
id = "timeouts"
kinds = ["timeout"]
limit = 0
[[checks]]
name = "max_error_rate"
id = "unavailable-steady"
kinds = ["unavailable"]
during = "steady"
limit = 0
[[checks]]
name = "max_error_rate"
id = "faults-loose"
during = "faults"
limit = 0.4
[[checks]]
name = "max_error_rate"
id = "faults-tight"
during = "faults"
limit = 0.2
[[checks]]
name = "max_error_rate"
id = "per-window"
over = "window"
limit = 0.05
[[checks]]
name = "max_error_rate"
id = "reads-per-window-loose"
operation = "read"
over = "window"
limit = 0.5
[[checks]]
name = "min_availability"
id = "avail-99"
limit = 0.99
[[checks]]
name = "min_availability"
id = "avail-90"
limit = 0.9
)"));
    INFO(run.verdict);
    // A third of the requests of one second in four fail: about 8% overall, 33% in the window.
    const auto& any = test::check(run, "any");
    CHECK_FALSE(any.passed);
    CHECK(any.value == Approx(static_cast<double>(run.errors) / static_cast<double>(run.requests)));
    CHECK(any.value > 0.06);
    CHECK(any.value < 0.11);
    require_first_broke_in(any, 1.0, 1.01);
    CHECK(any.first_node == "dc1-r2-n1");
    REQUIRE(any.first_request);
    CHECK(test::check(run, "timeouts").passed);
    CHECK(test::check(run, "unavailable-steady").passed);
    const auto& loose = test::check(run, "faults-loose");
    CHECK(loose.passed);
    CHECK(loose.value == Approx(1.0 / 3).margin(0.05));
    CHECK_FALSE(test::check(run, "faults-tight").passed);
    const auto& per_window = test::check(run, "per-window");
    CHECK_FALSE(per_window.passed);
    CHECK(per_window.value == Approx(1.0 / 3).margin(0.06));   // the worst window's rate
    require_first_broke_in(per_window, 1.0, 1.01);
    CHECK(test::check(run, "reads-per-window-loose").passed);
    const auto& avail = test::check(run, "avail-99");
    CHECK_FALSE(avail.passed);
    CHECK(avail.value == Approx(1 - any.value));
    CHECK(avail.first_request == any.first_request);
    CHECK(test::check(run, "avail-90").passed);
    // The run fails on the first failed check, with its one-line reason.
    CHECK(run.verdict.rfind("fail: max_error_rate [any]: error rate ", 0) == 0);
    CHECK(run.verdict.find("node dc1-r2-n1") != std::string::npos);
    // The error breakdown agrees: unavailable only, in the windows of [1, 2).
    std::uint64_t unavailable = 0;
    for (const auto& w : run.window_errors) {
        CHECK(w.kind == "unavailable");
        CHECK(w.start_s >= 1.0);
        CHECK(w.start_s < 2.0);
        unavailable += w.requests;
    }
    CHECK(unavailable == run.errors);
}

TEST_CASE("max_error_rate passes on a healthy run") {
    const auto run = test::run(test::one_dc(load, "policy = \"round_robin\"", "[[checks]]\nname = \"max_error_rate\"\nlimit = 0\n"));
    CHECK(run.verdict == "pass");
    CHECK(test::check(run, "max_error_rate").passed);
    CHECK(test::check(run, "max_error_rate").value == 0);
}

TEST_CASE("max_latency: a slow node breaks the windows it slows, from when it slows") {
    const std::string checks = R"(
[[checks]]
name = "max_latency"
id = "p99"
limit_ms = 10
[[checks]]
name = "max_latency"
id = "p99-with-errors"
limit_ms = 10
include_errors = true
[[checks]]
name = "max_latency"
id = "p99-windows"
over = "window"
limit_ms = 10
[[checks]]
name = "max_latency"
id = "before"
over = "window"
during = [0, 1.9]
limit_ms = 10
)";
    const std::string driver = "policy = \"round_robin\"\nrequest_timeout_ms = 1000";
    // At ONE only the requests the slow node coordinates wait for it (a read asks the
    // coordinator's own replica, a write is acknowledged first by it), so the first slow
    // request is one of its own. (At QUORUM the other coordinators' reads that ask it as
    // their second replica are slowed just as early, and the blame may fall on them.)
    const std::string load_one = "rate_per_s = 1000\nduration_s = 4\nconsistency = \"ONE\"";
    const auto healthy = test::run(test::one_dc(load_one, driver, checks));
    INFO(healthy.verdict);
    CHECK(healthy.verdict == "pass");
    const auto slow = test::run(test::one_dc(load_one, driver, checks + R"(
[[faults]]
action = "slow_node"
at_s = 2
node = "dc1-r3-n1"
factor = 200
)"));
    INFO(slow.verdict);
    // Overloaded, the slow node's requests time out: the successful ones' p99 stays low
    // (errors are not latencies unless include_errors), the windows' does not.
    CHECK(test::check(slow, "p99").passed);
    const auto& with_errors = test::check(slow, "p99-with-errors");
    CHECK_FALSE(with_errors.passed);
    CHECK(with_errors.value >= 999);   // the 1 s client timeout
    const auto& windows = test::check(slow, "p99-windows");
    CHECK_FALSE(windows.passed);
    require_first_broke_in(windows, 2.0, 2.5);
    CHECK(windows.first_node == "dc1-r3-n1");
    CHECK(test::check(slow, "before").passed);
}

TEST_CASE("max_load_share: one node taking everything breaks it at the first window") {
    const std::string checks = R"(
[[checks]]
name = "max_load_share"
id = "nodes"
limit = 0.4
[[checks]]
name = "max_load_share"
id = "answers-windows"
count = "answers"
over = "window"
limit = 0.4
)";
    const auto spread = test::run(test::one_dc(load, "policy = \"round_robin\"", checks));
    CHECK(spread.verdict == "pass");
    CHECK(test::check(spread, "nodes").value == Approx(1.0 / 3).margin(0.01));
    const auto pinned = test::run(test::one_dc(load, "policy = \"single_target\"\npolicy_options = { target = \"127.0.0.2\" }", checks));
    const auto& nodes = test::check(pinned, "nodes");
    CHECK_FALSE(nodes.passed);
    CHECK(nodes.value == 1.0);
    CHECK(nodes.value_text == "100% (dc1-r2-n1)");
    require_first_broke_in(nodes, 0.0, 0.01);
    CHECK(nodes.first_node == "dc1-r2-n1");
    CHECK(nodes.first_request == 0U);
    CHECK_FALSE(test::check(pinned, "answers-windows").passed);
}

TEST_CASE("max_retries_per_request: errors that retry elsewhere break a zero limit on the node they hit") {
    const std::string checks = R"(
[[checks]]
name = "max_retries_per_request"
id = "none"
limit = 0
[[checks]]
name = "max_retries_per_request"
id = "one"
limit = 1
[[faults]]
action = "inject_error"
at_s = 1
duration_s = 1
error = "overloaded"
node = "dc1-r2-n1"
)";
    const auto run = test::run(test::one_dc(load, "policy = \"round_robin\"", checks));
    INFO(run.verdict);
    CHECK(run.errors == 0);   // the default policy retries Overloaded on the next node
    const auto& none = test::check(run, "none");
    CHECK_FALSE(none.passed);
    CHECK(none.value == 1);
    require_first_broke_in(none, 1.0, 1.01);
    CHECK(none.first_node == "dc1-r2-n1");
    CHECK(test::check(run, "one").passed);
    std::uint64_t retries = 0;
    for (const auto& w : run.window_attempts) retries += w.retries;
    CHECK(retries > 250);   // about a third of a second's thousand requests
    CHECK(retries < 420);
}

TEST_CASE("max_speculative_overhead: a slow node makes speculation pass its limit where it slows") {
    const std::string driver = "policy = \"round_robin\"\nspeculative = \"constant\"\nspeculative_options = { delay = \"5ms\", max_retry_count = 1 }";
    const std::string checks = R"(
[[checks]]
name = "max_speculative_overhead"
id = "tight"
limit = 0.02
over = "window"
)";
    const auto healthy = test::run(test::one_dc(load, driver, checks));
    INFO(healthy.verdict);
    CHECK(test::check(healthy, "tight").passed);
    const auto slow = test::run(test::one_dc(load, driver, checks + R"(
[[faults]]
action = "slow_node"
at_s = 1.5
duration_s = 1
node = "dc1-r1-n1"
factor = 100
)"));
    const auto& tight = test::check(slow, "tight");
    INFO(tight.detail);
    CHECK_FALSE(tight.passed);
    CHECK(tight.value > 0.2);
    require_first_broke_in(tight, 1.5, 2.0);
    CHECK(tight.first_request);
    CHECK_FALSE(tight.first_node.empty());
}

// The lower-bound mirrors pin the losing side of a comparison: each passes where its
// measure is at least (or, for max_availability, at most) the limit, and fails otherwise.
TEST_CASE("max_availability: an outage's availability is pinned from above; a success above it is located") {
    const std::string checks = R"(
[[checks]]
name = "max_availability"
id = "faults-loose"
during = "faults"
limit = 0.75
[[checks]]
name = "max_availability"
id = "faults-tight"
during = "faults"
limit = 0.5
)";
    const auto run = test::run(test::one_dc(load, "policy = \"round_robin\"\nretry = \"fallthrough\"", unavailable_on_r2 + checks));
    const auto& loose = test::check(run, "faults-loose");
    CHECK(loose.passed);
    CHECK(loose.value == Approx(2.0 / 3).margin(0.05));
    CHECK(loose.limit_text == "<= 75%");
    const auto& tight = test::check(run, "faults-tight");
    CHECK_FALSE(tight.passed);
    CHECK(tight.value == Approx(loose.value));
    require_first_broke_in(tight, 1.0, 1.5);
    CHECK(run.verdict.rfind("fail: max_availability [faults-tight]", 0) == 0);
}

TEST_CASE("min_latency: a healthy run's median is above the network's floor and its p99 below a slow one") {
    const auto run = test::run(test::one_dc(load, "policy = \"round_robin\"", R"(
[[checks]]
name = "min_latency"
id = "p50-floor"
percentile = 50
limit_ms = 0.2
[[checks]]
name = "min_latency"
id = "p99-slow"
limit_ms = 10
)"));
    const auto& floor = test::check(run, "p50-floor");
    CHECK(floor.passed);
    CHECK(floor.value >= 0.2);
    CHECK(floor.limit_text == ">= 0.200 ms");
    const auto& slow = test::check(run, "p99-slow");
    CHECK_FALSE(slow.passed);
    CHECK(slow.value < 10);
    require_first_broke_in(slow, 0.0, 0.5);
    CHECK(slow.detail.find("faster than the limit") != std::string::npos);
}

TEST_CASE("min_load_share: a pinned target takes at least the limit; round robin does not") {
    const std::string checks = "[[checks]]\nname = \"min_load_share\"\nid = \"busiest\"\nlimit = 0.9\n";
    const auto pinned = test::run(test::one_dc(load, "policy = \"single_target\"\npolicy_options = { target = \"127.0.0.2\" }", checks));
    CHECK(test::check(pinned, "busiest").passed);
    CHECK(test::check(pinned, "busiest").value == 1.0);
    const auto spread = test::run(test::one_dc(load, "policy = \"round_robin\"", checks));
    const auto& busiest = test::check(spread, "busiest");
    CHECK_FALSE(busiest.passed);
    CHECK(busiest.value == Approx(1.0 / 3).margin(0.02));
    CHECK(busiest.limit_text == ">= 90%");
    require_first_broke_in(busiest, 0.0, 0.5);
}

TEST_CASE("max_retry_overhead and min_retry_overhead: retries per request around injected errors") {
    // Unavailable from dc1-r2-n1 in [1, 2): the default policy retries each such request
    // once on the next node, a third of the requests of that second.
    const auto run = test::run(test::one_dc(load, "policy = \"round_robin\"", unavailable_on_r2 + R"(
[[checks]]
name = "max_retry_overhead"
id = "max-loose"
during = "faults"
limit = 0.45
[[checks]]
name = "max_retry_overhead"
id = "max-tight"
during = "faults"
limit = 0.2
[[checks]]
name = "min_retry_overhead"
id = "min-loose"
during = "faults"
limit = 0.2
[[checks]]
name = "min_retry_overhead"
id = "min-steady"
during = "steady"
limit = 0.01
)"));
    const auto& loose = test::check(run, "max-loose");
    CHECK(loose.passed);
    CHECK(loose.value == Approx(1.0 / 3).margin(0.06));
    const auto& tight = test::check(run, "max-tight");
    CHECK_FALSE(tight.passed);
    require_first_broke_in(tight, 1.0, 1.01);
    CHECK(tight.first_node == "dc1-r2-n1");
    CHECK(test::check(run, "min-loose").passed);
    const auto& steady = test::check(run, "min-steady");
    CHECK_FALSE(steady.passed);
    CHECK(steady.value == 0);
    REQUIRE(steady.first_at_s);
    CHECK(*steady.first_at_s < 0.5);
}

TEST_CASE("max_sessions_moved and min_sessions_moved: consistent hashing moves a leaving node's sessions; round robin moves all") {
    const std::string workload = load + "\nsessions = 200\nkeys = 5000";
    const std::string rest = R"(
[[faults]]
action = "decommission_node"
at_s = 1
node = "dc1-r2-n1"
[[faults]]
action = "join_node"
at_s = 2.5
node = "dc1-r2-n1"
[[checks]]
name = "max_sessions_moved"
id = "max-half"
limit = 0.5
[[checks]]
name = "min_sessions_moved"
id = "min-most"
limit = 0.9
)";
    const auto ring = test::run(test::one_dc(workload, "policy = \"session_affinity\"\npolicy_options = { scheme = \"ring\" }", rest));
    const auto& ring_max = test::check(ring, "max-half");
    CHECK(ring_max.passed);
    CHECK(ring_max.value > 0.15);   // the leaving node's third of the sessions, give or take
    CHECK(ring_max.value < 0.5);
    CHECK(ring_max.limit_text == "<= 50%");
    CHECK_FALSE(test::check(ring, "min-most").passed);
    const auto rr = test::run(test::one_dc(workload, "policy = \"round_robin\"", rest));
    const auto& rr_max = test::check(rr, "max-half");
    CHECK_FALSE(rr_max.passed);
    CHECK(rr_max.value > 0.9);
    REQUIRE(rr_max.first_at_s);
    CHECK(*rr_max.first_at_s < 1.0);   // round robin moves sessions long before the change
    CHECK(test::check(rr, "min-most").passed);
}
