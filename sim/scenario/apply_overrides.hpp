#pragma once
// Internal to routelab_scenario (toml11 stays private): applies `--set` overrides to a
// parsed scenario document before it is read, and points errors about overridden keys at
// their flags.
#include <optional>
#include <vector>

#include <toml.hpp>

#include "sim/scenario/error.hpp"
#include "sim/scenario/overrides.hpp"

namespace routelab::scenario::detail {

// Sets each override's value at its key, creating missing tables on the way (an unknown
// key is then refused by the reader, as in a file). An index into an array (`faults[2]`)
// must name an existing element.
std::optional<ScenarioError> apply_overrides(toml::value& root, const std::vector<Override>& overrides);

// An error whose field is an overridden key (or lies inside one) names the flag instead of
// the file: "--set KEY=VALUE: KEY: message".
void attribute_to_flag(ScenarioError& error, const std::vector<Override>& overrides);

}  // namespace routelab::scenario::detail
