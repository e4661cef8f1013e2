// [[checks]] in scenario files: entries parse into CheckSpecs with typed parameters and
// scopes; mistakes are file:line errors naming the field.
#include <catch2/catch.hpp>

#include "sim/checks/registry.hpp"
#include "sim/scenario/parse.hpp"
#include "tests/checks/check_world.hpp"

using namespace routelab;

namespace {

// The base scenario has 15 lines before the first check written after it (line 16 on).
const std::string base = test::one_dc("duration_s = 10\nvalue_bytes = 16", "policy = \"round_robin\"", R"(
[[faults]]
action = "stop_node"
at_s = 3
duration_s = 2
node = "dc1-r1-n1"
)");

std::string error_of(const std::string& checks) {
    const auto parsed = scenario::parse_scenario_text(base + checks, "s.toml");
    REQUIRE_FALSE(parsed.ok());
    return parsed.error().to_string();
}

// The line, in base + text, of the first line of `text` containing `needle`.
int line_of(const std::string& text, const std::string& needle) {
    const std::string all = base + text;
    const auto at = all.find(needle);
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<int>(std::count(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

}  // namespace

TEST_CASE("checks parse with their parameters, scopes and clients") {
    const auto s = test::parse(base + R"(
[[checks]]
name = "max_error_rate"
id = "outage"
limit = 0.25
kinds = ["timeout", "no_host"]
during = "faults"
client = "default"

[[checks]]
name = "max_latency"
percentile = 99.9
limit_ms = 50
during = [1, 2.5]

[[checks]]
name = "plans_valid"
during = "steady"
)");
    REQUIRE(s.checks.size() == 3);
    const auto& rate = s.checks[0];
    CHECK(rate.name == "max_error_rate");
    CHECK(rate.id == "outage");
    CHECK(rate.params.number("limit", -1) == 0.25);
    CHECK(rate.params.list("kinds") == std::vector<std::string>{"timeout", "no_host"});
    CHECK(rate.during.kind == checks::ScopeSpec::Kind::faults);
    CHECK(rate.client == "default");
    const auto& latency = s.checks[1];
    CHECK(latency.params.number("percentile", 0) == 99.9);
    CHECK(latency.during.kind == checks::ScopeSpec::Kind::interval);
    CHECK(latency.during.from_s == 1);
    CHECK(latency.during.to_s == 2.5);
    CHECK(s.checks[2].during.kind == checks::ScopeSpec::Kind::steady);
    CHECK_FALSE(s.checks[2].params.has("local_dc"));
}

TEST_CASE("without [[checks]] the default set runs; listed checks keep the exactly-once ones") {
    const auto none = runner::check_definitions(test::parse(base));
    REQUIRE(none.size() == 3);
    CHECK(none[0].name == "no_request_lost");
    CHECK(none[1].name == "every_request_ends_once");
    CHECK(none[2].name == "plans_valid");
    const auto listed = runner::check_definitions(test::parse(base + "[[checks]]\nname = \"max_error_rate\"\nlimit = 0\n"));
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].name == "max_error_rate");
    CHECK(listed[1].name == "no_request_lost");
    CHECK(listed[2].name == "every_request_ends_once");
}

TEST_CASE("bad [[checks]] entries are file:line errors naming the field") {
    SECTION("unknown checker") {
        const std::string text = "[[checks]]\nname = \"max_errors\"\n";
        const auto e = error_of(text);
        CHECK(e.rfind("s.toml:" + std::to_string(line_of(text, "max_errors")) + ": checks[0].name: unknown checker \"max_errors\" (known: ", 0) == 0);
        CHECK(e.find("max_error_rate") != std::string::npos);
    }
    SECTION("missing required parameter") {
        const std::string text = "[[checks]]\nname = \"max_error_rate\"\n";
        CHECK(error_of(text).rfind("s.toml:" + std::to_string(line_of(text, "[[checks]]")) + ": checks[0].limit: required parameter", 0) == 0);
    }
    SECTION("parameter out of range") {
        const std::string text = "[[checks]]\nname = \"max_error_rate\"\nlimit = 1.5\n";
        CHECK(error_of(text) == "s.toml:" + std::to_string(line_of(text, "limit")) + ": checks[0].limit: expected a number in [0, 1], got 1.5");
    }
    SECTION("parameter of the wrong type") {
        const std::string text = "[[checks]]\nname = \"max_latency\"\nlimit_ms = \"fast\"\n";
        CHECK(error_of(text) == "s.toml:" + std::to_string(line_of(text, "limit_ms")) +
                                    ": checks[0].limit_ms: expected a number in (0, 1000000000], got string \"fast\"");
    }
    SECTION("unknown error kind") {
        const std::string text = "[[checks]]\nname = \"max_error_rate\"\nlimit = 0\nkinds = [\"timeout\", \"oops\"]\n";
        CHECK(error_of(text).rfind("s.toml:" + std::to_string(line_of(text, "kinds")) + ": checks[0].kinds: unknown value \"oops\"", 0) == 0);
    }
    SECTION("a parameter the checker does not take") {
        const std::string text = "[[checks]]\nname = \"no_request_lost\"\nlimit = 0\n";
        CHECK(error_of(text).rfind("s.toml:" + std::to_string(line_of(text, "limit")) +
                                       ": checks[0].limit: unknown parameter 'limit' for no_request_lost (parameters: none",
                                   0) == 0);
    }
    SECTION("a scope after the end of the run") {
        const std::string text = "[[checks]]\nname = \"plans_valid\"\nduring = [12, 15]\n";
        CHECK(error_of(text) == "s.toml:" + std::to_string(line_of(text, "during")) +
                                    ": checks[0].during: the scope starts at 12 s, after the end of the run (workload.duration_s = 10)");
    }
    SECTION("an empty or reversed interval") {
        const std::string text = "[[checks]]\nname = \"plans_valid\"\nduring = [5, 5]\n";
        CHECK(error_of(text).find("checks[0].during: expected from_s < to_s, got [5, 5]") != std::string::npos);
    }
    SECTION("an unknown scope word") {
        const std::string text = "[[checks]]\nname = \"plans_valid\"\nduring = \"outage\"\n";
        CHECK(error_of(text).find("checks[0].during: expected \"faults\", \"steady\", \"run\" or [from_s, to_s], got \"outage\"") != std::string::npos);
    }
    SECTION("faults as a scope without fault windows") {
        const auto parsed = scenario::parse_scenario_text(
            test::one_dc("duration_s = 10", "", "[[checks]]\nname = \"plans_valid\"\nduring = \"faults\"\n"), "s.toml");
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().field == "checks[0].during");
        CHECK(parsed.error().message.find("no fault windows") != std::string::npos);
    }
    SECTION("unknown client") {
        const std::string text = "[[checks]]\nname = \"plans_valid\"\nclient = \"web\"\n";
        CHECK(error_of(text) == "s.toml:" + std::to_string(line_of(text, "client")) + ": checks[0].client: unknown client \"web\" (known: default)");
    }
    SECTION("duplicate id") {
        const std::string text = "[[checks]]\nname = \"plans_valid\"\nid = \"a\"\n[[checks]]\nname = \"no_request_lost\"\nid = \"a\"\n";
        CHECK(error_of(text).find("checks[1].id: id \"a\" is already used by another check") != std::string::npos);
    }
    SECTION("scenario rules of a checker") {
        CHECK(error_of("[[checks]]\nname = \"client_routes_only\"\n").find("checks[0].name: client_routes_only needs connection ids") !=
              std::string::npos);
        CHECK(error_of("[[checks]]\nname = \"session_affinity_stable\"\n").find("needs requests with session keys") != std::string::npos);
        CHECK(error_of("[[checks]]\nname = \"plans_valid\"\nlocal_dc = \"dc9\"\n").find("checks[0].local_dc: unknown datacenter \"dc9\"") !=
              std::string::npos);
        const auto small = scenario::parse_scenario_text(
            test::one_dc("duration_s = 10\nvalue_bytes = 4", "", "[[checks]]\nname = \"read_your_writes\"\n"), "s.toml");
        REQUIRE_FALSE(small.ok());
        CHECK(small.error().message.find("needs workload.value_bytes >= 8") != std::string::npos);
    }
    SECTION("checks not an array of tables") {
        const auto parsed = scenario::parse_scenario_text("checks = 3\n" + base, "s.toml");
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().field == "checks");
    }
}

TEST_CASE("a checker registered by a test can be named in a scenario") {
    checks::CheckerInfo info;
    info.name = "test_always_fails";
    info.summary = "fails";
    info.create = [](const checks::CheckSetup& s) -> std::unique_ptr<checks::Checker> {
        struct Fails final : checks::Checker {
            using Checker::Checker;
            checks::FactMask wants() const override { return 0; }
            void conclude(sim::Time, results::CheckRecord& out) override {
                out.passed = false;
                out.measure = "nothing";
                out.value_text = "1";
                out.limit_text = "0";
            }
        };
        return std::make_unique<Fails>(s);
    };
    checks::CheckRegistry::instance().add(info);
    const auto s = test::parse(base + "[[checks]]\nname = \"test_always_fails\"\n");
    CHECK(s.checks.at(0).name == "test_always_fails");
}
