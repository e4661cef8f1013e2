// Driver policy choices in a scenario are checked against the driver's registry while
// parsing, so a typo in a policy name or option is a file:line error, not a failed run.
#include <catch2/catch.hpp>

#include "sim/scenario/parse.hpp"

using namespace routelab;

namespace {
const std::string base = "[scenario]\nname = \"x\"\n[[topology.datacenters]]\nname = \"dc1\"\nracks = [ { name = \"r1\", nodes = 3 } ]\n[driver]\n";
}

TEST_CASE("policy options are parsed as text and accepted when the registry knows them") {
    auto r = scenario::parse_scenario_text(base + "policy = \"default\"\npolicy_options = { local_dc = \"dc1\", token_aware = true, latency_awareness = true, minimum_measurements = 5 }\nretry = \"fallthrough\"\n", "s.toml");
    INFO((r ? std::string() : r.error().to_string()));
    REQUIRE(r.ok());
    CHECK(r.scenario().driver.policy_options.at("token_aware") == "true");
    CHECK(r.scenario().driver.policy_options.at("minimum_measurements") == "5");
    CHECK(r.scenario().driver.retry == "fallthrough");
}

TEST_CASE("unknown policies and options are refused at their line") {
    auto option = scenario::parse_scenario_text(base + "policy = \"default\"\npolicy_options = { token_awre = true }\n", "s.toml");
    REQUIRE_FALSE(option.ok());
    CHECK_THAT(option.error().to_string(), Catch::StartsWith("s.toml:8: driver.policy: policy default option 'token_awre': unknown option"));
    auto name = scenario::parse_scenario_text(base + "policy = \"fancy\"\n", "s.toml");
    REQUIRE_FALSE(name.ok());
    CHECK_THAT(name.error().to_string(), Catch::StartsWith("s.toml:7: driver.policy: policy 'fancy'"));
    auto retry = scenario::parse_scenario_text(base + "retry = \"sometimes\"\n", "s.toml");
    REQUIRE_FALSE(retry.ok());
    CHECK_THAT(retry.error().to_string(), Catch::StartsWith("s.toml:7: driver.retry:"));
    auto value = scenario::parse_scenario_text(base + "policy_options = { local_dc = [1, 2] }\n", "s.toml");
    REQUIRE_FALSE(value.ok());
    CHECK_THAT(value.error().to_string(), Catch::Contains("driver.policy_options.local_dc: expected a string, number or boolean"));
}
