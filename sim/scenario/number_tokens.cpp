#include "sim/scenario/number_tokens.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

namespace routelab::scenario::detail {
namespace {

struct Problem {
    std::uint32_t line = 0;
    std::string field;
    std::string message;
};

// The value's own text, from its line and column; empty when toml11 has no source for it.
std::string token_of(const toml::value& v) {
    const auto loc = v.location();
    const std::string line = loc.line_str();
    const std::size_t column = loc.column();
    if (column == 0 || column > line.size()) return "";
    return line.substr(column - 1, loc.region());
}

std::string shown(std::string token) {
    if (token.size() > 40) {
        token.resize(40);
        token += "...";
    }
    return token;
}

// TOML integer text ([+-]digits, 0x.., 0o.., 0b.., with '_' separators) as an int64, or
// nullopt when it does not fit (or is not an integer's text at all).
std::optional<std::int64_t> exact_integer(std::string_view t) {
    bool negative = false;
    if (!t.empty() && (t.front() == '+' || t.front() == '-')) {
        negative = t.front() == '-';
        t.remove_prefix(1);
    }
    unsigned base = 10;
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o' || t[1] == 'b')) {
        base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
        t.remove_prefix(2);
    }
    if (t.empty()) return std::nullopt;
    // Magnitudes up to 2^63 (the most negative int64) fit in uint64.
    const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::uint64_t magnitude = 0;
    for (const char c : t) {
        if (c == '_') continue;
        unsigned digit = 0;
        if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
        else return std::nullopt;
        if (digit >= base) return std::nullopt;
        if (magnitude > (limit - digit) / base) return std::nullopt;
        magnitude = magnitude * base + digit;
    }
    if (!negative) return static_cast<std::int64_t>(magnitude);
    if (magnitude == (std::uint64_t{1} << 63)) return std::numeric_limits<std::int64_t>::min();
    return -static_cast<std::int64_t>(magnitude);
}

std::optional<std::string> integer_problem(const toml::value& v) {
    const std::string token = token_of(v);
    if (token.empty()) return std::nullopt;   // made by an override's fallback, not read from text
    const auto exact = exact_integer(token);
    if (exact && *exact == v.as_integer()) return std::nullopt;
    return "the integer " + shown(token) + " is outside the 64-bit range [-9223372036854775808, 9223372036854775807]";
}

std::optional<std::string> float_problem(const toml::value& v) {
    std::string token = token_of(v);
    if (token.empty() || token.find("inf") != std::string::npos || token.find("nan") != std::string::npos) return std::nullopt;
    std::string digits;
    for (const char c : token)
        if (c != '_') digits += c;
    errno = 0;
    char* end = nullptr;
    const double x = std::strtod(digits.c_str(), &end);
    if (errno != ERANGE) return std::nullopt;
    if (std::isinf(x)) return "the number " + shown(token) + " is beyond the range of a 64-bit float (about 1.8e308)";
    if (std::fpclassify(x) == FP_ZERO || std::fpclassify(x) == FP_SUBNORMAL)
        return "the number " + shown(token) + " is too close to 0 for a 64-bit float (below about 2.2e-308; write 0 for zero)";
    return std::nullopt;
}

void walk(const toml::value& v, const std::string& field, std::optional<Problem>& first) {
    std::optional<std::string> problem;
    if (v.is_integer()) problem = integer_problem(v);
    else if (v.is_floating()) problem = float_problem(v);
    if (problem) {
        const auto line = static_cast<std::uint32_t>(v.location().line());
        if (!first || line < first->line || (line == first->line && field < first->field)) first = Problem{line, field, *problem};
        return;
    }
    if (v.is_array()) {
        const auto& items = v.as_array();
        for (std::size_t i = 0; i < items.size(); ++i) walk(items[i], field + "[" + std::to_string(i) + "]", first);
    } else if (v.is_table()) {
        for (const auto& [key, item] : v.as_table()) walk(item, field.empty() ? key : field + "." + key, first);
    }
}

}  // namespace

std::optional<ScenarioError> check_number_tokens(const toml::value& root, const std::string& file) {
    std::optional<Problem> first;
    walk(root, "", first);
    if (!first) return std::nullopt;
    return ScenarioError{file, first->line, first->field, first->message};
}

}  // namespace routelab::scenario::detail
