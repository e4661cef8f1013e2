#include "sim/scenario/checks_spec.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "sim/checks/registry.hpp"
#include "sim/scenario/check_env.hpp"

namespace routelab::scenario::detail {

namespace {

// Keys every entry may have besides its checker's parameters.
constexpr std::array<std::string_view, 4> common_keys{"name", "id", "during", "client"};

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

std::string range_text(const checks::ParamSpec& p) {
    const bool low = std::isfinite(p.min);
    const bool high = std::isfinite(p.max);
    if (low && high) return fmt::format("{}{}, {}]", p.min_exclusive ? "(" : "[", p.min, p.max);
    if (low) return fmt::format("{} {}", p.min_exclusive ? ">" : ">=", p.min);
    if (high) return fmt::format("<= {}", p.max);
    return "";
}

std::vector<std::string> read_strings(const Context& ctx, const toml::value& v, const std::string& field) {
    if (v.is_string()) return {v.as_string().str};
    std::vector<std::string> out;
    for (const auto& item : expect_array(ctx, v, field)) out.push_back(expect_string(ctx, item, field));
    return out;
}

checks::ParamValue read_param(const Context& ctx, const toml::value& v, const std::string& field, const checks::ParamSpec& p) {
    checks::ParamValue out;
    switch (p.type) {
        case checks::ParamType::number:
        case checks::ParamType::integer: {
            const std::string range = range_text(p);
            const std::string what = std::string(p.type == checks::ParamType::integer ? "an integer" : "a number") +
                                     (range.empty() ? "" : (range.front() == '[' || range.front() == '(' ? " in " : " ") + range);
            const bool numeric = v.is_integer() || (p.type == checks::ParamType::number && v.is_floating());
            if (!numeric) fail(ctx, line_of(v), field, "expected " + what + ", got " + describe(v));
            const double x = v.is_integer() ? static_cast<double>(v.as_integer()) : v.as_floating();
            const bool below = p.min_exclusive ? !(x > p.min) : !(x >= p.min);
            if (!std::isfinite(x) || below || x > p.max) fail(ctx, line_of(v), field, "expected " + what + ", got " + describe(v));
            constexpr std::int64_t exact = std::int64_t{1} << 53;   // beyond, a double changes the integer
            if (v.is_integer() && (v.as_integer() > exact || v.as_integer() < -exact))
                fail(ctx, line_of(v), field, "expected " + what + " of at most 2^53 in magnitude, got " + describe(v));
            out.type = checks::ParamValue::Type::number;
            out.number = x;
            return out;
        }
        case checks::ParamType::boolean:
            if (!v.is_boolean()) fail(ctx, line_of(v), field, "expected true or false, got " + describe(v));
            out.type = checks::ParamValue::Type::boolean;
            out.flag = v.as_boolean();
            return out;
        case checks::ParamType::text:
            out.type = checks::ParamValue::Type::text;
            out.text = expect_string(ctx, v, field);
            return out;
        case checks::ParamType::choice:
            out.type = checks::ParamValue::Type::text;
            out.text = expect_string(ctx, v, field);
            if (std::find(p.choices.begin(), p.choices.end(), out.text) == p.choices.end())
                fail(ctx, line_of(v), field, "expected one of " + joined(p.choices) + ", got \"" + out.text + "\"");
            return out;
        case checks::ParamType::list:
        case checks::ParamType::choice_list:
            out.type = checks::ParamValue::Type::list;
            out.list = read_strings(ctx, v, field);
            if (p.type == checks::ParamType::choice_list)
                for (const auto& item : out.list)
                    if (std::find(p.choices.begin(), p.choices.end(), item) == p.choices.end())
                        fail(ctx, line_of(v), field, "unknown value \"" + item + "\" (known: " + joined(p.choices) + ")");
            return out;
    }
    return out;
}

checks::ScopeSpec read_scope(const Context& ctx, const toml::value& v, const std::string& field, const Scenario& s) {
    checks::ScopeSpec scope;
    if (v.is_string()) {
        const std::string text = v.as_string().str;
        if (text == "run") return scope;
        if (text == "faults") scope.kind = checks::ScopeSpec::Kind::faults;
        else if (text == "steady") scope.kind = checks::ScopeSpec::Kind::steady;
        else fail(ctx, line_of(v), field, "expected \"faults\", \"steady\", \"run\" or [from_s, to_s], got \"" + text + "\"");
        if (scope.kind == checks::ScopeSpec::Kind::faults && fault_windows(s).empty())
            fail(ctx, line_of(v), field, "the scenario has no fault windows ([[faults]] with a lasting effect) to check during");
        return scope;
    }
    if (!v.is_array() || v.as_array().size() != 2)
        fail(ctx, line_of(v), field, "expected \"faults\", \"steady\", \"run\" or [from_s, to_s], got " + describe(v));
    scope.kind = checks::ScopeSpec::Kind::interval;
    scope.from_s = expect_time(ctx, v.as_array()[0], field, NumberRule::non_negative);
    scope.to_s = expect_time(ctx, v.as_array()[1], field, NumberRule::non_negative);
    if (!(scope.to_s > scope.from_s))
        fail(ctx, line_of(v), field, fmt::format("expected from_s < to_s, got [{}, {}]", scope.from_s, scope.to_s));
    if (scope.from_s >= s.workload.duration_s)
        fail(ctx, line_of(v), field,
             fmt::format("the scope starts at {} s, after the end of the run (workload.duration_s = {})", scope.from_s,
                         s.workload.duration_s));
    return scope;
}

}  // namespace

void read_checks(const Context& ctx, const toml::value& root, Scenario& s) {
    const toml::value* list = find(ctx, root, "", "checks");
    if (list == nullptr) return;
    const auto& items = expect_array(ctx, *list, "checks");
    const checks::CheckEnv env = check_env(s);
    const auto& registry = checks::CheckRegistry::instance();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = "checks[" + std::to_string(i) + "]";
        const auto& t = expect_table(ctx, items[i], path);
        CheckSpec spec;
        spec.line = line_of(t);
        const auto& name_value = require(ctx, t, path, "name");
        spec.name = expect_string(ctx, name_value, path + ".name");
        const checks::CheckerInfo* info = registry.find(spec.name);
        if (info == nullptr)
            fail(ctx, line_of(name_value), path + ".name", "unknown checker \"" + spec.name + "\" (known: " + joined(registry.names()) + ")");
        // Every key is a common one or a parameter of this checker.
        std::vector<std::pair<std::uint32_t, std::string>> unknown;
        for (const auto& entry : t.as_table()) {   // not a structured binding: clang 14 (the fuzz build) cannot capture one
            const std::string& key = entry.first;
            const bool common = std::find(common_keys.begin(), common_keys.end(), key) != common_keys.end();
            const bool param = std::any_of(info->params.begin(), info->params.end(), [&](const auto& p) { return p.name == key; });
            if (!common && !param) unknown.emplace_back(line_of(entry.second), key);
        }
        if (!unknown.empty()) {
            std::sort(unknown.begin(), unknown.end());
            std::vector<std::string> allowed;
            for (const auto& p : info->params) allowed.push_back(p.name);
            fail(ctx, unknown.front().first, path + "." + unknown.front().second,
                 "unknown parameter '" + unknown.front().second + "' for " + spec.name + " (parameters: " +
                     (allowed.empty() ? std::string("none") : joined(allowed)) + "; every check also takes id, during, client)");
        }
        if (const auto* id = find(ctx, t, path, "id")) {
            spec.id = expect_name(ctx, *id, path + ".id");
            for (const auto& other : s.checks)
                if (other.id == spec.id) fail(ctx, line_of(*id), path + ".id", "id \"" + spec.id + "\" is already used by another check");
        }
        if (const auto* during = find(ctx, t, path, "during")) spec.during = read_scope(ctx, *during, path + ".during", s);
        if (const auto* client = find(ctx, t, path, "client")) {
            spec.client = expect_string(ctx, *client, path + ".client");
            const auto names = client_names(s);
            if (std::find(names.begin(), names.end(), spec.client) == names.end())
                fail(ctx, line_of(*client), path + ".client", "unknown client \"" + spec.client + "\" (known: " + joined(names) + ")");
        }
        for (const auto& p : info->params) {
            const std::string field = path + "." + p.name;
            if (const auto* v = find(ctx, t, path, p.name)) spec.params.set(p.name, read_param(ctx, *v, field, p));
            else if (p.required) fail(ctx, spec.line, field, "required parameter of " + spec.name + " is missing (" + p.help + ")");
        }
        if (info->validate)
            if (auto problem = info->validate(spec.params, env)) {
                const auto* v = problem->param.empty() ? nullptr : find(ctx, t, path, problem->param);
                fail(ctx, v ? line_of(*v) : line_of(name_value), problem->param.empty() ? path + ".name" : path + "." + problem->param,
                     problem->message);
            }
        s.checks.push_back(std::move(spec));
    }
}

}  // namespace routelab::scenario::detail
