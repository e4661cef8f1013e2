#pragma once
// Internal to the scenario parser: field readers shared by [driver], its profiles, the
// workload's operations and [[clients]] — consistency names, policy option tables, and
// the check that the driver's registry builds the chosen policies.
#include <string>
#include <string_view>

#include <toml.hpp>

#include "sim/scenario/model.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

// An upper-case consistency name from `key` (any case accepted), or `fallback` if absent.
std::string consistency_or(const Context& ctx, const toml::value& t, const std::string& p, std::string fallback,
                           std::string_view key = "consistency");
// A table of policy options: strings, integers, floats and booleans, kept as text.
OptionMap option_map(const Context& ctx, const toml::value& table, const std::string& path, std::string_view key);
// The driver's registry decides which policies and options exist; a mistake is reported
// at the line of the option table (or of the name) in `t`, as field "<prefix>.policy" etc.
void check_driver_policies(const Context& ctx, const toml::value& t, const DriverSpec& d, const std::string& prefix = "driver");
// heartbeat_interval_s, heartbeat_timeout_s, connect_timeout_ms of `t` into `d` (absent: kept).
void read_connection_timeouts(const Context& ctx, const toml::value& t, const std::string& p, DriverSpec& d);

}  // namespace routelab::scenario::detail
