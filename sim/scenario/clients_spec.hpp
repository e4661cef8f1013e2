#pragma once
// Internal to the scenario parser: [[clients]] into resolved ClientSpecs (driver settings
// and workload merged over [driver] and [workload], shares applied, times checked).
#include <toml.hpp>

#include "sim/scenario/model.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

// After validation (clients name the topology's datacenters) and after [driver].
void read_clients(const Context& ctx, const toml::value& root, Scenario& s);

}  // namespace routelab::scenario::detail
