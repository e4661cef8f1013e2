#include "sim/explore/explore_config.hpp"

#include <set>

#include <fmt/format.h>

namespace routelab::explore {
namespace {

struct Reader {
    const std::string& file;
    std::string& error;

    bool fail(const Doc& v, const std::string& key, const std::string& message) {
        error = fmt::format("{}:{}: explore.{}: {}", file, v.location().line(), key, message);
        return false;
    }
    bool number(const Doc& v, const std::string& key, double lo, double hi, double& out) {
        const auto n = number_of(v);
        if (!n) return fail(v, key, "expected a number");
        if (!(*n >= lo && *n <= hi)) return fail(v, key, fmt::format("{} is out of range [{}, {}]", *n, lo, hi));
        out = *n;
        return true;
    }
    bool boolean(const Doc& v, const std::string& key, bool& out) {
        if (!v.is_boolean()) return fail(v, key, "expected true or false");
        out = v.as_boolean();
        return true;
    }
    bool range(const Doc& v, const std::string& key, double lo, double hi, double& min, double& max) {
        if (!v.is_array() || v.as_array().size() != 2) return fail(v, key, "expected [min, max]");
        if (!number(v.as_array()[0], key, lo, hi, min) || !number(v.as_array()[1], key, lo, hi, max)) return false;
        if (min > max) return fail(v, key, "min is above max");
        return true;
    }
};

}  // namespace

std::optional<ExploreConfig> read_explore_config(const Doc& doc, const std::string& file, std::string& error) {
    ExploreConfig c;
    const Doc* t = entry(doc, "explore");
    if (t == nullptr) return c;
    Reader r{file, error};
    if (!t->is_table()) {
        r.fail(*t, "", "expected a table");
        return std::nullopt;
    }
    static const std::set<std::string> known = {"seeds",         "fault_shift_s",     "fault_duration_scale", "retarget_faults",
                                                "drop_fault_chance", "add_faults", "rate_scale"};
    for (const auto& [key, v] : t->as_table()) {
        bool ok = true;
        double add = 0;
        if (known.count(key) == 0) ok = r.fail(v, key, "unknown key (known: seeds, fault_shift_s, fault_duration_scale, "
                                                       "retarget_faults, drop_fault_chance, add_faults, rate_scale)");
        else if (key == "seeds") ok = r.boolean(v, key, c.vary_seed);
        else if (key == "fault_shift_s") ok = r.number(v, key, 0, 86400, c.fault_shift_s);
        else if (key == "fault_duration_scale") ok = r.range(v, key, 0.01, 100, c.duration_scale_min, c.duration_scale_max);
        else if (key == "retarget_faults") ok = r.boolean(v, key, c.retarget_faults);
        else if (key == "drop_fault_chance") ok = r.number(v, key, 0, 1, c.drop_fault_chance);
        else if (key == "rate_scale") ok = r.range(v, key, 0.01, 100, c.rate_scale_min, c.rate_scale_max);
        else if (key == "add_faults") {
            if (!v.is_integer()) ok = r.fail(v, key, "expected an integer");
            else ok = r.number(v, key, 0, 100, add);
            c.add_faults = static_cast<int>(add);
        }
        if (!ok) return std::nullopt;
    }
    return c;
}

}  // namespace routelab::explore
