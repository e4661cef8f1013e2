// A bounded random exploration in the default suite: every scenario in scenarios/ under 6
// random variations each (seed, fault times, durations, targets, faults dropped or added,
// rate scaled — the defaults of [explore] unless the file has its own), and in every run
// every request ends exactly once and none is lost. Other checks may fail under a
// variation (an outage moved into a steady window); those two may not. Also: a file's
// scenario and its rewritten text run to the same trace hash.
#include <catch2/catch.hpp>

#include "sim/explore/explore.hpp"
#include "sim/runner/run.hpp"
#include "tests/explore/explore_test_support.hpp"

using namespace routelab;

TEST_CASE("random variations of every scenario: every request ends exactly once") {
    constexpr std::size_t runs_per_scenario = 6;
    std::size_t runs = 0;
    for (const auto& path : test::toml_files("scenarios")) {
        INFO(path);
        const explore::Doc doc = test::doc_file(path);
        const auto parsed = explore::parse_doc(doc, path);
        REQUIRE(parsed.ok());
        std::string error;
        const auto config = explore::read_explore_config(doc, path, error);
        REQUIRE(config);
        explore::ExploreOptions options;
        options.runs = runs_per_scenario;
        options.seed = 2026;
        const auto result = explore::explore(doc, parsed.scenario(), *config, options, {});
        REQUIRE(result.runs.size() == runs_per_scenario);
        for (const auto& r : result.runs) {
            INFO("run " << r.index << " seed " << r.seed);
            CHECK(r.valid);
            for (const auto& f : r.failures) {
                INFO(f.check << ": " << f.detail);
                CHECK(f.check != "every_request_ends_once");
                CHECK(f.check != "no_request_lost");
                CHECK(f.check.rfind("verdict:", 0) != 0);   // started, and no livelock
            }
            ++runs;
        }
    }
    WARN("explored " << runs << " runs");
}

TEST_CASE("a scenario rewritten by the TOML writer runs to the same trace hash") {
    for (const char* name : {"quickstart", "node_failure", "client_fleet"}) {
        const std::string path = test::source_dir() + "/scenarios/" + name + ".toml";
        INFO(path);
        const auto original = scenario::parse_scenario_file(path);
        REQUIRE(original.ok());
        const auto rewritten = explore::parse_doc(test::doc_file(path), path);
        REQUIRE(rewritten.ok());
        const auto a = runner::run_scenario(original.scenario(), {original.scenario().seed});
        const auto b = runner::run_scenario(rewritten.scenario(), {rewritten.scenario().seed});
        CHECK(a.trace_hash == b.trace_hash);
        CHECK(a.requests == b.requests);
    }
}
