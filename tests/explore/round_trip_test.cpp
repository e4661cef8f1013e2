// The TOML writer: every scenario in scenarios/ (and the planted-bug scenarios) written out
// by doc_text reads back as the same scenario — the same resolved configuration, every
// default filled in — and writing the read-back document again gives the same text.
#include <catch2/catch.hpp>

#include "sim/runner/resolved_config.hpp"
#include "tests/explore/explore_test_support.hpp"
#include "tests/explore/planted_bugs.hpp"

using namespace routelab;

namespace {

std::string config_text(const scenario::Scenario& s) {
    std::string out;
    for (const auto& e : runner::resolved_configuration(s)) out += e.key + " = " + e.value + "\n";
    return out;
}

void check_round_trip(const std::string& path) {
    INFO(path);
    const auto original = scenario::parse_scenario_file(path);
    INFO((original ? std::string() : original.error().to_string()));
    REQUIRE(original.ok());
    const explore::Doc doc = test::doc_file(path);
    const std::string text = explore::doc_text(doc);
    INFO(text);
    const auto back = scenario::parse_scenario_text(text, path);
    INFO((back ? std::string() : back.error().to_string()));
    REQUIRE(back.ok());
    CHECK(config_text(back.scenario()) == config_text(original.scenario()));
    CHECK(back.scenario().seed == original.scenario().seed);
    CHECK(back.scenario().faults.size() == original.scenario().faults.size());
    CHECK(back.scenario().checks.size() == original.scenario().checks.size());
    CHECK(explore::doc_text(test::doc_of(text)) == text);
}

}  // namespace

TEST_CASE("every scenario in scenarios/ reads back the same after the TOML writer") {
    for (const auto& path : test::toml_files("scenarios")) check_round_trip(path);
}

TEST_CASE("the planted-bug scenarios read back the same after the TOML writer") {
    test::register_planted_bugs();
    for (const auto& path : test::toml_files("tests/explore/scenarios")) check_round_trip(path);
}

TEST_CASE("the writer quotes keys that are not bare and keeps nested tables") {
    const std::string text = R"(
[scenario]
name = "w"
[driver]
policy = "default"
policy_options = { local_dc = "dc1", token_aware = true }
[driver.profiles.slow]
request_timeout_ms = 5000
[driver.profiles.fast]
request_timeout_ms = 100
consistency = "ONE"
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 2 } ]
[output]
window_s = 0.1
[weird]
"a b" = 1.5
)";
    const std::string written = explore::doc_text(test::doc_of(text));
    INFO(written);
    CHECK(written.find("\"a b\" = 1.5") != std::string::npos);
    CHECK(written.find("window_s = 0.1\n") != std::string::npos);
    CHECK(written.find("[driver.profiles]") != std::string::npos);
    CHECK(written.rfind("[scenario]\n", 0) == 0);   // tables in the README's order
    CHECK(written.find("[scenario]") < written.find("[topology]"));
    CHECK(written.find("[topology]") < written.find("[driver]"));
    CHECK(written.find("[driver]") < written.find("[output]"));
    CHECK(explore::doc_text(test::doc_of(written)) == written);
}
