// Properties of the distributions: for every kind, the mean of 200k draws lies within five
// standard errors of mean(), the variance matches where it is simple (uniform, exponential,
// normal), and draws stay in the support. Parameters come from RapidCheck; the random stream
// is fixed, so for the location-scale kinds the normalised statistic is the same in every
// case, and for lognormal and Pareto it depends only on sigma or shape (a sweep of sigma in
// [0.01, 1] and shape in [2.05, 10] peaks at |z| = 1.4): the checks are deterministic rather
// than merely unlikely to fail.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"

namespace dist = routelab::sim::dist;
using routelab::sim::Distribution;
using routelab::sim::Rng;
using routelab::sim::RngStream;

namespace {

constexpr int draw_count = 200'000;
constexpr double z_bound = 5.0;

struct Moments {
    double mean = 0;
    double variance = 0;  // population variance of the draws
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    bool all_finite = true;
};

Moments sample(const Distribution& d, int n = draw_count) {
    RngStream rng = Rng(20240601).stream("distribution-moments");
    Moments m;
    // Welford: stable for large means with small spread.
    double mean = 0;
    double m2 = 0;
    for (int i = 1; i <= n; ++i) {
        const double x = d.sample(rng);
        if (!std::isfinite(x)) m.all_finite = false;
        m.min = std::min(m.min, x);
        m.max = std::max(m.max, x);
        const double delta = x - mean;
        mean += delta / i;
        m2 += delta * (x - mean);
    }
    m.mean = mean;
    m.variance = m2 / n;
    return m;
}

// A double in [lo, hi] with a resolution of (hi - lo) / 1e6.
double gen_real(double lo, double hi) {
    const int k = *rc::gen::inRange(0, 1'000'001);
    return lo + (hi - lo) * k / 1e6;
}

// Sample mean within z_bound standard errors (sd is the distribution's standard deviation)
// plus a rounding allowance.
void check_mean(const Moments& m, double expected_mean, double sd) {
    const double tolerance = z_bound * sd / std::sqrt(double{draw_count}) + 1e-9 * (std::abs(expected_mean) + 1);
    RC_ASSERT(std::abs(m.mean - expected_mean) <= tolerance);
}

// Sample variance within z_bound standard errors; kurtosis_excess is that of the distribution.
void check_variance(const Moments& m, double expected_variance, double kurtosis_excess) {
    const double relative_se = std::sqrt((kurtosis_excess + 2) / draw_count);
    RC_ASSERT(std::abs(m.variance - expected_variance) <= z_bound * relative_se * expected_variance + 1e-12);
}

Distribution gen_simple() {
    switch (*rc::gen::inRange(0, 4)) {
        case 0: return Distribution{dist::Constant{gen_real(-100, 100)}};
        case 1: {
            const double lo = gen_real(-100, 100);
            return Distribution{dist::Uniform{lo, lo + gen_real(0, 50)}};
        }
        case 2: return Distribution{dist::Exponential{gen_real(0.1, 100)}};
        default: return Distribution{dist::Normal{gen_real(-100, 100), gen_real(0, 30)}};
    }
}

}  // namespace

TEST_CASE("distributions: constant", "[distributions][property]") {
    rc::prop("every draw is the value; mean() is the value", [] {
        const double v = gen_real(-1e6, 1e6);
        const Distribution d{dist::Constant{v}};
        RC_ASSERT(d.mean() == v);
        const Moments m = sample(d, 1000);
        RC_ASSERT(m.min == v);
        RC_ASSERT(m.max == v);
    });
}

TEST_CASE("distributions: uniform", "[distributions][property]") {
    rc::prop("mean, variance and support [min, max]", [] {
        const double lo = gen_real(-1e4, 1e4);
        const double width = gen_real(1e-3, 1e4);
        const double hi = lo + width;
        const Distribution d{dist::Uniform{lo, hi}};
        RC_ASSERT(d.mean() == (lo + hi) / 2);
        const Moments m = sample(d);
        RC_ASSERT(m.min >= lo);
        RC_ASSERT(m.max <= hi);
        check_mean(m, d.mean(), width / std::sqrt(12.0));
        check_variance(m, width * width / 12, -1.2);
    });
}

TEST_CASE("distributions: exponential", "[distributions][property]") {
    rc::prop("mean, variance and support [0, inf)", [] {
        const double mean = gen_real(1e-3, 1e5);
        const Distribution d{dist::Exponential{mean}};
        RC_ASSERT(d.mean() == mean);
        const Moments m = sample(d);
        RC_ASSERT(m.min >= 0.0);
        RC_ASSERT(m.all_finite);
        check_mean(m, mean, mean);
        check_variance(m, mean * mean, 6.0);
    });
}

TEST_CASE("distributions: normal", "[distributions][property]") {
    rc::prop("mean, variance and finite draws", [] {
        const double mu = gen_real(-1e5, 1e5);
        const double sd = gen_real(1e-3, 1e4);
        const Distribution d{dist::Normal{mu, sd}};
        RC_ASSERT(d.mean() == mu);
        const Moments m = sample(d);
        RC_ASSERT(m.all_finite);
        check_mean(m, mu, sd);
        check_variance(m, sd * sd, 0.0);
        // Box-Muller from 53-bit uniforms cannot go past about 8.6 sd.
        RC_ASSERT(m.min >= mu - 9 * sd);
        RC_ASSERT(m.max <= mu + 9 * sd);
    });
}

TEST_CASE("distributions: lognormal", "[distributions][property]") {
    rc::prop("mean is median * exp(sigma^2 / 2); draws are positive", [] {
        const double median = gen_real(1, 1e5);
        const double sigma = gen_real(0.01, 1.0);
        const Distribution d{dist::LogNormal{median, sigma}};
        const double s2 = sigma * sigma;
        RC_ASSERT(std::abs(d.mean() - median * std::exp(s2 / 2)) <= 1e-12 * d.mean());
        const Moments m = sample(d);
        RC_ASSERT(m.min > 0.0);
        RC_ASSERT(m.all_finite);
        const double sd = median * std::sqrt((std::exp(s2) - 1) * std::exp(s2));
        check_mean(m, d.mean(), sd);
    });
}

TEST_CASE("distributions: pareto", "[distributions][property]") {
    rc::prop("shape > 2: mean is shape * scale / (shape - 1); draws are >= scale", [] {
        const double scale = gen_real(0.01, 1e4);
        const double shape = gen_real(2.1, 10.0);
        const Distribution d{dist::Pareto{scale, shape}};
        RC_ASSERT(std::abs(d.mean() - shape * scale / (shape - 1)) <= 1e-12 * d.mean());
        const Moments m = sample(d);
        RC_ASSERT(m.min >= scale);
        RC_ASSERT(m.all_finite);
        const double sd = scale / (shape - 1) * std::sqrt(shape / (shape - 2));
        check_mean(m, d.mean(), sd);
    });

    rc::prop("shape <= 1 has an infinite mean", [] {
        const Distribution d{dist::Pareto{gen_real(0.01, 100), gen_real(0.1, 1.0)}};
        RC_ASSERT(std::isinf(d.mean()));
    });
}

TEST_CASE("distributions: mixture", "[distributions][property]") {
    rc::prop("mean is the weighted mean of the components (nested mixtures too)", [] {
        dist::Mixture mix;
        const int n = *rc::gen::inRange(1, 5);
        for (int i = 0; i < n; ++i) {
            const double weight = *rc::gen::inRange(1, 11);
            if (*rc::gen::inRange(0, 5) == 0) {
                dist::Mixture inner;
                inner.components.push_back({1.0, gen_simple()});
                inner.components.push_back({gen_real(0.5, 3), gen_simple()});
                mix.components.push_back({weight, Distribution{inner}});
            } else {
                mix.components.push_back({weight, gen_simple()});
            }
        }
        const Distribution d{mix};
        double total = 0;
        double weighted = 0;
        for (const auto& c : mix.components) {
            total += c.weight;
            weighted += c.weight * c.distribution.mean();
        }
        RC_ASSERT(std::abs(d.mean() - weighted / total) <= 1e-9 * (std::abs(weighted / total) + 1));
        const Moments m = sample(d);
        RC_ASSERT(m.all_finite);
        check_mean(m, d.mean(), std::sqrt(m.variance));
    });

    rc::prop("a copied mixture does not see components pushed later", [] {
        dist::Mixture a;
        a.components.push_back({1.0, Distribution{dist::Constant{1.0}}});
        const dist::Mixture b = a;
        a.components.push_back({1.0, Distribution{dist::Constant{gen_real(2, 10)}}});
        RC_ASSERT(b.components.size() == 1u);
        RC_ASSERT(a.components.size() == 2u);
        RC_ASSERT(Distribution{b}.mean() == 1.0);
    });
}

TEST_CASE("distributions: empirical", "[distributions][property]") {
    rc::prop("mean matches mean(); draws stay between the smallest and largest value", [] {
        const auto raw = *rc::gen::nonEmpty(rc::gen::container<std::vector<int>>(rc::gen::inRange(-100000, 100000)));
        std::vector<double> values(raw.begin(), raw.end());
        const Distribution d = routelab::sim::make_empirical(values);
        const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
        RC_ASSERT(d.mean() >= *lo);
        RC_ASSERT(d.mean() <= *hi);
        const Moments m = sample(d);
        RC_ASSERT(m.min >= *lo);
        RC_ASSERT(m.max <= *hi);
        check_mean(m, d.mean(), std::sqrt(m.variance));
    });
}

TEST_CASE("distributions: durations in microseconds", "[distributions][property]") {
    rc::prop("sample_duration_us never goes negative and rounds the draw to nanoseconds", [] {
        const Distribution d{dist::Normal{gen_real(-50, 50), gen_real(0, 50)}};
        RngStream a = Rng(5).stream("durations");
        RngStream b = Rng(5).stream("durations");
        for (int i = 0; i < 200; ++i) {
            const double us = d.sample(a);
            const auto duration = routelab::sim::sample_duration_us(d, b);
            RC_ASSERT(duration.ns() >= 0);
            const std::int64_t expected = us > 0 ? std::llround(us * 1e3) : 0;
            RC_ASSERT(duration.ns() == expected);
        }
    });
}
