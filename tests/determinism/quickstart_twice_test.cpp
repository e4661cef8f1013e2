// The README's quickstart scenario, read from its TOML file and run twice with its seed:
// both runs must print the same trace hash; a different seed must not.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "sim/runner/run.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;

TEST_CASE("the quickstart scenario replays bit for bit from its seed") {
    const char* source = std::getenv("ROUTELAB_SOURCE_DIR");
    REQUIRE(source != nullptr);
    auto parsed = scenario::parse_scenario_file(std::string(source) + "/scenarios/quickstart.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    const auto& s = parsed.scenario();
    const auto first = runner::run_scenario(s, {s.seed});
    const auto second = runner::run_scenario(s, {s.seed});
    const auto other = runner::run_scenario(s, {s.seed + 1});
    CHECK(first.verdict == "pass");
    CHECK(first.trace_hash == second.trace_hash);
    CHECK(first.windows.size() == second.windows.size());
    CHECK(first.latency_ns.quantile(0.999) == second.latency_ns.quantile(0.999));
    CHECK(first.trace_hash != other.trace_hash);
}
