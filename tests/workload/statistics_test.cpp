// Goal: the generators produce what the scenario asks for, measured on their output —
// Poisson arrivals follow a rate schedule (steps and ramps) segment by segment, constant
// arrivals are exact, Zipf keys have the asked exponent, a hot set gets its share, and an
// operation mix its weights. Method: run a generator on a bare scheduler with a recording
// sink (fixed seeds: deterministic) and compare counts with stated tolerances (4 standard
// deviations of the count, so a correct generator passes and a wrong rate does not).
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <vector>

#include "recording_sink.hpp"
#include "sim/workload/open_loop.hpp"
#include "sim/workload/zipf.hpp"

using namespace routelab;
using namespace routelab::workload;
using routelab::workload::test::RecordingSink;

namespace {

constexpr std::int64_t s_ns = 1'000'000'000;

std::vector<test::Issued> run_open_loop(OpenLoopConfig config, double duration_s, std::uint64_t seed) {
    sim::SimScheduler scheduler;
    RecordingSink sink(scheduler);
    sim::Rng rng(seed);
    OpenLoopWorkload load(scheduler, rng.stream("arrivals"), rng.stream("picks"), rng.stream("shapes"), std::move(config), sink);
    load.start(scheduler.now(), scheduler.now() + sim::Duration::from_ns(static_cast<std::int64_t>(duration_s * 1e9)));
    scheduler.run_until(sim::Time::zero() + sim::Duration::from_ns(static_cast<std::int64_t>(duration_s * 1e9)) + sim::Duration::from_s(1));
    CHECK(load.issued() == sink.issued.size());
    return sink.issued;
}

std::size_t count_between(const std::vector<test::Issued>& issued, double a_s, double b_s) {
    std::size_t n = 0;
    for (const auto& i : issued)
        if (i.at_ns >= static_cast<std::int64_t>(a_s * s_ns) && i.at_ns < static_cast<std::int64_t>(b_s * s_ns)) ++n;
    return n;
}

// A spike and a drain: 1000/s, a 2 s ramp to 5000/s, a hold, a step down to 200/s.
RateSchedule incident() {
    return RateSchedule({{0, 1000}, {5, 1000}, {7, 5000}, {10, 5000}, {10, 200}});
}

}  // namespace

TEST_CASE("Poisson arrivals follow a rate schedule segment by segment", "[workload][property]") {
    struct Segment {
        double from_s, to_s;
    };
    const Segment segments[] = {{0, 5}, {5, 6}, {6, 7}, {7, 10}, {10, 15}};
    for (std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
        OpenLoopConfig config;
        config.schedule = incident();
        config.shape = test::reads_only();
        const auto issued = run_open_loop(config, 15, seed);
        for (const auto& seg : segments) {
            const double expected = config.schedule.integral(seg.from_s, seg.to_s);
            const auto got = static_cast<double>(count_between(issued, seg.from_s, seg.to_s));
            INFO("seed " << seed << " segment [" << seg.from_s << ", " << seg.to_s << "): expected " << expected << ", got " << got);
            CHECK(std::abs(got - expected) <= 4 * std::sqrt(expected));
        }
        // The ramp's second half carries twice its first half (2000 vs 4000 expected).
        CHECK(count_between(issued, 6, 7) > count_between(issued, 5, 6) * 3 / 2);
        CHECK(count_between(issued, 15, 16) == 0);   // nothing after the end
    }
}

TEST_CASE("Poisson gaps at a constant rate are exponential with the rate's mean", "[workload][property]") {
    OpenLoopConfig config;
    config.schedule = RateSchedule::constant(2000);
    config.shape = test::reads_only();
    const auto issued = run_open_loop(config, 20, 11);
    const double n = static_cast<double>(issued.size());
    CHECK(std::abs(n - 40'000) <= 4 * std::sqrt(40'000.0));
    // The share of gaps longer than the mean is e^-1 for an exponential distribution.
    std::size_t longer = 0;
    for (std::size_t i = 1; i < issued.size(); ++i)
        if (issued[i].at_ns - issued[i - 1].at_ns > 500'000) ++longer;
    const double share = static_cast<double>(longer) / (n - 1);
    CHECK(share == Approx(std::exp(-1.0)).margin(4 * std::sqrt(0.23 / n)));
}

TEST_CASE("constant arrivals are exact: round(rate x duration) of them, evenly spaced", "[workload][property]") {
    OpenLoopConfig config;
    config.arrivals = Arrivals::constant;
    config.shape = test::reads_only();
    config.schedule = RateSchedule::constant(1000);
    auto issued = run_open_loop(config, 2, 1);
    REQUIRE(issued.size() == 2000);
    CHECK(issued.front().at_ns == 500'000);   // half a gap in
    for (std::size_t i = 1; i < issued.size(); ++i) CHECK(issued[i].at_ns - issued[i - 1].at_ns == 1'000'000);

    // A gap that is not a whole number of nanoseconds: positions never drift.
    config.schedule = RateSchedule::constant(3000);
    issued = run_open_loop(config, 1, 1);
    REQUIRE(issued.size() == 3000);
    for (std::size_t i = 0; i < issued.size(); ++i) {
        const double exact_ns = (static_cast<double>(i) + 0.5) * 1e9 / 3000;
        CHECK(std::abs(static_cast<double>(issued[i].at_ns) - exact_ns) <= 0.5);
    }

    // Under a schedule each segment holds its integral, give or take one arrival.
    config.schedule = incident();
    issued = run_open_loop(config, 15, 1);
    for (auto [a, b] : {std::pair{0.0, 5.0}, {5.0, 7.0}, {7.0, 10.0}, {10.0, 15.0}}) {
        const double expected = config.schedule.integral(a, b);
        INFO("[" << a << ", " << b << ")");
        CHECK(std::abs(static_cast<double>(count_between(issued, a, b)) - expected) <= 1.0);
    }
}

TEST_CASE("a rate of zero issues nothing until the rate comes back", "[workload][property]") {
    OpenLoopConfig config;
    config.schedule = RateSchedule({{0, 1000}, {1, 1000}, {1, 0}, {3, 0}, {3, 1000}});
    config.shape = test::reads_only();
    const auto issued = run_open_loop(config, 4, 5);
    CHECK(count_between(issued, 1, 3) == 0);
    CHECK(count_between(issued, 0, 1) > 800);
    CHECK(count_between(issued, 3, 4) > 800);
}

TEST_CASE("Zipf keys recover their exponent by log-log regression of rank frequencies", "[workload][property]") {
    for (double s : {0.8, 1.1, 1.5}) {
        const std::uint64_t n = 1000;
        ZipfSampler zipf(n, s);
        sim::RngStream rng(static_cast<std::uint64_t>(s * 1000));
        std::vector<double> counts(n + 1, 0.0);
        const int samples = 300'000;
        for (int i = 0; i < samples; ++i) {
            const auto k = zipf.sample(rng);
            REQUIRE(k >= 1);
            REQUIRE(k <= n);
            counts[k] += 1;
        }
        // Least squares of log(count) on log(rank) over the 100 most frequent ranks.
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        const int m = 100;
        for (int k = 1; k <= m; ++k) {
            const double x = std::log(static_cast<double>(k));
            const double y = std::log(counts[static_cast<std::size_t>(k)]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
        INFO("s = " << s << ", fitted slope " << slope);
        CHECK(-slope == Approx(s).margin(0.03));
        // Rank 1's share against the exact probability 1 / H(n, s).
        double h = 0;
        for (std::uint64_t k = 1; k <= n; ++k) h += std::pow(static_cast<double>(k), -s);
        CHECK(counts[1] / samples == Approx(1 / h).epsilon(0.03));
    }
}

TEST_CASE("a hot set takes its share of the traffic, spread over its keys", "[workload][property]") {
    KeyConfig config;
    config.kind = KeyConfig::Kind::hot_set;
    config.keys = 10'000;
    config.hot_keys = 100;                // 1% of the keys
    config.hot_per_million = 900'000;     // 90% of the requests
    KeyChooser keys(config);
    sim::RngStream rng(9);
    const int samples = 200'000;
    int hot = 0;
    std::map<std::int64_t, int> hot_counts;
    for (int i = 0; i < samples; ++i) {
        const auto k = keys.next(rng);
        REQUIRE(k >= 0);
        REQUIRE(k < 10'000);
        if (k < 100) {
            ++hot;
            ++hot_counts[k];
        }
    }
    const double share = static_cast<double>(hot) / samples;
    CHECK(share == Approx(0.9).margin(4 * std::sqrt(0.09 / samples)));
    CHECK(hot_counts.size() == 100);   // every hot key, roughly evenly
    for (const auto& [key, count] : hot_counts) CHECK(std::abs(count - 1800) < 4 * std::sqrt(1800.0));
}

TEST_CASE("an operation mix gives each operation its weight's share", "[workload][property]") {
    ShapeConfig shape = test::reads_only();
    shape.operations.clear();
    for (double w : {70.0, 20.0, 7.0, 3.0, 0.0}) {
        OperationShape op;
        op.weight = w;
        shape.operations.push_back(op);
    }
    RequestShaper shaper(shape, sim::RngStream(3), sim::RngStream(4));
    std::vector<int> counts(5, 0);
    const int samples = 200'000;
    WorkloadRequest r;
    for (int i = 0; i < samples; ++i) {
        shaper.fill(r);
        ++counts[r.mix_index];
    }
    const double expected[] = {0.7, 0.2, 0.07, 0.03, 0.0};
    for (std::size_t i = 0; i < 5; ++i) {
        INFO("entry " << i);
        CHECK(shaper.share(i) == Approx(expected[i]));
        const double p = expected[i];
        CHECK(static_cast<double>(counts[i]) / samples == Approx(p).margin(4 * std::sqrt(p * (1 - p) / samples) + 1e-12));
    }
    CHECK(counts[4] == 0);   // a weight of 0 is never picked
}

TEST_CASE("drawn value sizes follow their distribution; fixed sizes draw nothing", "[workload][property]") {
    ShapeConfig shape = test::reads_only();
    shape.operations[0].operation = Operation::write;
    shape.operations[0].value_size = sim::Distribution{sim::dist::Uniform{100, 300}};
    RequestShaper drawn(shape, sim::RngStream(1), sim::RngStream(2));
    WorkloadRequest r;
    double sum = 0;
    for (int i = 0; i < 10'000; ++i) {
        drawn.fill(r);
        REQUIRE(r.value_bytes >= 100);
        REQUIRE(r.value_bytes <= 300);
        sum += r.value_bytes;
    }
    CHECK(sum / 10'000 == Approx(200).margin(2));
    // With a fixed size the key stream sees the same draws as without any value sizes.
    ShapeConfig fixed = test::reads_only();
    RequestShaper a(fixed, sim::RngStream(5), sim::RngStream(6));
    fixed.operations[0].value_size = sim::Distribution{sim::dist::Uniform{1, 2}};
    RequestShaper b(fixed, sim::RngStream(5), sim::RngStream(6));
    WorkloadRequest ra, rb;
    for (int i = 0; i < 100; ++i) {
        a.fill(ra);
        b.fill(rb);
        CHECK(ra.key == rb.key);
    }
}
