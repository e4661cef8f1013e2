// Shrinking in process: a scenario that fails plans_valid through the planted policy
// shrinks to at most one node and one fault, every kept step still fails the check, and
// the written regression file reads back and fails the same check.
#include <catch2/catch.hpp>

#include "sim/explore/regression_file.hpp"
#include "sim/explore/shrink.hpp"
#include "tests/explore/explore_test_support.hpp"
#include "tests/explore/planted_bugs.hpp"

using namespace routelab;

namespace {

const std::string failing_text = R"(
[scenario]
name = "shrink-me"
seed = 21
[topology]
vnodes = 8
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 2 }, { name = "r2", nodes = 3 } ]
[[topology.datacenters]]
name = "dc2"
racks = [ { name = "r1", nodes = 2 } ]
[cluster]
replication_factor = 2
[workload]
rate_per_s = 1000
duration_s = 4
keys = 1000
[driver]
policy = "test_names_twice_sometimes"
[[faults]]
action = "slow_node"
at_s = 0.5
duration_s = 1
node = "dc2-r1-n1"
factor = 2
[[faults]]
action = "inject_error"
at_s = 2
duration_s = 1
node = "dc1-r2-n3"
error = "overloaded"
probability = 0.1
[[checks]]
name = "plans_valid"
[[checks]]
name = "max_error_rate"
limit = 0.5
)";

}  // namespace

TEST_CASE("a planted plan bug shrinks to one node and one fault, still failing plans_valid") {
    test::register_planted_bugs();
    const explore::Doc failing = test::doc_of(failing_text);
    const auto before = explore::run_doc(failing, {});
    INFO(before.error);
    REQUIRE(before.valid);
    REQUIRE(before.fails("plans_valid"));

    std::vector<std::string> seen;
    const auto shrunk = explore::shrink(failing, "plans_valid", {}, 300, [&](const std::string& s) { seen.push_back(s); });
    CHECK(seen == shrunk.steps);
    CHECK_FALSE(shrunk.steps.empty());
    CHECK(shrunk.trials <= 300);
    const auto parsed = explore::parse_doc(shrunk.doc, "shrunk");
    REQUIRE(parsed.ok());
    const auto size = explore::size_of(parsed.scenario());
    INFO(size.text());
    CHECK(size.nodes <= 1);
    CHECK(size.faults <= 1);
    CHECK(size.datacenters == 1);
    CHECK(parsed.scenario().checks.size() == 1);   // max_error_rate went: it is not the check shrunk for
    CHECK(explore::run_doc(shrunk.doc, {}).fails("plans_valid"));
    CHECK(shrunk.detail.find("twice") != std::string::npos);

    // The file: comments, then a scenario that reads back and fails the same way.
    explore::RegressionInfo info;
    info.source = "shrink.toml";
    info.seed = 21;
    info.check = "plans_valid";
    info.detail = shrunk.detail;
    info.before = explore::size_of(explore::parse_doc(failing, "f").scenario());
    info.after = size;
    info.steps = shrunk.steps;
    const std::string text = explore::regression_text(shrunk.doc, info);
    CHECK(text.find("# Fails check: plans_valid\n") != std::string::npos);
    CHECK(text.find("#   1. " + shrunk.steps.front() + "\n") != std::string::npos);
    CHECK(explore::regression_file_name("shrink-me", info) == "shrink-me-plans_valid-seed21.toml");
    const auto back = scenario::parse_scenario_text(text, "regression.toml");
    INFO((back ? std::string() : back.error().to_string()));
    REQUIRE(back.ok());
    CHECK(explore::run_doc(test::doc_of(text), {}).fails("plans_valid"));
}

TEST_CASE("shrinking keeps the same check: a scenario failing two checks shrinks for the one asked") {
    test::register_planted_bugs();
    // Every node overloaded for a second: max_error_rate fails too. Shrinking for it keeps
    // it, whatever happens to plans_valid.
    std::string text = failing_text;
    text.replace(text.find("probability = 0.1"), 17, "probability = 1.0");
    text.erase(text.find("node = \"dc1-r2-n3\"\n"), 19);
    text.replace(text.find("limit = 0.5"), 11, "limit = 0.0001");
    const explore::Doc failing = test::doc_of(text);
    const auto before = explore::run_doc(failing, {});
    REQUIRE(before.fails("plans_valid"));
    REQUIRE(before.fails("max_error_rate"));
    const auto shrunk = explore::shrink(failing, "max_error_rate", {}, 200, {});
    const auto after = explore::run_doc(shrunk.doc, {});
    CHECK(after.fails("max_error_rate"));
    const auto parsed = explore::parse_doc(shrunk.doc, "shrunk");
    REQUIRE(parsed.ok());
    // plans_valid is not the check shrunk for, so it may be dropped; max_error_rate stays.
    bool kept = false;
    for (const auto& c : parsed.scenario().checks) kept = kept || c.name == "max_error_rate";
    CHECK(kept);
}
