// Whole runs for the checks of request behaviour: read_your_writes at QUORUM and at ONE
// across a node restart and at ONE across a partition; non_idempotent_never_repeated
// with safe retries and with a planted speculative policy that ignores idempotence; the
// exactly-once checks on a real run; and the checks and per-window tables through the
// results database.
#include <catch2/catch.hpp>

#include <filesystem>

#include "driver/policy/speculative.hpp"
#include "sim/results/sqlite_reader.hpp"
#include "sim/results/sqlite_sink.hpp"
#include "tests/checks/check_world.hpp"

using namespace routelab;

namespace {

// Broken on purpose: speculates on every request, idempotent or not.
class SpeculatesAlways final : public driver::SpeculativeExecutionPolicy {
public:
    driver::SpeculativePlan plan(bool) const override { return {1, sim::Duration::from_ms(2)}; }
    std::string_view name() const override { return "test_speculates_always"; }
};

const std::string restart_r1 = R"(
[[faults]]
action = "stop_node"
at_s = 1
duration_s = 1
node = "dc1-r1-n1"
)";

std::string small_keys(const std::string& consistency) {
    return "rate_per_s = 1000\nduration_s = 4\nconsistency = \"" + consistency + "\"\nkeys = 20\nread_fraction = 0.5";
}

}  // namespace

TEST_CASE("read_your_writes holds across a restart (hints catch the node up) and breaks at ONE across a partition") {
    const std::string rest = restart_r1 + "[[checks]]\nname = \"read_your_writes\"\n";
    const auto quorum = test::run(test::one_dc(small_keys("QUORUM"), "policy = \"round_robin\"", rest));
    INFO(quorum.verdict);
    CHECK(quorum.verdict == "pass");
    const auto& q = test::check(quorum, "read_your_writes");
    CHECK(q.value_text.find("0 of ") == 0);
    CHECK(q.value_text.find(" reads of 20 keys") != std::string::npos);
    // At ONE the restarted node missed the writes of its second away, but the other nodes
    // kept hints for it and replay them as it comes back.
    const auto restarted = test::run(test::one_dc(small_keys("ONE"), "policy = \"round_robin\"", rest));
    CHECK(test::check(restarted, "read_your_writes").passed);
    // A partition hides the node without its being down: no hints, so reads it serves at
    // ONE return older values.
    const std::string partition = R"(
[[faults]]
action = "partition"
at_s = 1
duration_s = 1
node = "dc1-r1-n1"
peer = "dc1-r2-n1"

[[faults]]
action = "partition"
at_s = 1
duration_s = 1
node = "dc1-r1-n1"
peer = "dc1-r3-n1"
)";
    const auto one = test::run(test::one_dc(small_keys("ONE"), "policy = \"round_robin\"",
                                            partition + "[[checks]]\nname = \"read_your_writes\"\n"));
    const auto& c = test::check(one, "read_your_writes");
    INFO(c.detail);
    CHECK_FALSE(c.passed);
    REQUIRE(c.first_at_s);
    CHECK(*c.first_at_s >= 1.0);
    CHECK(c.first_request);
    CHECK(c.detail.find("returned write ") != std::string::npos);
    CHECK(c.detail.find("was acknowledged at ") != std::string::npos);
}

TEST_CASE("read_your_writes tracks only the first `keys` keys") {
    const auto run = test::run(test::one_dc(small_keys("ONE"), "policy = \"round_robin\"",
                                            restart_r1 + "[[checks]]\nname = \"read_your_writes\"\nkeys = 3\n"));
    CHECK(test::check(run, "read_your_writes").value_text.find(" reads of 3 keys") != std::string::npos);
}

TEST_CASE("non_idempotent_never_repeated: safe retries pass, speculation of non-idempotent writes fails") {
    const std::string load = "rate_per_s = 1000\nduration_s = 4\nconsistency = \"QUORUM\"\n"
                             "[[workload.operations]]\nkind = \"read\"\n[[workload.operations]]\nkind = \"write\"\nidempotent = false";
    const std::string check = "[[checks]]\nname = \"non_idempotent_never_repeated\"\n";
    // Unavailable proves nothing ran: retried on the next node, even for non-idempotent writes.
    const auto unavailable = test::run(test::one_dc(load, "policy = \"round_robin\"", check + R"(
[[faults]]
action = "inject_error"
at_s = 1
duration_s = 1
error = "unavailable"
node = "dc1-r2-n1"
)"));
    INFO(unavailable.verdict);
    CHECK(unavailable.verdict == "pass");
    std::uint64_t retries = 0;
    for (const auto& w : unavailable.window_attempts) retries += w.retries;
    CHECK(retries > 200);
    // Overloaded may have run: the driver fails non-idempotent writes instead of retrying.
    const auto overloaded = test::run(test::one_dc(load, "policy = \"round_robin\"", check + R"(
[[faults]]
action = "inject_error"
at_s = 1
duration_s = 1
error = "overloaded"
node = "dc1-r2-n1"
)"));
    CHECK(overloaded.verdict == "pass");
    CHECK(overloaded.errors > 100);   // about half of a third of a second's requests

    // Planted: a speculative policy that ignores idempotence, and a slow node to speculate around.
    runner::RunOptions options;
    options.world.adjust_session = [](driver::SessionConfig& session) { session.speculative = std::make_unique<SpeculatesAlways>(); };
    const auto planted = test::run(test::one_dc(load, "policy = \"round_robin\"", check + R"(
[[faults]]
action = "slow_node"
at_s = 1
duration_s = 1
node = "dc1-r3-n1"
factor = 50
)"), options);
    const auto& c = test::check(planted, "non_idempotent_never_repeated");
    INFO(c.detail);
    CHECK_FALSE(c.passed);
    REQUIRE(c.first_at_s);
    CHECK(c.detail.find("(speculative) started while attempt 0 on ") != std::string::npos);
    CHECK(c.first_request);
}

TEST_CASE("the default checks hold on a real run with a node outage, and go to the results database") {
    const auto run = test::run(test::one_dc("rate_per_s = 1000\nduration_s = 3\nconsistency = \"QUORUM\"", "policy = \"round_robin\"\nrequest_timeout_ms = 500",
                                            restart_r1));
    INFO(run.verdict);
    CHECK(run.verdict == "pass");
    REQUIRE(run.checks.size() == 3);
    for (const auto& c : run.checks) CHECK(c.passed);

    const auto dir = std::filesystem::temp_directory_path() / "routelab-checks-test-db";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string db = (dir / "results.sqlite").string();
    auto failing = run;
    failing.checks[0].passed = false;
    failing.checks[0].first_at_s = 1.25;
    failing.checks[0].first_request = 1234;
    failing.checks[0].first_node = "dc1-r1-n1";
    const auto id = results::write_run(db, failing);
    const auto back = results::read_checks(db, id);
    REQUIRE(back.size() == 3);
    CHECK(back[0].name == "no_request_lost");
    CHECK_FALSE(back[0].passed);
    CHECK(back[0].first_at_s == 1.25);
    CHECK(back[0].first_request == 1234U);
    CHECK(back[0].first_node == "dc1-r1-n1");
    CHECK(back[1].passed);
    CHECK_FALSE(back[1].first_at_s);
    CHECK(back[1].measure == run.checks[1].measure);
    CHECK(back[2].name == "plans_valid");
    // Every request ended in one window of window_attempts; node load adds up to attempts.
    std::uint64_t requests = 0, attempts = 0, node_attempts = 0;
    for (const auto& w : run.window_attempts) {
        requests += w.requests;
        attempts += w.attempts;
    }
    for (const auto& n : run.window_node_load) node_attempts += n.attempts;
    CHECK(requests == run.requests);
    CHECK(attempts == node_attempts);
    std::filesystem::remove_all(dir);
}
