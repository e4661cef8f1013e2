#include "sim/scenario/overrides.hpp"

#include <cctype>
#include <sstream>
#include <string_view>

#include "sim/scenario/apply_overrides.hpp"
#include "sim/scenario/text_limits.hpp"

namespace routelab::scenario {
namespace {

// One step of a dotted path: a table key, optionally followed by an array index.
struct Step {
    std::string key;
    std::optional<std::size_t> index;
};

bool bare_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

// "a.b[2].c" -> {a}, {b, 2}, {c}; nullopt names what is wrong.
std::optional<std::vector<Step>> split_path(std::string_view key, std::string& why) {
    std::vector<Step> steps;
    std::size_t i = 0;
    while (i <= key.size()) {
        Step step;
        while (i < key.size() && bare_key_char(key[i])) step.key += key[i++];
        if (step.key.empty()) {
            why = "expected a dotted key such as workload.rate_per_s or faults[0].at_s";
            return std::nullopt;
        }
        if (i < key.size() && key[i] == '[') {
            std::size_t close = key.find(']', i);
            const std::string_view digits = key.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
            if (close == std::string_view::npos || digits.empty() || digits.size() > 6 ||
                digits.find_first_not_of("0123456789") != std::string_view::npos) {
                why = "expected an index such as [0] after '" + step.key + "'";
                return std::nullopt;
            }
            step.index = std::stoul(std::string(digits));
            i = close + 1;
        }
        steps.push_back(std::move(step));
        if (i == key.size()) break;
        if (key[i] != '.') {
            why = std::string("unexpected '") + key[i] + "' in the key";
            return std::nullopt;
        }
        ++i;
    }
    return steps;
}

// The value text as TOML, else as a string. Its location names the flag.
toml::value parse_value(const Override& o) {
    try {
        std::istringstream in("value = " + o.value);
        const toml::value doc = toml::parse(in, o.flag());
        return toml::find(doc, "value");
    } catch (const std::exception&) {
        return toml::value(o.value);
    }
}

ScenarioError flag_error(const Override& o, const std::string& message) { return ScenarioError{o.flag(), 0, o.key, message}; }

}  // namespace

std::optional<ScenarioError> parse_override(const std::string& text, Override& out) {
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos) return ScenarioError{"--set " + text, 0, "", "expected KEY=VALUE"};
    out.key = text.substr(0, eq);
    out.value = text.substr(eq + 1);
    std::string why;
    if (!split_path(out.key, why)) return ScenarioError{out.flag(), 0, out.key, why};
    if (out.value.empty()) return flag_error(out, "expected a value after '='");
    return std::nullopt;
}

std::optional<ScenarioError> parse_overrides(const std::vector<std::string>& texts, std::vector<Override>& out) {
    for (const auto& text : texts) {
        Override o;
        if (auto bad = parse_override(text, o)) return bad;
        out.push_back(std::move(o));
    }
    return std::nullopt;
}

std::string overrides_text(const std::vector<Override>& overrides) {
    std::string text;
    for (const auto& o : overrides) text += o.key + " = " + o.value + "\n";
    return text;
}

namespace detail {

std::optional<ScenarioError> apply_overrides(toml::value& root, const std::vector<Override>& overrides) {
    for (const auto& o : overrides) {
        std::string why;
        const auto steps = split_path(o.key, why);
        if (!steps) return flag_error(o, why);
        if (auto bad = check_text_limits(o.value, o.flag(), TextKind::value)) return flag_error(o, bad->message);
        toml::value* at = &root;
        for (std::size_t s = 0; s < steps->size(); ++s) {
            const Step& step = (*steps)[s];
            const bool last = s + 1 == steps->size() && !step.index;
            if (!at->is_table()) return flag_error(o, "'" + step.key + "' lies inside a value that is not a table");
            auto& table = at->as_table();
            if (last) {
                table[step.key] = parse_value(o);
                break;
            }
            auto found = table.find(step.key);
            if (found == table.end()) {
                if (step.index) return flag_error(o, "the scenario has no '" + step.key + "' to index");
                found = table.emplace(step.key, toml::table{}).first;
            }
            at = &found->second;
            if (step.index) {
                if (!at->is_array()) return flag_error(o, "'" + step.key + "' is not an array");
                auto& array = at->as_array();
                if (*step.index >= array.size())
                    return flag_error(o, "'" + step.key + "' has " + std::to_string(array.size()) +
                                             " entries; index " + std::to_string(*step.index) + " does not exist");
                if (s + 1 == steps->size()) {
                    array[*step.index] = parse_value(o);
                    break;
                }
                at = &array[*step.index];
            }
        }
    }
    return std::nullopt;
}

void attribute_to_flag(ScenarioError& error, const std::vector<Override>& overrides) {
    // The last override of a key wins, so look from the back.
    for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
        const std::string& key = it->key;
        const bool inside = error.field == key ||
                            (error.field.size() > key.size() && error.field.compare(0, key.size(), key) == 0 &&
                             (error.field[key.size()] == '.' || error.field[key.size()] == '['));
        // An unknown key reported on its table names the table as the field.
        const bool unknown_here = error.message.find("unknown key '") != std::string::npos &&
                                  key.compare(0, error.field.size(), error.field) == 0 &&
                                  (error.field.empty() || key.size() > error.field.size()) &&
                                  error.message.find("'" + key.substr(key.find_last_of('.') + 1) + "'") != std::string::npos;
        if (inside || unknown_here) {
            error.file = it->flag();
            error.line = 0;
            return;
        }
    }
}

}  // namespace detail
}  // namespace routelab::scenario
