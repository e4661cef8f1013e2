// PolicyOptions typed getters and the registry: every policy is creatable by name with
// string options; bad values give errors naming the policy and key.
#include <catch2/catch.hpp>

#include "driver/policy/registry.hpp"
#include "tests/driver/fixture.hpp"

using namespace routelab;
using namespace routelab::driver;
using namespace routelab::driver::test;

TEST_CASE("typed getters parse and range-check") {
    PolicyOptions o{{"b", "yes"}, {"i", "12"}, {"d", "2.5"}, {"t", "250ms"}, {"l", " a, b ,,c "}, {"bad", "maybe"}};
    o.set_context("policy x");
    CHECK(o.get_bool("b", false).value());
    CHECK(o.get_bool("absent", true).value());
    CHECK(o.get_int("i", 0, 0, 100).value() == 12);
    CHECK(o.get_double("d", 0, 0, 10).value() == 2.5);
    CHECK(o.get_duration("t", {}).value() == sim::Duration::from_ms(250));
    CHECK(o.get_list("l").value() == std::vector<std::string>{"a", "b", "c"});
    auto bad = o.get_bool("bad", false);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().to_string() == "policy x option 'bad': expected true or false, got 'maybe'");
    CHECK_FALSE(o.get_int("i", 0, 0, 10).ok());
    CHECK_FALSE(o.get_duration("d", {}).ok());
    auto unknown = o.reject_unknown({"b", "i", "d", "t", "l"});
    REQUIRE(unknown.has_value());
    CHECK(unknown->where == "policy x option 'bad'");
}

TEST_CASE("registry: every load-balancing policy by name") {
    auto& registry = PolicyRegistry::instance();
    PolicyContext context{sim::RngStream(1), [](const Target&) { return 0u; }};
    CHECK(registry.create("round_robin", {}, context).ok());
    CHECK(registry.create("default", {{"local_dc", "eu"}, {"local_rack", "r1"}, {"permit_dc_failover", "true"},
                                      {"shuffle_replicas", "false"}, {"token_aware", "true"},
                                      {"allow_list", "127.0.0.1:9042, G"}, {"latency_awareness", "true"},
                                      {"exclusion_threshold", "3"}, {"retry_period", "5s"},
                                      {"update_rate", "50ms"}, {"minimum_measurements", "10"}, {"scale", "200ms"}},
                          context)
              .ok());
    CHECK(registry.create("dc_aware_round_robin", {{"local_dc", "eu"}}, context).ok());
    CHECK(registry.create("power_of_two_choices", {{"local_dc", "eu"}}, context).ok());
    CHECK(registry.create("single_target", {{"target", "G"}}, context).ok());
    CHECK(registry.create("session_affinity", {{"scheme", "maglev"}, {"table_size", "65537"}}, context).ok());
    CHECK(registry.create("default") != nullptr);  // the old entry point still works
    CHECK(registry.create("round_robin") != nullptr);
}

TEST_CASE("registry: option errors") {
    auto& registry = PolicyRegistry::instance();
    PolicyContext context{sim::RngStream(1), {}};
    auto check_error = [&](const std::string& name, PolicyOptions o, const std::string& where) {
        auto r = registry.create(name, o, context);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where == where);
    };
    check_error("default", {{"token_awre", "true"}}, "policy default option 'token_awre'");
    check_error("default", {{"local_rack", "r1"}}, "policy default option 'local_rack'");
    check_error("default", {{"permit_dc_failover", "sometimes"}}, "policy default option 'permit_dc_failover'");
    check_error("default", {{"scale", "100ms"}}, "policy default option 'latency_awareness'");
    check_error("default", {{"latency_awareness", "true"}, {"scale", "0ms"}}, "policy default option 'scale'");
    check_error("session_affinity", {{"table_size", "65536"}}, "policy session_affinity option 'table_size'");
    check_error("power_of_two_choices", {}, "policy power_of_two_choices option '(context)'");
    check_error("single_target", {}, "policy single_target option 'target'");
    check_error("round_robin", {{"x", "1"}}, "policy round_robin option 'x'");
    auto unknown = registry.create("nope", {}, context);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().where == "policy 'nope'");
}

TEST_CASE("options map onto the DefaultPolicy config (Node.js names accepted)") {
    auto cfg = default_policy_config({{"prefer_datacenter", "eu"}, {"prefer_rack", "r2"},
                                      {"enable_shuffling_replicas", "false"}});
    REQUIRE(cfg.ok());
    CHECK(cfg.value().preference.kind == LocationPreference::Kind::datacenter_and_rack);
    CHECK(cfg.value().preference.rack == "r2");
    CHECK_FALSE(cfg.value().shuffle_replicas);
    CHECK(cfg.value().token_aware);
    CHECK_FALSE(cfg.value().permit_dc_failover);
    auto none = default_policy_config({{"prefer_no_datacenter", "true"}});
    CHECK(none.value().preference.kind == LocationPreference::Kind::any);
    CHECK(default_policy_config({}).value().preference.kind == LocationPreference::Kind::inherit);
}

TEST_CASE("registry: retry and speculative policies") {
    CHECK(PolicyRegistry::create_retry("default", {}).value().kind() == RetryPolicyKind::default_policy);
    CHECK(PolicyRegistry::create_retry("downgrading_consistency", {{"retries_max", "3"}}).value().retries_max() == 3);
    CHECK(PolicyRegistry::create_retry("fallthrough", {}).ok());
    CHECK_FALSE(PolicyRegistry::create_retry("sometimes", {}).ok());
    auto constant = PolicyRegistry::create_speculative("constant", {{"max_executions", "3"}, {"delay", "20ms"}});
    REQUIRE(constant.ok());
    CHECK(constant.value()->plan(true) == SpeculativePlan{2, sim::Duration::from_ms(20)});
    auto both = PolicyRegistry::create_speculative("constant", {{"max_executions", "3"}, {"max_retry_count", "2"}});
    CHECK_FALSE(both.ok());
    CHECK(PolicyRegistry::create_speculative("percentile", {{"percentile", "99.9"}}).ok());
    CHECK_FALSE(PolicyRegistry::create_speculative("percentile", {{"percentile", "101"}}).ok());
    CHECK(PolicyRegistry::create_speculative("none", {}).ok());
}
