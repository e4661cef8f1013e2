// The sweep grid: job numbering is the sweep's identity (last axis fastest, then seeds),
// value lists split only at top-level commas, shards partition the jobs.
#include <set>

#include <catch2/catch.hpp>

#include "sim/sweep/grid.hpp"

using namespace routelab::sweep;

TEST_CASE("jobs enumerate the axes' product times seeds, last axis varying fastest", "[sweep]") {
    Axis a, b;
    REQUIRE_FALSE(parse_axis("driver.policy=round_robin,default", a));
    REQUIRE_FALSE(parse_axis("workload.rate_per_s=100,200,300", b));
    const Grid grid({a, b}, 2, 7);
    REQUIRE(grid.points() == 6);
    REQUIRE(grid.jobs() == 12);
    const Job j0 = grid.job(0);
    CHECK(j0.seed == 7);
    CHECK(j0.overrides[0].value == "round_robin");
    CHECK(j0.overrides[1].value == "100");
    const Job j1 = grid.job(1);
    CHECK(j1.seed == 8);
    CHECK(j1.overrides[1].value == "100");
    const Job j2 = grid.job(2);
    CHECK(j2.seed == 7);
    CHECK(j2.overrides[1].value == "200");
    const Job last = grid.job(11);
    CHECK(last.overrides[0].value == "default");
    CHECK(last.overrides[1].value == "300");
    CHECK(last.seed == 8);
    CHECK(last.knobs_json == R"({"driver.policy":"default","workload.rate_per_s":"300"})");
    CHECK(grid.canonical() == "driver.policy=round_robin,default;workload.rate_per_s=100,200,300");
}

TEST_CASE("value lists split at commas outside brackets, braces and quotes", "[sweep]") {
    Axis a;
    REQUIRE_FALSE(parse_axis(R"(k=[1,2],{ a = 1, b = 2 },"x,y",3)", a));
    REQUIRE(a.values.size() == 4);
    CHECK(a.values[0] == "[1,2]");
    CHECK(a.values[1] == "{ a = 1, b = 2 }");
    CHECK(a.values[2] == "\"x,y\"");
    CHECK(a.values[3] == "3");
    CHECK(parse_axis("k=1,,2", a).value().find("empty value") != std::string::npos);
    CHECK(parse_axis("novalue", a).value().find("expected KEY=VALUE") != std::string::npos);
    CHECK(parse_axis("bad key!=1", a).has_value());
}

TEST_CASE("shards partition the jobs and reject impossible slices", "[sweep]") {
    std::set<std::uint64_t> seen;
    for (std::uint64_t i = 1; i <= 3; ++i) {
        Shard s;
        REQUIRE_FALSE(parse_shard(std::to_string(i) + "/3", s));
        for (std::uint64_t j = 0; j < 20; ++j)
            if (s.owns(j)) CHECK(seen.insert(j).second);
    }
    CHECK(seen.size() == 20);
    Shard s;
    CHECK(parse_shard("3/2", s).has_value());
    CHECK(parse_shard("0/2", s).has_value());
    CHECK(parse_shard("1/0", s).has_value());
    CHECK(parse_shard("1/-2", s).has_value());
    CHECK(parse_shard("12", s).has_value());
    CHECK(parse_shard("1/99999999999999999999", s).has_value());
}
