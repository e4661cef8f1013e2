#pragma once
// Internal to the scenario parser: toml11 (3.7) silently saturates integers beyond the
// 64-bit range (9223372036854775808 reads as 9223372036854775807, 0b111...1 of 64 digits as
// -1) and floats beyond a double's (1e999 reads as 1.8e308, 1e-999 as 0). This check reads
// every number's text again from its source location and reports the first one (by line)
// whose value toml11 changed, so no field ever sees an altered number.
#include <optional>
#include <string>

#include <toml.hpp>

#include "sim/scenario/error.hpp"

namespace routelab::scenario::detail {

std::optional<ScenarioError> check_number_tokens(const toml::value& root, const std::string& file);

}  // namespace routelab::scenario::detail
