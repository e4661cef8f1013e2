#pragma once
// Internal to the scenario parser: reads the [[faults]] array into FaultSpecs.
#include <toml.hpp>

#include "sim/scenario/model.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

void read_faults(const Context& ctx, const toml::value& root, Scenario& s);

}  // namespace routelab::scenario::detail
