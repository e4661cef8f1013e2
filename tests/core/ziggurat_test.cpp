// The ziggurat draws follow their distributions: a Kolmogorov-Smirnov test against the exact
// CDF over a million draws (the 1% critical value is 1.63/sqrt(n)), and tail frequencies
// that only the tail and wedge paths can produce (beyond 3 and 4 sigma for the normal,
// beyond the exponential's tail start r = 7.7). The stream is fixed, so the figures are
// deterministic.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/ziggurat.hpp"

using routelab::sim::Rng;
using routelab::sim::RngStream;

namespace {

constexpr int n = 1'000'000;

template <class Draw, class Cdf>
double ks_statistic(Draw draw, Cdf cdf) {
    std::vector<double> v(n);
    for (auto& x : v) x = draw();
    std::sort(v.begin(), v.end());
    double d = 0;
    for (int i = 0; i < n; ++i) {
        const double f = cdf(v[static_cast<std::size_t>(i)]);
        d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
    }
    return d;
}

// A count's deviation from its expectation, in binomial standard deviations.
double z_of(int count, double p) { return (count - n * p) / std::sqrt(n * p * (1 - p)); }

}  // namespace

TEST_CASE("ziggurat normal draws pass a Kolmogorov-Smirnov test and reach the tails", "[ziggurat]") {
    RngStream rng = Rng(7).stream("ziggurat-normal");
    const double d = ks_statistic([&] { return routelab::sim::ziggurat_normal(rng); },
                                  [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); });
    CHECK(d < 1.63 / std::sqrt(static_cast<double>(n)));

    RngStream tails = Rng(8).stream("ziggurat-normal-tails");
    int beyond3 = 0, beyond4 = 0, negative = 0;
    for (int i = 0; i < n; ++i) {
        const double z = routelab::sim::ziggurat_normal(tails);
        beyond3 += std::abs(z) > 3.0;
        beyond4 += std::abs(z) > 4.0;
        negative += z < 0;
    }
    CHECK(std::abs(z_of(beyond3, std::erfc(3.0 / std::sqrt(2.0)))) < 4.0);
    CHECK(std::abs(z_of(beyond4, std::erfc(4.0 / std::sqrt(2.0)))) < 4.0);
    CHECK(std::abs(z_of(negative, 0.5)) < 4.0);
}

TEST_CASE("ziggurat exponential draws pass a Kolmogorov-Smirnov test and reach the tail", "[ziggurat]") {
    RngStream rng = Rng(9).stream("ziggurat-exponential");
    const double d = ks_statistic([&] { return routelab::sim::ziggurat_exponential(rng); },
                                  [](double x) { return x <= 0 ? 0.0 : -std::expm1(-x); });
    CHECK(d < 1.63 / std::sqrt(static_cast<double>(n)));

    RngStream tails = Rng(10).stream("ziggurat-exponential-tails");
    int beyond8 = 0, beyond2 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = routelab::sim::ziggurat_exponential(tails);
        REQUIRE(x >= 0.0);
        beyond8 += x > 8.0;
        beyond2 += x > 2.0;
    }
    CHECK(std::abs(z_of(beyond8, std::exp(-8.0))) < 4.0);
    CHECK(std::abs(z_of(beyond2, std::exp(-2.0))) < 4.0);
}

TEST_CASE("ziggurat draws are deterministic in the stream", "[ziggurat]") {
    RngStream a = Rng(11).stream("s"), b = Rng(11).stream("s");
    for (int i = 0; i < 1000; ++i) REQUIRE(routelab::sim::ziggurat_normal(a) == routelab::sim::ziggurat_normal(b));
}
