#pragma once
// Internal to the scenario parser: reads the [[checks]] array into CheckSpecs, checking
// each entry against its checker's parameter list in the checks registry.
#include <toml.hpp>

#include "sim/scenario/model.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

// After the workload, the driver and the faults are read (scopes and defaults need them).
void read_checks(const Context& ctx, const toml::value& root, Scenario& s);

}  // namespace routelab::scenario::detail
