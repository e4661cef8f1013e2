#include "sim/core/distributions.hpp"
#include "sim/core/ziggurat.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace routelab::sim {

namespace {

struct Sampler {
    RngStream& rng;
    double operator()(const dist::Constant& d) const { return d.value; }
    double operator()(const dist::Uniform& d) const { return d.min + (d.max - d.min) * rng.unit(); }
    double operator()(const dist::Exponential& d) const { return d.mean * ziggurat_exponential(rng); }
    double operator()(const dist::Normal& d) const { return d.mean + d.stddev * ziggurat_normal(rng); }
    double operator()(const dist::LogNormal& d) const { return d.median * std::exp(d.sigma * ziggurat_normal(rng)); }
    double operator()(const dist::Pareto& d) const { return d.scale / std::pow(rng.unit_open_zero(), 1.0 / d.shape); }
    double operator()(const dist::Mixture& d) const {
        double total = 0;
        for (const auto& c : d.components) total += c.weight;
        double pick = rng.unit() * total;
        for (const auto& c : d.components) {
            if (pick < c.weight) return c.distribution.sample(rng);
            pick -= c.weight;
        }
        return d.components.back().distribution.sample(rng);
    }
    double operator()(const dist::Empirical& d) const {
        const auto& v = d.sorted_values;
        if (v.size() == 1) return v.front();
        const double position = rng.unit() * static_cast<double>(v.size() - 1);
        const auto index = static_cast<std::size_t>(position);
        const double fraction = position - static_cast<double>(index);
        return v[index] + (v[index + 1] - v[index]) * fraction;
    }
};

struct MeanOf {
    double operator()(const dist::Constant& d) const { return d.value; }
    double operator()(const dist::Uniform& d) const { return (d.min + d.max) / 2; }
    double operator()(const dist::Exponential& d) const { return d.mean; }
    double operator()(const dist::Normal& d) const { return d.mean; }
    double operator()(const dist::LogNormal& d) const { return d.median * std::exp(d.sigma * d.sigma / 2); }
    double operator()(const dist::Pareto& d) const {
        return d.shape <= 1 ? std::numeric_limits<double>::infinity() : d.shape * d.scale / (d.shape - 1);
    }
    double operator()(const dist::Mixture& d) const {
        double total = 0, sum = 0;
        for (const auto& c : d.components) {
            total += c.weight;
            sum += c.weight * c.distribution.mean();
        }
        return sum / total;
    }
    double operator()(const dist::Empirical& d) const {
        // Mean of the piecewise-linear quantile function: trapezoids between neighbours.
        const auto& v = d.sorted_values;
        if (v.size() == 1) return v.front();
        double sum = 0;
        for (std::size_t i = 0; i + 1 < v.size(); ++i) sum += (v[i] + v[i + 1]) / 2;
        return sum / static_cast<double>(v.size() - 1);
    }
};

std::string number(double v) {
    std::string s = std::to_string(v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

struct Describe {
    std::string operator()(const dist::Constant& d) const { return "constant(" + number(d.value) + ")"; }
    std::string operator()(const dist::Uniform& d) const { return "uniform(" + number(d.min) + ", " + number(d.max) + ")"; }
    std::string operator()(const dist::Exponential& d) const { return "exponential(mean " + number(d.mean) + ")"; }
    std::string operator()(const dist::Normal& d) const { return "normal(" + number(d.mean) + ", " + number(d.stddev) + ")"; }
    std::string operator()(const dist::LogNormal& d) const { return "lognormal(median " + number(d.median) + ", sigma " + number(d.sigma) + ")"; }
    std::string operator()(const dist::Pareto& d) const { return "pareto(scale " + number(d.scale) + ", shape " + number(d.shape) + ")"; }
    std::string operator()(const dist::Mixture& d) const {
        std::string s = "mixture(";
        for (std::size_t i = 0; i < d.components.size(); ++i) {
            if (i) s += ", ";
            s += number(d.components[i].weight) + " x " + d.components[i].distribution.describe();
        }
        return s + ")";
    }
    std::string operator()(const dist::Empirical& d) const { return "empirical(" + std::to_string(d.sorted_values.size()) + " values)"; }
};

}  // namespace

double Distribution::sample(RngStream& rng) const { return std::visit(Sampler{rng}, kind); }
double Distribution::mean() const { return std::visit(MeanOf{}, kind); }
std::string Distribution::describe() const { return std::visit(Describe{}, kind); }

Distribution make_empirical(std::vector<double> values) {
    assert(!values.empty());
    std::sort(values.begin(), values.end());
    return Distribution{dist::Empirical{std::move(values)}};
}

namespace {

// std::llround for 0 < x < 9e18, without the libm call: the truncation is exact, and so is
// x - trunc(x) (below 2^52 the fraction is representable; above it x is an integer), so
// rounding half away from zero gives bit-for-bit the same result.
std::int64_t round_positive(double x) {
    auto whole = static_cast<std::int64_t>(x);
    if (x - static_cast<double>(whole) >= 0.5) ++whole;
    return whole;
}

}  // namespace

Duration sample_duration_us(const Distribution& d, RngStream& rng) {
    const double us = d.sample(rng);
    if (!(us > 0)) return Duration{};
    const double ns = us * 1e3;
    if (ns >= 9.0e18) return Duration::max();
    return Duration::from_ns(round_positive(ns));
}

}  // namespace routelab::sim
