#include "sim/scenario/toml_fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace routelab::scenario::detail {

std::uint32_t Locations::line_of(std::string field) const {
    while (!field.empty()) {
        if (auto it = lines_.find(field); it != lines_.end()) {
            return it->second;
        }
        const auto dot = field.rfind('.');
        const auto bracket = field.rfind('[');
        std::size_t cut = 0;
        if (dot != std::string::npos) cut = dot;
        if (bracket != std::string::npos && bracket > cut) cut = bracket;
        field.resize(cut);
    }
    return 0;
}

std::uint32_t line_of(const toml::value& v) {
    return static_cast<std::uint32_t>(v.location().line());
}

std::string join_path(const std::string& table_path, std::string_view key) {
    if (table_path.empty()) return std::string(key);
    std::string out = table_path;
    out += '.';
    out += key;
    return out;
}

namespace {

constexpr std::int64_t max_exact_integer = std::int64_t{1} << 53;

std::string format_double(double x) {
    char buf[64];
    const auto result = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, result.ptr);
}

// A float as written in messages: whole numbers keep a ".0" ("got 3.0" where an integer is
// expected reads as the float it is, not as the integer 3).
std::string format_float(double x) {
    if (std::isfinite(x) && x == std::trunc(x) && std::fabs(x) < 1e15) {
        char buf[64];
        const auto result = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed);
        return std::string(buf, result.ptr) + ".0";
    }
    return format_double(x);
}

std::string rule_text(NumberRule rule) {
    switch (rule) {
        case NumberRule::any: return "a finite number";
        case NumberRule::non_negative: return "a number >= 0";
        case NumberRule::positive: return "a number > 0";
        case NumberRule::fraction: return "a number in [0, 1]";
    }
    return "a number";
}

bool rule_holds(NumberRule rule, double x) {
    if (!std::isfinite(x)) return false;
    switch (rule) {
        case NumberRule::any: return true;
        case NumberRule::non_negative: return x >= 0.0;
        case NumberRule::positive: return x > 0.0;
        case NumberRule::fraction: return x >= 0.0 && x <= 1.0;
    }
    return false;
}

std::string integer_rule_text(std::int64_t min, std::int64_t max) {
    if (max == std::numeric_limits<std::int64_t>::max()) {
        if (min == std::numeric_limits<std::int64_t>::min()) return "an integer";
        return "an integer >= " + std::to_string(min);
    }
    return "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

}  // namespace

std::string describe(const toml::value& v) {
    switch (v.type()) {
        case toml::value_t::integer: return std::to_string(v.as_integer());
        case toml::value_t::floating: return format_float(v.as_floating());
        case toml::value_t::boolean: return v.as_boolean() ? "boolean true" : "boolean false";
        case toml::value_t::string: {
            std::string s = v.as_string().str;
            if (s.size() > 40) {
                s.resize(40);
                s += "...";
            }
            return "string \"" + s + "\"";
        }
        case toml::value_t::table: return "a table";
        case toml::value_t::array: return "an array";
        case toml::value_t::offset_datetime:
        case toml::value_t::local_datetime:
        case toml::value_t::local_date:
        case toml::value_t::local_time: return "a date/time";
        case toml::value_t::empty: return "nothing";
    }
    return "an unknown value";
}

void fail(const Context& ctx, std::uint32_t line, std::string field, std::string message) {
    throw Failure{ScenarioError{ctx.file, line, std::move(field), std::move(message)}};
}

void check_keys(const Context& ctx, const toml::value& table, const std::string& path,
                std::initializer_list<std::string_view> allowed) {
    std::vector<std::pair<std::uint32_t, std::string>> unknown;
    for (const auto& [key, value] : table.as_table()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            unknown.emplace_back(line_of(value), key);
        }
    }
    if (unknown.empty()) return;
    std::sort(unknown.begin(), unknown.end());
    const auto& first = unknown.front();
    std::string list;
    for (auto name : allowed) {
        if (!list.empty()) list += ", ";
        list += name;
    }
    fail(ctx, first.first, join_path(path, first.second),
         "unknown key '" + first.second + "' (allowed: " + list + ")");
}

const toml::value* find(const Context& ctx, const toml::value& table, const std::string& path,
                        std::string_view key) {
    const auto& t = table.as_table();
    const auto it = t.find(std::string(key));
    if (it == t.end()) return nullptr;
    ctx.locations->set(join_path(path, key), line_of(it->second));
    return &it->second;
}

const toml::value& require(const Context& ctx, const toml::value& table, const std::string& path,
                           std::string_view key) {
    if (const auto* v = find(ctx, table, path, key)) return *v;
    if (path.empty()) fail(ctx, 0, std::string(key), "required table [" + std::string(key) + "] is missing");
    fail(ctx, line_of(table), join_path(path, key), "required field is missing");
}

const toml::value& expect_table(const Context& ctx, const toml::value& v, const std::string& field) {
    if (!v.is_table()) fail(ctx, line_of(v), field, "expected a table, got " + describe(v));
    return v;
}

const toml::value::array_type& expect_array(const Context& ctx, const toml::value& v,
                                            const std::string& field) {
    if (!v.is_array()) fail(ctx, line_of(v), field, "expected an array, got " + describe(v));
    return v.as_array();
}

double expect_number(const Context& ctx, const toml::value& v, const std::string& field,
                     NumberRule rule) {
    double x = 0;
    if (v.is_integer()) {
        x = static_cast<double>(v.as_integer());
    } else if (v.is_floating()) {
        x = v.as_floating();
    } else {
        fail(ctx, line_of(v), field, "expected " + rule_text(rule) + ", got " + describe(v));
    }
    if (!rule_holds(rule, x)) {
        fail(ctx, line_of(v), field, "expected " + rule_text(rule) + ", got " + describe(v));
    }
    // A double holds every integer up to 2^53 exactly; beyond, the integer would change.
    if (v.is_integer() && (v.as_integer() > max_exact_integer || v.as_integer() < -max_exact_integer)) {
        fail(ctx, line_of(v), field,
             "expected " + rule_text(rule) + " of at most 2^53 in magnitude (larger integers are not exact as numbers), got " +
                 describe(v));
    }
    return x;
}

double expect_time(const Context& ctx, const toml::value& v, const std::string& field, NumberRule rule,
                   double per_second) {
    const double x = expect_number(ctx, v, field, rule);
    const double max = max_seconds * per_second;
    if (x > max) {
        const std::string unit = per_second == 1 ? "s" : per_second == 1e3 ? "ms" : "us";
        fail(ctx, line_of(v), field,
             "expected a time " + std::string(rule == NumberRule::positive ? "in (0, " : "in [0, ") + std::to_string(static_cast<std::int64_t>(max)) + "] " +
                 unit + " (times are limited to " + std::to_string(static_cast<std::int64_t>(max_seconds)) + " s), got " + describe(v));
    }
    return x;
}

double time_or(const Context& ctx, const toml::value& table, const std::string& path, std::string_view key,
               NumberRule rule, double fallback, double per_second) {
    if (const auto* v = find(ctx, table, path, key)) return expect_time(ctx, *v, join_path(path, key), rule, per_second);
    return fallback;
}

std::int64_t expect_integer(const Context& ctx, const toml::value& v, const std::string& field,
                            std::int64_t min, std::int64_t max) {
    if (!v.is_integer() || v.as_integer() < min || v.as_integer() > max) {
        fail(ctx, line_of(v), field,
             "expected " + integer_rule_text(min, max) + ", got " + describe(v));
    }
    return v.as_integer();
}

std::string expect_string(const Context& ctx, const toml::value& v, const std::string& field) {
    if (!v.is_string()) fail(ctx, line_of(v), field, "expected a string, got " + describe(v));
    return v.as_string().str;
}

std::string expect_name(const Context& ctx, const toml::value& v, const std::string& field) {
    std::string s = expect_string(ctx, v, field);
    const bool ok = !s.empty() && s.size() <= 64 && s.front() != '.' &&
                    std::all_of(s.begin(), s.end(), is_name_char);
    if (!ok) {
        fail(ctx, line_of(v), field,
             "expected a name of 1-64 letters, digits, '_', '-' or '.' (not starting with '.'), got " +
                 describe(v));
    }
    return s;
}

double number_or(const Context& ctx, const toml::value& table, const std::string& path,
                 std::string_view key, NumberRule rule, double fallback) {
    if (const auto* v = find(ctx, table, path, key)) {
        return expect_number(ctx, *v, join_path(path, key), rule);
    }
    return fallback;
}

std::int64_t integer_or(const Context& ctx, const toml::value& table, const std::string& path,
                        std::string_view key, std::int64_t min, std::int64_t max,
                        std::int64_t fallback) {
    if (const auto* v = find(ctx, table, path, key)) {
        return expect_integer(ctx, *v, join_path(path, key), min, max);
    }
    return fallback;
}

std::string string_or(const Context& ctx, const toml::value& table, const std::string& path,
                      std::string_view key, std::string fallback) {
    if (const auto* v = find(ctx, table, path, key)) {
        return expect_string(ctx, *v, join_path(path, key));
    }
    return fallback;
}

}  // namespace routelab::scenario::detail
