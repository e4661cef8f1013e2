#pragma once
// Internal to the scenario parser: a distribution table such as
// { kind = "lognormal", median = 150, sigma = 0.4 } -> sim::Distribution.
// Values are durations in microseconds, so every parameter must give non-negative draws
// in the common case (constant >= 0, uniform min >= 0, means/medians/scales > 0).
#include <string>

#include <toml.hpp>

#include "sim/core/distributions.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

// `field` is the dotted path of the table (e.g. "network.same_dc"); throws Failure.
sim::Distribution read_distribution(const Context& ctx, const toml::value& v, const std::string& field);

}  // namespace routelab::scenario::detail
