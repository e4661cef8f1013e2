#pragma once
// Internal to the scenario parser: typed, located reads of TOML fields. Every reader
// either returns a value that passed its check or throws detail::Failure carrying the
// ScenarioError (file, line of the offending value, dotted field path, message).
// parse_scenario_text catches Failure; it never leaves the library.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <toml.hpp>

#include "sim/scenario/error.hpp"

namespace routelab::scenario::detail {

struct Failure {
    ScenarioError error;
};

// Lines of the fields and tables that were present, for checks that run on the model.
class Locations {
public:
    void set(const std::string& field, std::uint32_t line) { lines_[field] = line; }
    // The field's line, else its nearest enclosing table's, else 0.
    std::uint32_t line_of(std::string field) const;

private:
    std::map<std::string, std::uint32_t> lines_;
};

struct Context {
    std::string file;
    Locations* locations;
};

enum class NumberRule { any, non_negative, positive, fraction };

std::uint32_t line_of(const toml::value& v);
std::string join_path(const std::string& table_path, std::string_view key);
std::string describe(const toml::value& v);  // e.g. "-5", "string \"abc\"", "a table"

[[noreturn]] void fail(const Context& ctx, std::uint32_t line, std::string field, std::string message);

// Rejects keys outside `allowed`, naming the first one (by line) and listing the allowed set.
void check_keys(const Context& ctx, const toml::value& table, const std::string& path,
                std::initializer_list<std::string_view> allowed);

// Returns the value at `key` if present (records its line), nullptr if absent.
const toml::value* find(const Context& ctx, const toml::value& table, const std::string& path,
                        std::string_view key);
// Like find, but a missing key is an error at the table's line.
const toml::value& require(const Context& ctx, const toml::value& table, const std::string& path,
                           std::string_view key);

// Typed checks of a value already found; `field` is its full dotted path.
const toml::value& expect_table(const Context& ctx, const toml::value& v, const std::string& field);
const toml::value::array_type& expect_array(const Context& ctx, const toml::value& v,
                                            const std::string& field);
double expect_number(const Context& ctx, const toml::value& v, const std::string& field,
                     NumberRule rule);
std::int64_t expect_integer(const Context& ctx, const toml::value& v, const std::string& field,
                            std::int64_t min, std::int64_t max);
std::string expect_string(const Context& ctx, const toml::value& v, const std::string& field);
// A string of letters, digits, '_', '-', '.', not starting with '.' (names end up in node
// names and directory names).
std::string expect_name(const Context& ctx, const toml::value& v, const std::string& field);

// Times and durations: `rule` as above (non_negative or positive) and at most max_seconds,
// given in a unit of `per_second` to the second (1 for s, 1e3 for ms, 1e6 for us). The bound
// keeps every time, and sums of a few of them, far inside int64 nanoseconds when the run
// converts them (sim/core/time.hpp), so a time is never clamped or wrapped.
constexpr double max_seconds = 1'000'000;   // about 11.6 days of simulated time
double expect_time(const Context& ctx, const toml::value& v, const std::string& field, NumberRule rule,
                   double per_second = 1);
double time_or(const Context& ctx, const toml::value& table, const std::string& path, std::string_view key,
               NumberRule rule, double fallback, double per_second = 1);

// Optional fields with a default.
double number_or(const Context& ctx, const toml::value& table, const std::string& path,
                 std::string_view key, NumberRule rule, double fallback);
std::int64_t integer_or(const Context& ctx, const toml::value& table, const std::string& path,
                        std::string_view key, std::int64_t min, std::int64_t max,
                        std::int64_t fallback);
std::string string_or(const Context& ctx, const toml::value& table, const std::string& path,
                      std::string_view key, std::string fallback);

}  // namespace routelab::scenario::detail
