// Goal: the rate schedule's integral and its inverse (gap_for) are exact for steps, ramps
// and zero-rate stretches, so arrivals follow the schedule. Method: closed-form areas.
#include <catch2/catch.hpp>

#include "sim/workload/rate_schedule.hpp"

using routelab::workload::RateSchedule;

TEST_CASE("a schedule integrates steps and linear ramps", "[workload]") {
    const RateSchedule s({{0, 100}, {2, 100}, {4, 300}, {6, 300}, {6, 0}});
    CHECK(s.rate_at(1) == 100);
    CHECK(s.rate_at(3) == Approx(200));
    CHECK(s.rate_at(5) == 300);
    CHECK(s.rate_at(6) == 0);       // a step takes effect at its time
    CHECK(s.rate_at(100) == 0);     // the last rate holds
    CHECK(s.integral(0, 2) == Approx(200));
    CHECK(s.integral(2, 4) == Approx(400));
    CHECK(s.integral(3, 4) == Approx(250));
    CHECK(s.integral(0, 10) == Approx(200 + 400 + 600));
    CHECK(RateSchedule::constant(50).integral(1, 3) == Approx(100));
}

TEST_CASE("gap_for inverts the integral, across pieces and over zero-rate stretches", "[workload]") {
    const RateSchedule s({{0, 100}, {2, 100}, {4, 300}, {6, 300}, {6, 0}, {8, 0}, {8, 50}});
    for (double t : {0.0, 1.5, 2.0, 3.3, 5.9, 6.5, 9.0})
        for (double area : {0.01, 1.0, 7.5, 150.0, 900.0}) {
            const auto g = s.gap_for(t, area);
            REQUIRE(g.has_value());
            INFO("t " << t << " area " << area << " gap " << *g);
            CHECK(*g >= 0);
            CHECK(s.integral(t, t + *g) == Approx(area).epsilon(1e-9));
        }
    // From 6 s to 8 s the rate is 0: an arrival due then comes at 8 s at the earliest.
    CHECK(6.0 + *s.gap_for(6.0, 1e-9) == Approx(8.0));
    // A rate that stays 0 never reaches the area.
    CHECK_FALSE(RateSchedule({{0, 10}, {1, 10}, {1, 0}}).gap_for(0.5, 100).has_value());
    // A constant rate gives area / rate exactly (what Poisson arrivals always drew).
    CHECK(*RateSchedule::constant(2000).gap_for(3.0, 0.7) == 0.7 / 2000);
}
