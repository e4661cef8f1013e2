#include "sim/scenario/driver_fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "driver/policy/registry.hpp"

namespace routelab::scenario::detail {
namespace {

constexpr std::array<std::string_view, 11> consistency_names = {
    "ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM",
    "SERIAL", "LOCAL_SERIAL", "LOCAL_ONE"};

// A float option as text the driver reads back to the same double: std::to_string's six
// decimals when they do (the text earlier versions wrote), else the shortest exact form
// (std::to_string(1e-7) would be "0.000000", a different value).
std::string option_text(double x) {
    std::string text = std::to_string(x);
    if (std::strtod(text.c_str(), nullptr) == x) return text;
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, result.ptr);
}

}  // namespace

std::string consistency_or(const Context& ctx, const toml::value& t, const std::string& p,
                           std::string fallback, std::string_view key) {
    const auto* v = find(ctx, t, p, key);
    if (v == nullptr) return fallback;
    const std::string field = join_path(p, key);
    std::string name = expect_string(ctx, *v, field);
    std::string upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (std::find(consistency_names.begin(), consistency_names.end(), upper) == consistency_names.end()) {
        std::string list;
        for (auto n : consistency_names) {
            if (!list.empty()) list += ", ";
            list += n;
        }
        fail(ctx, line_of(*v), field, "unknown consistency \"" + name + "\" (known: " + list + ")");
    }
    return upper;
}

OptionMap option_map(const Context& ctx, const toml::value& table, const std::string& path, std::string_view key) {
    OptionMap out;
    const auto* v = find(ctx, table, path, key);
    if (v == nullptr) return out;
    const std::string field = join_path(path, key);
    const auto& t = expect_table(ctx, *v, field);
    for (const auto& [name, value] : t.as_table()) {
        const std::string item = join_path(field, name);
        if (value.is_string()) out[name] = value.as_string().str;
        else if (value.is_integer()) out[name] = std::to_string(value.as_integer());
        else if (value.is_floating()) {
            if (!std::isfinite(value.as_floating())) fail(ctx, line_of(value), item, "expected a finite number, got " + describe(value));
            out[name] = option_text(value.as_floating());
        }
        else if (value.is_boolean()) out[name] = value.as_boolean() ? "true" : "false";
        else fail(ctx, line_of(value), item, "expected a string, number or boolean, got " + describe(value));
    }
    return out;
}

void check_driver_policies(const Context& ctx, const toml::value& t, const DriverSpec& d, const std::string& prefix) {
    auto line_of_key = [&](std::string_view key, std::string_view fallback_key) {
        if (const auto* v = find(ctx, t, prefix, key)) return line_of(*v);
        if (const auto* v = find(ctx, t, prefix, fallback_key)) return line_of(*v);
        return line_of(t);
    };
    driver::PolicyContext context{sim::RngStream(0), [](const driver::Target&) { return 0U; }};
    auto policy = driver::PolicyRegistry::instance().create(d.policy, driver::PolicyOptions(d.policy_options, "policy " + d.policy), context);
    if (!policy) fail(ctx, line_of_key("policy_options", "policy"), prefix + ".policy", policy.error().to_string());
    auto retry = driver::PolicyRegistry::create_retry(d.retry, driver::PolicyOptions(d.retry_options, "retry " + d.retry));
    if (!retry) fail(ctx, line_of_key("retry_options", "retry"), prefix + ".retry", retry.error().to_string());
    auto speculative = driver::PolicyRegistry::create_speculative(d.speculative, driver::PolicyOptions(d.speculative_options, "speculative " + d.speculative));
    if (!speculative) fail(ctx, line_of_key("speculative_options", "speculative"), prefix + ".speculative", speculative.error().to_string());
}

void read_connection_timeouts(const Context& ctx, const toml::value& t, const std::string& p, DriverSpec& d) {
    if (const auto* x = find(ctx, t, p, "heartbeat_interval_s")) {
        d.heartbeat_interval_s = expect_number(ctx, *x, p + ".heartbeat_interval_s", NumberRule::non_negative);
        if (d.heartbeat_interval_s > 86'400)
            fail(ctx, line_of(*x), p + ".heartbeat_interval_s", "expected at most 86400 s (0 turns heartbeats off)");
    }
    if (const auto* x = find(ctx, t, p, "heartbeat_timeout_s")) {
        d.heartbeat_timeout_s = expect_number(ctx, *x, p + ".heartbeat_timeout_s", NumberRule::positive);
        if (d.heartbeat_timeout_s > 86'400) fail(ctx, line_of(*x), p + ".heartbeat_timeout_s", "expected at most 86400 s");
    }
    d.connect_timeout_ms = integer_or(ctx, t, p, "connect_timeout_ms", 0, 86'400'000, d.connect_timeout_ms);
}

}  // namespace routelab::scenario::detail
