#pragma once
// Our own distributions, drawn from an RngStream. std::*_distribution is never used: its
// algorithms differ between standard libraries, which would break same-seed replays.
// Values are unit-free doubles; callers decide the unit (scenarios use microseconds).
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace routelab::sim {

struct Distribution;

namespace dist {
struct Constant { double value; };
struct Uniform { double min; double max; };
struct Exponential { double mean; };
struct Normal { double mean; double stddev; };
// Parameterised by its median (= e^mu) and sigma, the form latency tables are quoted in.
struct LogNormal { double median; double sigma; };
// Pareto type I: scale x_m > 0 (minimum value), shape alpha > 0.
struct Pareto { double scale; double shape; };
struct Component;
struct Mixture { std::vector<Component> components; };
// Samples from measured values: picks a uniform quantile and interpolates linearly
// between the sorted values around it.
struct Empirical { std::vector<double> sorted_values; };
}  // namespace dist

struct Distribution {
    using Variant = std::variant<dist::Constant, dist::Uniform, dist::Exponential, dist::Normal,
                                 dist::LogNormal, dist::Pareto, dist::Mixture, dist::Empirical>;
    Variant kind = dist::Constant{0.0};

    double sample(RngStream& rng) const;
    // Theoretical mean where it exists (Pareto with shape <= 1 returns +inf).
    double mean() const;
    std::string describe() const;
};

namespace dist {
struct Component {
    double weight;
    Distribution distribution;
};
}  // namespace dist

// Builds an empirical distribution (sorts a copy of the values); values must be non-empty.
Distribution make_empirical(std::vector<double> values);

// Draws a duration from a distribution given in microseconds; negative draws clamp to 0.
Duration sample_duration_us(const Distribution& d, RngStream& rng);

}  // namespace routelab::sim
