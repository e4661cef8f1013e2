#include "sim/checks/suite.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "sim/checks/registry.hpp"

namespace routelab::checks {

std::vector<CheckDefinition> mandatory_checks() {
    return {CheckDefinition{"no_request_lost", "", {}, {}, std::string()},
            CheckDefinition{"every_request_ends_once", "", {}, {}, std::string()}};
}

std::vector<CheckDefinition> default_checks() {
    auto out = mandatory_checks();
    out.push_back(CheckDefinition{"plans_valid", "", {}, {}, std::string()});
    return out;
}

std::vector<Interval> merge_intervals(std::vector<Interval> intervals) {
    std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
        return a.from_s != b.from_s ? a.from_s < b.from_s : a.to_s < b.to_s;
    });
    std::vector<Interval> out;
    for (const auto& i : intervals) {
        if (!(i.to_s > i.from_s)) continue;
        if (!out.empty() && i.from_s <= out.back().to_s) out.back().to_s = std::max(out.back().to_s, i.to_s);
        else out.push_back(i);
    }
    return out;
}

Scope resolve_scope(const ScopeSpec& spec, const std::vector<Interval>& fault_windows) {
    switch (spec.kind) {
        case ScopeSpec::Kind::whole_run: return Scope{};
        case ScopeSpec::Kind::faults: return Scope(merge_intervals(fault_windows), "faults");
        case ScopeSpec::Kind::steady: {
            // The complement of the fault windows, from the workload's start on.
            std::vector<Interval> steady;
            double from = 0;
            for (const auto& f : merge_intervals(fault_windows)) {
                if (f.from_s > from) steady.push_back({from, f.from_s});
                from = std::max(from, f.to_s);
            }
            if (from < std::numeric_limits<double>::infinity()) steady.push_back({from, std::numeric_limits<double>::infinity()});
            return Scope(std::move(steady), "steady");
        }
        case ScopeSpec::Kind::interval:
            return Scope({Interval{spec.from_s, spec.to_s}}, fmt::format("[{}, {}) s", spec.from_s, spec.to_s));
    }
    return Scope{};
}

CheckSuite::CheckSuite(const std::vector<CheckDefinition>& definitions, CheckEnv env) : env_(std::move(env)) {
    params_.reserve(definitions.size());   // checkers point into it: no reallocation
    for (const auto& d : definitions) {
        const CheckerInfo* info = CheckRegistry::instance().find(d.name);
        if (info == nullptr) throw std::invalid_argument("unknown checker \"" + d.name + "\"");
        params_.push_back(d.params);
        CheckSetup setup;
        setup.name = d.name;
        setup.label = d.label;
        setup.params = &params_.back();
        setup.scope = resolve_scope(d.during, env_.fault_windows);
        setup.client = d.client;
        setup.env = &env_;
        checkers_.push_back(info->create(setup));
    }
}

void CheckSuite::subscribe(FactBus& bus, const WorldView& world) {
    for (auto& c : checkers_) {
        c->attach(world);
        bus.subscribe(*c);
    }
}

std::vector<results::CheckRecord> CheckSuite::finish(sim::Time end) {
    std::vector<results::CheckRecord> out;
    out.reserve(checkers_.size());
    for (auto& c : checkers_) out.push_back(c->finish(end));
    return out;
}

std::string describe(const results::CheckRecord& r) {
    std::string out = r.name;
    if (!r.label.empty()) out += " [" + r.label + "]";
    if (r.scope != "run") out += " during " + r.scope;
    out += ": " + r.measure + " " + r.value_text + ", limit " + r.limit_text;
    if (r.first_at_s) {
        std::string where = fmt::format("first broke at {:.6f} s", *r.first_at_s);
        if (r.first_request) where += fmt::format(", request {}", *r.first_request);
        if (!r.first_node.empty()) where += ", node " + r.first_node;
        out += " (" + where + ")";
    }
    if (!r.detail.empty()) out += ": " + r.detail;
    return out;
}

std::string verdict_of(const std::vector<results::CheckRecord>& results) {
    const auto first = std::find_if(results.begin(), results.end(), [](const auto& r) { return !r.passed; });
    if (first == results.end()) return "pass";
    const auto failed = std::count_if(results.begin(), results.end(), [](const auto& r) { return !r.passed; });
    std::string out = "fail: " + describe(*first);
    if (failed > 1) out += fmt::format(" (and {} more failed check{})", failed - 1, failed > 2 ? "s" : "");
    return out;
}

}  // namespace routelab::checks
