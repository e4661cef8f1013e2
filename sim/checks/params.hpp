#pragma once
// A check's parameters as plain data: what the scenario file gave, already checked
// against the checker's parameter list (registry.hpp) by the scenario parser.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace routelab::checks {

struct ParamValue {
    enum class Type : std::uint8_t { number, boolean, text, list };
    Type type = Type::number;
    double number = 0;                 // number (integers too)
    bool flag = false;                 // boolean
    std::string text;                  // text
    std::vector<std::string> list;     // list of strings
};

class Params {
public:
    void set(std::string name, ParamValue value) { values_[std::move(name)] = std::move(value); }
    bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
    double number(std::string_view name, double fallback) const {
        const auto* v = find(name, ParamValue::Type::number);
        return v ? v->number : fallback;
    }
    bool flag(std::string_view name, bool fallback) const {
        const auto* v = find(name, ParamValue::Type::boolean);
        return v ? v->flag : fallback;
    }
    std::string text(std::string_view name, std::string fallback) const {
        const auto* v = find(name, ParamValue::Type::text);
        return v ? v->text : fallback;
    }
    std::vector<std::string> list(std::string_view name) const {
        const auto* v = find(name, ParamValue::Type::list);
        return v ? v->list : std::vector<std::string>{};
    }
    const std::map<std::string, ParamValue, std::less<>>& values() const { return values_; }

private:
    const ParamValue* find(std::string_view name, ParamValue::Type type) const {
        const auto it = values_.find(name);
        return it != values_.end() && it->second.type == type ? &it->second : nullptr;
    }
    std::map<std::string, ParamValue, std::less<>> values_;
};

// When a check looks: the whole run, inside any fault window, outside all of them, or
// between two instants (seconds after the workload's start).
struct ScopeSpec {
    enum class Kind : std::uint8_t { whole_run, faults, steady, interval };
    Kind kind = Kind::whole_run;
    double from_s = 0;
    double to_s = 0;
};

}  // namespace routelab::checks
