#pragma once
// Scenario overrides given on the command line (`--set KEY=VALUE`): KEY is a scenario key
// by its dotted path as the scenario's errors name it (`driver.policy`,
// `driver.policy_options.local_dc`, `workload.rate_per_s`, `faults[1].at_s`), VALUE is a
// TOML value (`5000`, `0.25`, `true`, `"dc1"`, `[1, 2]`, `{ kind = "constant", value = 3 }`);
// a VALUE that is not TOML is taken as a string, so `--set driver.policy=round_robin` works.
// The overridden scenario goes through the same checks as a file; an error about an
// overridden key names the flag instead of the file.
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/error.hpp"

namespace routelab::scenario {

struct Override {
    std::string key;    // dotted path
    std::string value;  // TOML value text
    // "--set KEY=VALUE", as the user wrote it: names the place in errors.
    std::string flag() const { return "--set " + key + "=" + value; }
};

// Splits "KEY=VALUE" (the first '=' separates them); an error names the flag when there is
// no '=' or the key is empty or malformed.
std::optional<ScenarioError> parse_override(const std::string& text, Override& out);
// Every "KEY=VALUE" of `texts`, in order, appended to `out`; the first bad one's error.
std::optional<ScenarioError> parse_overrides(const std::vector<std::string>& texts, std::vector<Override>& out);

// The overrides as one canonical text (one `KEY = VALUE` line each, in order), for hashing
// a scenario together with its overrides.
std::string overrides_text(const std::vector<Override>& overrides);

}  // namespace routelab::scenario
