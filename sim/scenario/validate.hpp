#pragma once
// Internal to the scenario parser: checks that span fields (names unique, replication
// factor vs datacenter sizes, local datacenter exists, ...). Runs on the model after every
// field passed its own check; names unnamed explicit nodes. Throws detail::Failure.
#include "sim/scenario/model.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

void validate(const Context& ctx, Scenario& scenario);

}  // namespace routelab::scenario::detail
