#pragma once
// String key/value options for policies, as a scenario file gives them
// (e.g. `default` with local_dc = "dc1", token_aware = "true"). Typed getters parse and
// range-check, returning an InputError that names the policy and key; `reject_unknown`
// catches typos. Values are text so any scenario format can feed them.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/metadata/expected.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

class PolicyOptions {
public:
    PolicyOptions() = default;
    PolicyOptions(std::initializer_list<std::pair<const std::string, std::string>> values) : values_(values) {}
    // Options as a scenario file gives them; `context` as in set_context.
    PolicyOptions(const std::map<std::string, std::string>& values, std::string context)
        : values_(values.begin(), values.end()), context_(std::move(context)) {}

    // `context` prefixes error places, e.g. "driver.policy default".
    void set_context(std::string context) { context_ = std::move(context); }
    void set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }
    bool has(std::string_view key) const { return values_.find(key) != values_.end(); }
    const std::map<std::string, std::string, std::less<>>& values() const { return values_; }

    Expected<std::string> get_string(std::string_view key, std::string fallback) const;
    // true/false, yes/no, on/off, 1/0.
    Expected<bool> get_bool(std::string_view key, bool fallback) const;
    Expected<std::int64_t> get_int(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
    Expected<double> get_double(std::string_view key, double fallback, double min, double max) const;
    // An integer with a unit: ns, us, ms, s (e.g. "100ms"); must be >= min.
    Expected<sim::Duration> get_duration(std::string_view key, sim::Duration fallback,
                                         sim::Duration min = sim::Duration{}) const;
    // Comma-separated, blanks trimmed, empty items dropped.
    Expected<std::vector<std::string>> get_list(std::string_view key) const;
    // One of `choices`.
    Expected<std::string> get_choice(std::string_view key, std::string fallback,
                                     std::initializer_list<std::string_view> choices) const;

    // An error naming the first key not in `known`, if any.
    std::optional<InputError> reject_unknown(std::initializer_list<std::string_view> known) const;

    InputError error(std::string_view key, std::string message) const;

private:
    std::map<std::string, std::string, std::less<>> values_;
    std::string context_ = "policy";
};

}  // namespace routelab::driver
