// Variations: deterministic from (exploration seed, run index), within the [explore] table's
// bounds, always a scenario the reader accepts; [explore] errors name file:line: key.
#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <cmath>
#include <fmt/format.h>

#include "sim/explore/perturb.hpp"
#include "tests/explore/explore_test_support.hpp"

using namespace routelab;

namespace {

const std::string base_text = R"(
[scenario]
name = "vary"
seed = 4
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 2 }, { name = "r2", nodes = 2 } ]
[workload]
rate_per_s = 1000
duration_s = 10
[[faults]]
action = "stop_node"
at_s = 2
duration_s = 2
node = "dc1-r1-n1"
[[faults]]
action = "slow_node"
at_s = 6
duration_s = 1
node = "dc1-r2-n2"
factor = 3
)";

struct Base {
    explore::Doc doc;
    scenario::Scenario parsed;
};

Base base(const std::string& extra = "") {
    Base b{test::doc_of(base_text + extra), {}};
    const auto p = explore::parse_doc(b.doc, "vary.toml");
    INFO((p ? std::string() : p.error().to_string()));
    REQUIRE(p.ok());
    b.parsed = p.scenario();
    return b;
}

explore::ExploreConfig config_of(const explore::Doc& doc) {
    std::string error;
    const auto c = explore::read_explore_config(doc, "vary.toml", error);
    INFO(error);
    REQUIRE(c);
    return *c;
}

}  // namespace

TEST_CASE("a run's variation depends only on the exploration seed and its index") {
    const Base b = base();
    const auto config = config_of(b.doc);
    const auto one = explore::vary(b.doc, b.parsed, config, 7, 3);
    const auto again = explore::vary(b.doc, b.parsed, config, 7, 3);
    const auto other = explore::vary(b.doc, b.parsed, config, 7, 4);
    const auto reseeded = explore::vary(b.doc, b.parsed, config, 8, 3);
    REQUIRE(one);
    REQUIRE(again);
    REQUIRE(other);
    REQUIRE(reseeded);
    CHECK(explore::doc_text(one->doc) == explore::doc_text(again->doc));
    CHECK(explore::doc_text(one->doc) != explore::doc_text(other->doc));
    CHECK(one->seed != reseeded->seed);
    // The seed lives in the document: nothing is carried beside the scenario text.
    CHECK(explore::parse_doc(one->doc, "v").scenario().seed == one->seed);
}

TEST_CASE("with nothing allowed to vary, the variation is the scenario itself") {
    const Base b = base(R"(
[explore]
seeds = false
fault_shift_s = 0
fault_duration_scale = [1, 1]
retarget_faults = false
drop_fault_chance = 0
add_faults = 0
rate_scale = [1, 1]
)");
    const auto v = explore::vary(b.doc, b.parsed, config_of(b.doc), 1, 0);
    REQUIRE(v);
    CHECK(explore::doc_text(v->doc) == explore::doc_text(b.doc));
    CHECK(v->seed == 4);
}

TEST_CASE("variations stay inside the [explore] bounds", "[property]") {
    rc::prop("fault times, durations, targets, counts and the rate", [] {
        const double shift = *rc::gen::inRange(0, 3000) / 1000.0;
        const double dmin = *rc::gen::inRange(10, 200) / 100.0;
        const double dmax = dmin + *rc::gen::inRange(0, 200) / 100.0;
        const int add = *rc::gen::inRange(0, 4);
        const double drop = *rc::gen::inRange(0, 101) / 100.0;
        const double rmin = *rc::gen::inRange(10, 300) / 100.0;
        const double rmax = rmin + *rc::gen::inRange(0, 300) / 100.0;
        const auto index = *rc::gen::inRange<std::size_t>(0, 1000);
        const Base b = base(fmt::format(R"(
[explore]
fault_shift_s = {}
fault_duration_scale = [{}, {}]
add_faults = {}
drop_fault_chance = {}
rate_scale = [{}, {}]
)", shift, dmin, dmax, add, drop, rmin, rmax));
        const auto v = explore::vary(b.doc, b.parsed, config_of(b.doc), 99, index);
        RC_ASSERT(v.has_value());
        const auto p = explore::parse_doc(v->doc, "v");
        RC_ASSERT(p.ok());
        const auto& s = p.scenario();
        RC_ASSERT(s.faults.size() <= 2 + static_cast<std::size_t>(add));
        if (drop == 0) RC_ASSERT(s.faults.size() >= 2);
        for (const auto& f : s.faults) {
            RC_ASSERT(f.at_s >= 0);
            RC_ASSERT(f.at_s < s.workload.duration_s);
            const double original = f.action == scenario::FaultSpec::Action::stop_node ? 2 : 1;
            RC_ASSERT(f.duration_s >= original * dmin - 0.001);
            RC_ASSERT(f.duration_s <= original * dmax + 0.001);
            RC_ASSERT(f.node.rfind("dc1-r", 0) == 0);
        }
        RC_ASSERT(s.workload.rate_per_s >= std::floor(1000 * rmin));
        RC_ASSERT(s.workload.rate_per_s <= std::ceil(1000 * rmax));
        RC_ASSERT(s.workload.duration_s == 10.0);
    });
}

TEST_CASE("bad [explore] values are errors naming file, line and key") {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"fault_shift_s = -1", "vary.toml:23: explore.fault_shift_s: -1 is out of range"},
        {"rate_scale = [2, 1]", "vary.toml:23: explore.rate_scale: min is above max"},
        {"rate_scale = 2", "vary.toml:23: explore.rate_scale: expected [min, max]"},
        {"drop_fault_chance = 1.5", "vary.toml:23: explore.drop_fault_chance: 1.5 is out of range"},
        {"add_faults = 1.5", "vary.toml:23: explore.add_faults: expected an integer"},
        {"seeds = 1", "vary.toml:23: explore.seeds: expected true or false"},
        {"shift = 1", "vary.toml:23: explore.shift: unknown key"},
    };
    for (const auto& [line, message] : bad) {
        INFO(line);
        const explore::Doc doc = test::doc_of(base_text + "[explore]\n" + line + "\n");
        std::string error;
        CHECK_FALSE(explore::read_explore_config(doc, "vary.toml", error));
        CHECK(error.rfind(message, 0) == 0);
        // A run ignores the table; the scenario itself stays valid.
        CHECK(explore::parse_doc(doc, "vary.toml").ok());
    }
}

TEST_CASE("--set explore.KEY=VALUE and dotted keys edit the document") {
    explore::Doc doc = test::doc_of(base_text);
    std::string error;
    REQUIRE(explore::set_dotted(doc, "explore.rate_scale", "[1, 2]", error));
    REQUIRE(explore::set_dotted(doc, "faults[1].at_s", "7.5", error));
    REQUIRE(explore::set_dotted(doc, "driver.policy", "round_robin", error));
    CHECK(config_of(doc).rate_scale_max == 2.0);
    const auto p = explore::parse_doc(doc, "v");
    REQUIRE(p.ok());
    CHECK(p.scenario().faults[1].at_s == 7.5);
    CHECK(p.scenario().driver.policy == "round_robin");
    CHECK_FALSE(explore::set_dotted(doc, "faults[5].at_s", "1", error));
    CHECK(error.find("no entry [5]") != std::string::npos);
    CHECK_FALSE(explore::set_dotted(doc, "a..b", "1", error));
}
