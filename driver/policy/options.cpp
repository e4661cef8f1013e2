#include "driver/policy/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace routelab::driver {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<double> parse_double(std::string_view s) {
    // std::from_chars for double is in GCC 11+; strtod needs a terminated copy.
    const std::string copy(s);
    if (copy.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace

InputError PolicyOptions::error(std::string_view key, std::string message) const {
    return InputError{context_ + " option '" + std::string(key) + "'", std::move(message)};
}

Expected<std::string> PolicyOptions::get_string(std::string_view key, std::string fallback) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    return std::string(trim(it->second));
}

Expected<bool> PolicyOptions::get_bool(std::string_view key, bool fallback) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    const std::string_view v = trim(it->second);
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    return error(key, "expected true or false, got '" + it->second + "'");
}

Expected<std::int64_t> PolicyOptions::get_int(std::string_view key, std::int64_t fallback, std::int64_t min,
                                              std::int64_t max) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    auto v = parse_int(trim(it->second));
    if (!v) return error(key, "expected an integer, got '" + it->second + "'");
    if (*v < min || *v > max)
        return error(key, "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + it->second);
    return *v;
}

Expected<double> PolicyOptions::get_double(std::string_view key, double fallback, double min, double max) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    auto v = parse_double(trim(it->second));
    if (!v) return error(key, "expected a number, got '" + it->second + "'");
    if (*v < min || *v > max)
        return error(key, "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + it->second);
    return *v;
}

Expected<sim::Duration> PolicyOptions::get_duration(std::string_view key, sim::Duration fallback,
                                                    sim::Duration min) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    const std::string_view v = trim(it->second);
    std::size_t digits = 0;
    while (digits < v.size() && (v[digits] == '-' || (v[digits] >= '0' && v[digits] <= '9'))) ++digits;
    auto number = parse_int(v.substr(0, digits));
    const std::string_view unit = trim(v.substr(digits));
    std::int64_t scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us") scale = 1'000;
    else if (unit == "ms") scale = 1'000'000;
    else if (unit == "s") scale = 1'000'000'000;
    if (!number || scale == 0) return error(key, "expected a duration like 100ms (units ns, us, ms, s), got '" + it->second + "'");
    if (*number > std::numeric_limits<std::int64_t>::max() / scale || *number < 0)
        return error(key, "duration out of range: '" + it->second + "'");
    const sim::Duration d = sim::Duration::from_ns(*number * scale);
    if (d < min) return error(key, "must be at least " + std::to_string(min.ns()) + "ns, got '" + it->second + "'");
    return d;
}

Expected<std::vector<std::string>> PolicyOptions::get_list(std::string_view key) const {
    std::vector<std::string> out;
    auto it = values_.find(key);
    if (it == values_.end()) return out;
    std::string_view rest = it->second;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = trim(rest.substr(0, comma));
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return out;
}

Expected<std::string> PolicyOptions::get_choice(std::string_view key, std::string fallback,
                                                std::initializer_list<std::string_view> choices) const {
    auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    const std::string_view v = trim(it->second);
    if (std::find(choices.begin(), choices.end(), v) != choices.end()) return std::string(v);
    std::string list;
    for (std::string_view c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    return error(key, "expected one of " + list + ", got '" + it->second + "'");
}

std::optional<InputError> PolicyOptions::reject_unknown(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : values_) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return error(key, "unknown option (known: " + list + ")");
    }
    return std::nullopt;
}

}  // namespace routelab::driver
