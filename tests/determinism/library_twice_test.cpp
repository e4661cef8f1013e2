// Every scenario of the library (scenarios/library/) replays bit for bit: run twice with
// its seed it gives the same trace hash, and another seed another hash. The list is
// explicit and must match the directory, so a new library scenario needs its line here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/runner/run.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;

namespace {

const std::vector<std::string> library = {
    "affinity_membership_driver",
    "affinity_membership_proxy",
    "dc_outage",
    "half_dead_node",
    "hot_partition",
    "private_link_routes",
    "rack_loss",
    "retry_storm",
    "rolling_restart",
    "rust_1272_local_cl_failover",
    "slow_node",
    "stragglers_speculative",
};

std::string library_dir() {
    const char* source = std::getenv("ROUTELAB_SOURCE_DIR");
    REQUIRE(source != nullptr);
    return std::string(source) + "/scenarios/library";
}

}  // namespace

TEST_CASE("the determinism list names every library scenario") {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(library_dir()))
        if (entry.is_regular_file() && entry.path().extension() == ".toml") found.push_back(entry.path().stem().string());
    std::sort(found.begin(), found.end());
    CHECK(found == library);
}

TEST_CASE("every library scenario replays bit for bit from its seed") {
    for (const auto& name : library) {
        DYNAMIC_SECTION(name) {
            auto parsed = scenario::parse_scenario_file(library_dir() + "/" + name + ".toml");
            INFO((parsed ? std::string() : parsed.error().to_string()));
            REQUIRE(parsed.ok());
            const auto& s = parsed.scenario();
            const auto first = runner::run_scenario(s, {s.seed});
            const auto second = runner::run_scenario(s, {s.seed});
            const auto other = runner::run_scenario(s, {s.seed + 1});
            INFO("trace hash " << first.trace_hash << ", verdict " << first.verdict);
            CHECK(first.verdict == "pass");
            CHECK(first.trace_hash == second.trace_hash);
            CHECK(first.trace_events == second.trace_events);
            CHECK(first.latency_ns.quantile(0.999) == second.latency_ns.quantile(0.999));
            CHECK(first.trace_hash != other.trace_hash);
        }
    }
}
