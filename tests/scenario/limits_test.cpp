// Goal: the parser's input limits (size, nesting, dotted keys) and its guard against numbers
// toml11 would silently change hold exactly at their edges, and brackets, dots and quotes
// inside strings and comments never count. Method: check_text_limits on crafted text, and
// whole scenarios through parse_scenario_text, comparing values and errors.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "sim/scenario/parse.hpp"
#include "sim/scenario/text_limits.hpp"

using namespace routelab::scenario;

namespace {

const std::string base = R"([scenario]
name = "limits"

[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1" }, { name = "r2" }, { name = "r3" } ]
)";

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string dotted(std::size_t parts) {
    std::string key = "k";
    for (std::size_t i = 1; i < parts; ++i) key += ".k";
    return key;
}

ScenarioError error_of(const std::string& text) {
    const auto r = parse_scenario_text(text, "t.toml");
    REQUIRE_FALSE(r.ok());
    return r.error();
}

}  // namespace

TEST_CASE("nesting: 32 levels pass the text check, 33 are refused at the 33rd bracket's line", "[scenario][limits]") {
    CHECK_FALSE(detail::check_text_limits("x = " + nested(32) + "\n", "t"));
    const auto e = detail::check_text_limits("a = 1\nx = [\n" + nested(32) + "]\n", "t");
    REQUIRE(e);
    CHECK(e->to_string() == "t:3: arrays and inline tables nested more than 32 deep (the limit)");
    std::string tables = "x = ";
    for (int i = 0; i < 33; ++i) tables += "{ a = ";
    CHECK(detail::check_text_limits(tables + "1" + std::string(33, '}'), "t"));
    // Tens of thousands of levels: an error, not a stack overflow in toml11.
    CHECK(error_of(base + "x = " + nested(50'000) + "\n").message == "arrays and inline tables nested more than 32 deep (the limit)");
}

TEST_CASE("nesting: brackets in strings and comments do not count", "[scenario][limits]") {
    const std::string deep(40, '[');
    const std::string text = base + "# " + deep + "\n" +
                             "[cluster]\n"
                             "keyspace = \"ks\" # " + deep + "\n"
                             "[workload]\n"
                             "duration_s = 1 # {{{\n";
    std::string with_strings = "[scenario]\nname = \"limits\"\ndescription = \"\"\"" + deep + " \\\"\"\" ]]] ''' \"\"\"\"\n" +
                               text.substr(text.find("[[topology"));
    CHECK_FALSE(detail::check_text_limits(with_strings, "t"));
    const auto r = parse_scenario_text(with_strings, "t.toml");
    INFO((r.ok() ? std::string("ok") : r.error().to_string()));
    REQUIRE(r.ok());
    CHECK(r.scenario().description == deep + " \"\"\" ]]] ''' \"");
    CHECK_FALSE(detail::check_text_limits("x = '" + deep + "'\ny = '''" + deep + "''''\nz = " + nested(32), "t"));
    CHECK_FALSE(detail::check_text_limits("x = \"\\\"" + deep + "\"\nz = " + nested(32), "t"));
}

TEST_CASE("dotted keys and table headers: 32 parts pass, 33 are refused; quoted dots do not count", "[scenario][limits]") {
    CHECK_FALSE(detail::check_text_limits(dotted(32) + " = 1\n[" + dotted(32) + "]\n[[" + dotted(32) + "]]\n", "t"));
    const auto key = detail::check_text_limits("a = 1\n" + dotted(33) + " = 1\n", "t");
    REQUIRE(key);
    CHECK(key->to_string() == "t:2: a dotted key or table header has more than 32 parts (the limit)");
    CHECK(detail::check_text_limits("[" + dotted(33) + "]\n", "t"));
    CHECK(detail::check_text_limits("[[" + dotted(33) + "]]\n", "t"));
    CHECK(detail::check_text_limits("x = { " + dotted(33) + " = 1 }\n", "t"));
    CHECK(detail::check_text_limits("x = { a = 1, " + dotted(33) + " = 1 }\n", "t"));
    CHECK_FALSE(detail::check_text_limits("\"" + dotted(100) + "\" = 1\nx = 1.5\nd = 1979-05-27T00:32:00.999\n", "t"));
    // Values are not keys: the dots of many floats in an array do not add up.
    std::string floats = "x = [";
    for (int i = 0; i < 100; ++i) floats += "1.5, ";
    CHECK_FALSE(detail::check_text_limits(floats + "]\n", "t"));
}

TEST_CASE("size: 1 MiB passes the text check, one byte more is refused at the line that passes it", "[scenario][limits]") {
    std::string text;
    while (text.size() < detail::max_file_bytes) text += "# a comment line of some length, to fill the file up\n";
    text.resize(detail::max_file_bytes);
    CHECK_FALSE(detail::check_text_limits(text, "t"));
    text += "\n";
    const auto e = detail::check_text_limits(text, "t");
    REQUIRE(e);
    CHECK(e->line == detail::line_at(text, detail::max_file_bytes));
    CHECK(e->message == "the file passes the limit of 1 MiB (1048576 bytes) on this line");
}

TEST_CASE("integers at the int64 edges keep their value; one beyond is an error, not a saturated value", "[scenario][limits]") {
    const auto ok = parse_scenario_text(base + R"([[topology.nodes]]
datacenter = "dc1"
rack = "r1"
tokens = [9223372036854775807, -9223372036854775808, 0x7FFF_FFFF_FFFF_FFFE, -1_000, 0o17, 0b101]
)", "t.toml");
    INFO((ok.ok() ? std::string("ok") : ok.error().to_string()));
    REQUIRE(ok.ok());
    const auto& tokens = ok.scenario().topology.nodes.at(0).tokens;
    REQUIRE(tokens.size() == 6);
    CHECK(tokens[0] == std::numeric_limits<std::int64_t>::max());
    CHECK(tokens[1] == std::numeric_limits<std::int64_t>::min());
    CHECK(tokens[2] == std::numeric_limits<std::int64_t>::max() - 1);
    CHECK(tokens[3] == -1000);
    CHECK(tokens[4] == 15);
    CHECK(tokens[5] == 5);
    for (const char* bad : {"9223372036854775808", "-9223372036854775809", "0x8000000000000000", "0o1000000000000000000000"}) {
        const auto e = error_of(base + "[[topology.nodes]]\ndatacenter = \"dc1\"\nrack = \"r1\"\ntokens = [\n  1,\n  " + bad + ",\n]\n");
        INFO(bad);
        CHECK(e.line == 12);
        CHECK(e.field == "topology.nodes[0].tokens[1]");
        CHECK(e.message.rfind(std::string("the integer ") + std::string(bad).substr(0, 40), 0) == 0);
    }
}

TEST_CASE("binary integers: 62 digits are read exactly, more are refused before toml11 (it would overflow)", "[scenario][limits]") {
    const std::string ones(62, '1');
    const auto ok = parse_scenario_text(base + "[workload]\nrate_per_s = 1\nkeys = 0b" + ones + "\n", "t.toml");
    INFO((ok.ok() ? std::string("ok") : ok.error().to_string()));
    REQUIRE(ok.ok());
    CHECK(ok.scenario().workload.keys == (std::int64_t{1} << 62) - 1);
    for (const std::string& digits : {"0" + ones, "1" + ones, std::string(200, '0')}) {
        const auto e = error_of(base + "[workload]\nkeys = 0b" + digits + "\n");
        CHECK(e.line == 8);
        CHECK(e.message == "a binary integer of more than 62 digits (the limit; write larger values in decimal or hex)");
    }
    CHECK_FALSE(detail::check_text_limits("x = \"0b" + std::string(100, '1') + "\"\ny = 10b" + std::string(100, '1'), "t"));
}

TEST_CASE("floats beyond a double's range are errors; nan and inf meet each field's rule", "[scenario][limits]") {
    const auto big = parse_scenario_text(base + "[workload]\nrate_per_s = 1e2\nduration_s = 1.0e0\nread_fraction = 4.9e-1\n", "t.toml");
    REQUIRE(big.ok());
    CHECK(big.scenario().workload.read_fraction == 0.49);
    CHECK(error_of(base + "[workload]\nrate_per_s = 1e309\n").message ==
          "the number 1e309 is beyond the range of a 64-bit float (about 1.8e308)");
    CHECK(error_of(base + "[workload]\nread_fraction = 1e-330\n").message.find("too close to 0") != std::string::npos);
    CHECK(error_of(base + "[workload]\nread_fraction = 0e0\nrate_per_s = nan\n").to_string() ==
          "t.toml:9: workload.rate_per_s: expected a number > 0, got nan");
    CHECK(error_of(base + "[workload]\nduration_s = inf\n").message == "expected a number > 0, got inf");
}

TEST_CASE("times: up to 1e6 s (or its ms and us) is kept, beyond is an error", "[scenario][limits]") {
    const auto ok = parse_scenario_text(base + "[workload]\nrate_per_s = 1\nduration_s = 1000000\n", "t.toml");
    REQUIRE(ok.ok());
    CHECK(ok.scenario().workload.duration_s == 1e6);
    CHECK(error_of(base + "[workload]\nrate_per_s = 1\nduration_s = 1000000.5\n").message ==
          "expected a time in (0, 1000000] s (times are limited to 1000000 s), got 1000000.5");
    CHECK(error_of(base + "[[faults]]\naction = \"add_latency\"\nat_s = 1\nnode = \"dc1-r1-n1\"\nlatency_us = 1000000000001\n")
              .message.rfind("expected a time in [0, 1000000000000] us", 0) == 0);
}

TEST_CASE("a float where an integer is required is an error, shown as the float it is", "[scenario][limits]") {
    CHECK(error_of(base + "[cluster]\nreplication_factor = 2.0\n").message == "expected an integer in [1, 100], got 2.0");
    CHECK(error_of(base + "[cluster]\nreplication_factor = 2.5\n").message == "expected an integer in [1, 100], got 2.5");
}

TEST_CASE("float options reach the driver as text that reads back to the same number", "[scenario][limits]") {
    const auto r = parse_scenario_text(base + "[driver]\nspeculative = \"percentile\"\nspeculative_options = { percentile = 1e-7 }\n", "t.toml");
    INFO((r.ok() ? std::string("ok") : r.error().to_string()));
    REQUIRE(r.ok());
    CHECK(r.scenario().driver.speculative_options.at("percentile") == "1e-07");   // std::to_string would say 0.000000
    const auto old_form = parse_scenario_text(base + "[driver]\nspeculative = \"percentile\"\nspeculative_options = { percentile = 99.5 }\n", "t.toml");
    REQUIRE(old_form.ok());
    CHECK(old_form.scenario().driver.speculative_options.at("percentile") == "99.500000");
    CHECK(error_of(base + "[driver]\nspeculative = \"percentile\"\nspeculative_options = { percentile = nan }\n").message ==
          "expected a finite number, got nan");
}

TEST_CASE("--set values: the same limits and number checks, named by the flag", "[scenario][limits]") {
    Override o;
    REQUIRE_FALSE(parse_override("scenario.seed=18446744073709551615", o));
    const auto r = parse_scenario_text(base, "t.toml", {o});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().to_string() ==
          "--set scenario.seed=18446744073709551615: scenario.seed: the integer 18446744073709551615 is outside the 64-bit range "
          "[-9223372036854775808, 9223372036854775807]");
    Override deep;
    REQUIRE_FALSE(parse_override("topology.vnodes=" + nested(1000), deep));
    const auto d = parse_scenario_text(base, "t.toml", {deep});
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "arrays and inline tables nested more than 32 deep (the limit)");
}

TEST_CASE("text must be well-formed UTF-8: the first bad byte is named by line and column", "[scenario][limits]") {
    CHECK_FALSE(detail::check_text_limits("x = \"h\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"\n", "t"));   // é € 😀
    const char* bad[] = {"\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\x80"};
    for (const char* b : bad) {
        const auto e = detail::check_text_limits(std::string("a = 1\nx = '''") + b + "'''\n", "t");
        INFO(b);
        REQUIRE(e);
        CHECK(e->line == 2);
        CHECK(e->message.rfind("not valid UTF-8 (TOML text must be): byte 0x", 0) == 0);
        CHECK(e->message.find("at column 8") != std::string::npos);
    }
}
