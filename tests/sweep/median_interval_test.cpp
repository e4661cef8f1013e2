// The median's distribution-free interval: order-statistic ranks and their exact coverage.
#include <catch2/catch.hpp>

#include "sim/sweep/median_interval.hpp"

using routelab::sweep::median_interval;

TEST_CASE("ten values: ranks 2 and 9, coverage 1 - 2*11/1024", "[sweep]") {
    const auto ci = median_interval({10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
    CHECK(ci.median == Approx(5.5));
    CHECK(ci.low == 2);
    CHECK(ci.high == 9);
    CHECK(ci.coverage == Approx(1 - 2.0 * 11 / 1024));
}

TEST_CASE("five values are too few for 95%: the range, with its coverage 1 - 2/32", "[sweep]") {
    const auto ci = median_interval({3, 1, 2, 5, 4});
    CHECK(ci.median == 3);
    CHECK(ci.low == 1);
    CHECK(ci.high == 5);
    CHECK(ci.coverage == Approx(1 - 2.0 / 32));
}

TEST_CASE("a single value is its own median with no confidence", "[sweep]") {
    const auto ci = median_interval({4});
    CHECK(ci.median == 4);
    CHECK(ci.low == 4);
    CHECK(ci.high == 4);
    CHECK(ci.coverage == Approx(0));
}

TEST_CASE("coverage never falls below 95% from 6 values up", "[sweep]") {
    for (int n = 6; n < 200; ++n) {
        std::vector<double> v;
        for (int i = 0; i < n; ++i) v.push_back(i);
        const auto ci = median_interval(v);
        CHECK(ci.coverage >= 0.95);
        CHECK(ci.low <= ci.median);
        CHECK(ci.high >= ci.median);
    }
}
