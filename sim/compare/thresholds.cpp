// Reads a thresholds file for `routelab compare --thresholds FILE`:
//   noise = 1.0
//   [figures]
//   p99_ms = { relative = 0.10, absolute = 0.5 }
//   error_rate = { absolute = 0.001 }
// A figure left out keeps its default; `p50_ms = false` stops comparing it.
#include <cmath>

#include <toml.hpp>

#include "sim/compare/compare.hpp"

namespace routelab::compare {
namespace {

std::string at(const std::string& path, const toml::value& v, const std::string& field, const std::string& message) {
    return path + ":" + std::to_string(v.location().line()) + ": " + field + ": " + message;
}

std::optional<double> number(const toml::value& v) {
    if (v.is_floating()) return v.as_floating();
    if (v.is_integer()) return static_cast<double>(v.as_integer());
    return std::nullopt;
}

}  // namespace

std::optional<std::string> read_thresholds(const std::string& path, Thresholds& out) {
    toml::value root;
    try {
        root = toml::parse(path);
    } catch (const toml::syntax_error& e) {
        return path + ":" + std::to_string(e.location().line()) + ": TOML syntax error";
    } catch (const std::exception& e) {
        return path + ": cannot read the thresholds file";
    }
    for (const auto& [key, value] : root.as_table()) {
        if (key == "noise") {
            const auto n = number(value);
            if (!n || !std::isfinite(*n) || *n < 0 || *n > 100) return at(path, value, "noise", "expected a number in [0, 100]");
            out.noise = *n;
        } else if (key == "figures") {
            if (!value.is_table()) return at(path, value, "figures", "expected a table");
            for (const auto& [name, spec] : value.as_table()) {
                const std::string field = "figures." + name;
                if (name != "p50_ms" && name != "p99_ms" && name != "p999_ms" && name != "error_rate")
                    return at(path, spec, field, "unknown figure (known: p50_ms, p99_ms, p999_ms, error_rate)");
                if (spec.is_boolean() && !spec.as_boolean()) {
                    out.figures.erase(name);
                    continue;
                }
                if (!spec.is_table()) return at(path, spec, field, "expected { relative = R, absolute = A } or false");
                Allowance a;
                for (const auto& [k, v] : spec.as_table()) {
                    const auto n = number(v);
                    if (k != "relative" && k != "absolute") return at(path, v, field + "." + k, "unknown key (allowed: relative, absolute)");
                    if (!n || !std::isfinite(*n) || *n < 0 || *n > 1e9)
                        return at(path, v, field + "." + k, "expected a finite number >= 0");
                    (k == "relative" ? a.relative : a.absolute) = *n;
                }
                out.figures[name] = a;
            }
        } else {
            return at(path, value, key, "unknown key (allowed: noise, figures)");
        }
    }
    return std::nullopt;
}

}  // namespace routelab::compare
