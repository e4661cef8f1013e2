// [cluster] keys of the service model: coordinator_time (a distribution, like
// service_time) and slots_per_shard (a positive integer); defaults, values, and errors
// naming the line and field.
#include <catch2/catch.hpp>

#include <string>
#include <variant>

#include "sim/scenario/parse.hpp"

using namespace routelab;
using namespace routelab::scenario;

namespace {

std::string with_cluster(const std::string& cluster) {
    return "[scenario]\nname = \"service\"\n[[topology.datacenters]]\nname = \"dc1\"\nracks = [ { name = \"r1\", nodes = 1 } ]\n"
           "[cluster]\nreplication_factor = 1\n" +
           cluster;   // cluster keys start on line 8
}

}  // namespace

TEST_CASE("coordinator_time and slots_per_shard have documented defaults and take values", "[scenario]") {
    const auto defaults = parse_scenario_text(with_cluster(""), "s.toml");
    REQUIRE(defaults.ok());
    const auto& d = defaults.scenario().cluster;
    REQUIRE(std::holds_alternative<sim::dist::LogNormal>(d.coordinator_time_us.kind));
    CHECK(std::get<sim::dist::LogNormal>(d.coordinator_time_us.kind).median == 15.0);
    CHECK(std::get<sim::dist::LogNormal>(d.coordinator_time_us.kind).sigma == 0.4);
    CHECK(d.slots_per_shard == 1);

    const auto set = parse_scenario_text(
        with_cluster("coordinator_time = { kind = \"constant\", value = 0 }\nslots_per_shard = 4\n"), "s.toml");
    INFO((set ? std::string() : set.error().to_string()));
    REQUIRE(set.ok());
    const auto& c = set.scenario().cluster;
    REQUIRE(std::holds_alternative<sim::dist::Constant>(c.coordinator_time_us.kind));
    CHECK(std::get<sim::dist::Constant>(c.coordinator_time_us.kind).value == 0.0);
    CHECK(c.slots_per_shard == 4);
}

TEST_CASE("bad coordinator_time and slots_per_shard values are errors naming the line and field", "[scenario]") {
    struct Case {
        const char* cluster;
        const char* error;
    };
    const Case cases[] = {
        {"slots_per_shard = 0\n", "s.toml:8: cluster.slots_per_shard: expected an integer in [1, 1024], got 0"},
        {"slots_per_shard = -2\n", "s.toml:8: cluster.slots_per_shard: expected an integer in [1, 1024], got -2"},
        {"slots_per_shard = 1025\n", "s.toml:8: cluster.slots_per_shard: expected an integer in [1, 1024], got 1025"},
        {"slots_per_shard = 1.5\n", "s.toml:8: cluster.slots_per_shard: expected an integer"},
        {"slots_per_shard = \"4\"\n", "s.toml:8: cluster.slots_per_shard: expected an integer"},
        {"coordinator_time = 15\n", "s.toml:8: cluster.coordinator_time: expected a table"},
        {"coordinator_time = { kind = \"constant\", value = -1 }\n", "s.toml:8: cluster.coordinator_time.value:"},
        {"coordinator_time = { kind = \"gamma\" }\n", "s.toml:8: cluster.coordinator_time.kind: unknown distribution kind \"gamma\""},
    };
    for (const auto& c : cases) {
        const auto result = parse_scenario_text(with_cluster(c.cluster), "s.toml");
        INFO(c.cluster);
        REQUIRE_FALSE(result.ok());
        INFO(result.error().to_string());
        CHECK(result.error().to_string().rfind(c.error, 0) == 0);
    }
}
