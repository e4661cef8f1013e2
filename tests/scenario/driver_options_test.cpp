// Driver policy choices in a scenario are checked against the driver's registry while
// parsing, so a typo in a policy name or option is a file:line error, not a failed run.
#include <catch2/catch.hpp>

#include "driver/policy/registry.hpp"
#include "driver/policy/round_robin.hpp"
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

TEST_CASE("client routes are configured under [driver.client_routes] and checked at their line") {
    auto ok = scenario::parse_scenario_text(
        base + "[driver.client_routes]\nconnection_ids = [\"az1\", \"az2\"]\nhostname_overrides = { az2 = \"127.0.0.200\" }\n", "s.toml");
    INFO((ok ? std::string() : ok.error().to_string()));
    REQUIRE(ok.ok());
    const auto& routes = *ok.scenario().driver.client_routes;
    CHECK(routes.connection_ids == std::vector<std::string>{"az1", "az2"});
    CHECK(routes.hostname_overrides.at("az2") == "127.0.0.200");
    CHECK_FALSE(routes.advanced_shard_awareness);

    auto missing = scenario::parse_scenario_text(base + "[driver.client_routes]\nadvanced_shard_awareness = true\n", "s.toml");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().to_string(), Catch::StartsWith("s.toml:7: driver.client_routes.connection_ids: required field is missing"));
    auto empty = scenario::parse_scenario_text(base + "[driver.client_routes]\nconnection_ids = []\n", "s.toml");
    REQUIRE_FALSE(empty.ok());
    CHECK_THAT(empty.error().to_string(), Catch::Contains("driver.client_routes: client routes need at least one connection id"));
    auto stray = scenario::parse_scenario_text(
        base + "[driver.client_routes]\nconnection_ids = [\"az1\"]\nhostname_overrides = { az9 = \"127.0.0.1\" }\n", "s.toml");
    REQUIRE_FALSE(stray.ok());
    CHECK_THAT(stray.error().to_string(), Catch::StartsWith("s.toml:9: driver.client_routes.hostname_overrides.az9: not one of connection_ids"));
    auto dns = scenario::parse_scenario_text(
        base + "[driver.client_routes]\nconnection_ids = [\"az1\"]\nhostname_overrides = { az1 = \"proxy.example\" }\n", "s.toml");
    REQUIRE_FALSE(dns.ok());
    CHECK_THAT(dns.error().to_string(), Catch::Contains("is not an IPv4 address"));
}

TEST_CASE("execution profiles inherit [driver] and are checked like it") {
    auto ok = scenario::parse_scenario_text(
        base + "policy = \"default\"\npolicy_options = { local_dc = \"dc1\" }\n"
               "[driver.profiles.spec]\nspeculative = \"constant\"\nspeculative_options = { delay = \"5ms\" }\nconsistency = \"local_quorum\"\n"
               "[driver.profiles.lwt]\nserial_consistency = \"LOCAL_SERIAL\"\npolicy_options = { permit_dc_failover = true }\n"
               "[workload]\nprofile = \"spec\"\n",
        "s.toml");
    INFO((ok ? std::string() : ok.error().to_string()));
    REQUIRE(ok.ok());
    const auto& d = ok.scenario().driver;
    REQUIRE(d.profiles.size() == 2);
    CHECK(d.profiles[0].name == "spec");   // file order
    CHECK(*d.profiles[0].consistency == "LOCAL_QUORUM");
    const auto lwt = scenario::with_profile(d, d.profiles[1]);
    CHECK(lwt.policy == "default");
    CHECK(lwt.policy_options.at("local_dc") == "dc1");             // inherited
    CHECK(lwt.policy_options.at("permit_dc_failover") == "true");  // added
    CHECK(ok.scenario().workload.profile == "spec");

    auto bad_option = scenario::parse_scenario_text(base + "[driver.profiles.x]\npolicy = \"default\"\npolicy_options = { token_awre = true }\n", "s.toml");
    REQUIRE_FALSE(bad_option.ok());
    CHECK_THAT(bad_option.error().to_string(), Catch::StartsWith("s.toml:9: driver.policy: policy default option 'token_awre'"));
    auto serial = scenario::parse_scenario_text(base + "[driver.profiles.x]\nserial_consistency = \"QUORUM\"\n", "s.toml");
    REQUIRE_FALSE(serial.ok());
    CHECK_THAT(serial.error().to_string(), Catch::StartsWith("s.toml:8: driver.profiles.x.serial_consistency: expected SERIAL or LOCAL_SERIAL"));
    auto unknown = scenario::parse_scenario_text(base + "[workload]\nprofile = \"fast\"\n", "s.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK_THAT(unknown.error().to_string(), Catch::StartsWith("s.toml:8: workload.profile: unknown execution profile \"fast\" (known: default)"));
    auto named_default = scenario::parse_scenario_text(base + "[driver.profiles.default]\nconsistency = \"ONE\"\n", "s.toml");
    REQUIRE_FALSE(named_default.ok());
}

TEST_CASE("a user-registered policy can be named by scenarios") {
    // A policy a user adds before running scenarios (here: round robin under another name).
    driver::PolicyRegistry::instance().register_policy("my_round_robin", [] { return std::make_unique<driver::RoundRobinPolicy>(); });
    CHECK_FALSE(driver::PolicyRegistry::instance().register_policy("my_round_robin", [] { return std::make_unique<driver::RoundRobinPolicy>(); }));
    auto ok = scenario::parse_scenario_text(base + "policy = \"my_round_robin\"\n", "s.toml");
    INFO((ok ? std::string() : ok.error().to_string()));
    REQUIRE(ok.ok());
    CHECK(ok.scenario().driver.policy == "my_round_robin");
    auto unknown = scenario::parse_scenario_text(base + "policy = \"their_round_robin\"\n", "s.toml");
    REQUIRE_FALSE(unknown.ok());
    CHECK_THAT(unknown.error().to_string(), Catch::Contains("my_round_robin"));   // listed among the known names
}
