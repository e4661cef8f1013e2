#pragma once
// Runs a scenario written inline and finds its checks' results, for the whole-run tests.
#include <catch2/catch.hpp>

#include <string>

#include "sim/runner/run.hpp"
#include "sim/scenario/parse.hpp"

namespace routelab::test {

// Three nodes in one datacenter (one per rack), rf 3, with the workload and driver given.
inline std::string one_dc(const std::string& workload, const std::string& driver, const std::string& rest = "") {
    return R"(
[scenario]
name = "checks"
[topology]
vnodes = 8
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 1 }, { name = "r2", nodes = 1 }, { name = "r3", nodes = 1 } ]
[cluster]
replication_factor = 3
[workload]
)" + workload + "\n[driver]\n" + driver + "\n" + rest + "\n[output]\nwindow_s = 0.5\n";
}

inline scenario::Scenario parse(const std::string& text) {
    auto parsed = scenario::parse_scenario_text(text, "checks.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    return parsed.scenario();
}

inline results::RunRecord run(const std::string& text, runner::RunOptions options = {}) {
    const scenario::Scenario s = parse(text);
    return runner::run_scenario(s, options);
}

// The check with this id (or, without one, this checker name).
inline const results::CheckRecord& check(const results::RunRecord& run, const std::string& id_or_name) {
    for (const auto& c : run.checks)
        if (c.label == id_or_name) return c;
    for (const auto& c : run.checks)
        if (c.label.empty() && c.name == id_or_name) return c;
    FAIL("no check " << id_or_name << " in the run (verdict: " << run.verdict << ")");
    return run.checks.front();
}

}  // namespace routelab::test
