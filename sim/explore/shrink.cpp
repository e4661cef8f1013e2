#include "sim/explore/shrink.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/scenario/nodes.hpp"

namespace routelab::explore {
namespace {

struct Candidate {
    Doc doc;
    std::string step;
};
using Reducer = std::function<std::vector<Candidate>(const Doc&)>;

std::string describe_fault(const Doc& f) {
    std::string text;
    if (const Doc* a = entry(f, "action"); a != nullptr && a->is_string()) text = a->as_string().str;
    if (const Doc* at = entry(f, "at_s")) text += fmt::format(" at {} s", number_of(*at).value_or(0));
    if (const Doc* n = entry(f, "node"); n != nullptr && n->is_string()) text += " on " + n->as_string().str;
    return text;
}

// Each element of root[key] (an array) left out in turn; all of them first when several.
std::vector<Candidate> drop_each(const Doc& root, const std::string& key, const std::string& what,
                                 const std::function<std::string(const Doc&)>& name,
                                 const std::function<bool(const Doc&)>& keep = {}) {
    std::vector<Candidate> out;
    const auto* items = array_entry(root, key);
    if (items == nullptr || items->empty()) return out;
    std::vector<std::size_t> droppable;
    for (std::size_t i = 0; i < items->size(); ++i)
        if (!keep || !keep((*items)[i])) droppable.push_back(i);
    if (droppable.size() > 1) {
        Candidate c{root, fmt::format("dropped all {} {}", droppable.size(), what)};
        auto& a = *array_entry(c.doc, key);
        for (auto it = droppable.rbegin(); it != droppable.rend(); ++it) a.erase(a.begin() + static_cast<std::ptrdiff_t>(*it));
        if (a.empty()) c.doc.as_table().erase(key);   // no `faults = []` left behind
        out.push_back(std::move(c));
    }
    for (const std::size_t i : droppable) {
        Candidate c{root, fmt::format("dropped {}[{}] ({})", key, i, name((*items)[i]))};
        auto& a = *array_entry(c.doc, key);
        a.erase(a.begin() + static_cast<std::ptrdiff_t>(i));
        if (a.empty()) c.doc.as_table().erase(key);
        out.push_back(std::move(c));
    }
    return out;
}

std::string name_of(const Doc& v) {
    const Doc* n = entry(v, "name");
    return n != nullptr && n->is_string() ? n->as_string().str : "?";
}

// Candidates for a smaller integer: 1, half, one less.
std::vector<std::int64_t> smaller(std::int64_t n, std::int64_t floor) {
    std::vector<std::int64_t> out;
    for (const std::int64_t c : {floor, n / 2, n - 1})
        if (c >= floor && c < n && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    return out;
}

std::vector<Candidate> topology_steps(const Doc& root) {
    std::vector<Candidate> out;
    const Doc* topo = entry(root, "topology");
    if (topo == nullptr) return out;
    const auto* dcs = array_entry(*topo, "datacenters");
    if (dcs != nullptr && dcs->size() > 1) {
        for (std::size_t i = 0; i < dcs->size(); ++i) {
            Candidate c{root, fmt::format("dropped datacenter {}", name_of((*dcs)[i]))};
            auto& a = *array_entry(*entry(c.doc, "topology"), "datacenters");
            a.erase(a.begin() + static_cast<std::ptrdiff_t>(i));
            out.push_back(std::move(c));
        }
    }
    for (std::size_t d = 0; dcs != nullptr && d < dcs->size(); ++d) {
        const auto* racks = array_entry((*dcs)[d], "racks");
        for (std::size_t r = 0; racks != nullptr && r < racks->size(); ++r) {
            auto rack_at = [d, r](Doc& doc) -> Doc& {
                return (*array_entry((*array_entry(*entry(doc, "topology"), "datacenters"))[d], "racks"))[r];
            };
            if (racks->size() > 1) {
                Candidate c{root, fmt::format("dropped rack {}/{}", name_of((*dcs)[d]), name_of((*racks)[r]))};
                auto& a = *array_entry((*array_entry(*entry(c.doc, "topology"), "datacenters"))[d], "racks");
                a.erase(a.begin() + static_cast<std::ptrdiff_t>(r));
                out.push_back(std::move(c));
            }
            const Doc* nodes = entry((*racks)[r], "nodes");
            const std::int64_t n = nodes != nullptr && nodes->is_integer() ? nodes->as_integer() : 1;
            for (const std::int64_t fewer : smaller(n, 1)) {
                Candidate c{root, fmt::format("rack {}/{}: {} → {} nodes", name_of((*dcs)[d]), name_of((*racks)[r]), n, fewer)};
                rack_at(c.doc).as_table()["nodes"] = Doc(fewer);
                out.push_back(std::move(c));
            }
        }
    }
    for (auto& c : drop_each(*topo, "nodes", "explicit nodes", name_of)) {
        Doc doc = root;
        doc.as_table()["topology"] = c.doc;
        out.push_back({std::move(doc), c.step});
    }
    for (const char* key : {"vnodes", "shards"}) {
        const Doc* v = entry(*topo, key);
        if (v == nullptr || !v->is_integer()) continue;
        for (const std::int64_t fewer : smaller(v->as_integer(), 1)) {
            Candidate c{root, fmt::format("topology.{}: {} → {}", key, v->as_integer(), fewer)};
            c.doc.as_table()["topology"].as_table()[key] = Doc(fewer);
            out.push_back(std::move(c));
        }
    }
    return out;
}

std::vector<Candidate> number_steps(const Doc& root, const std::string& table, const std::string& key, bool integer,
                                    const std::vector<double>& factors, double floor) {
    std::vector<Candidate> out;
    const Doc* t = entry(root, table);
    const Doc* v = t != nullptr ? entry(*t, key) : nullptr;
    if (v == nullptr || !number_of(*v)) return out;
    const double now = *number_of(*v);
    if (integer) {
        for (const std::int64_t next : smaller(static_cast<std::int64_t>(now), static_cast<std::int64_t>(floor))) {
            Candidate c{root, fmt::format("{}.{}: {} → {}", table, key, now, next)};
            c.doc.as_table()[table].as_table()[key] = Doc(next);
            out.push_back(std::move(c));
        }
        return out;
    }
    for (const double f : factors) {
        const double next = now * f >= 10 ? rounded(now * f, 1) : rounded(now * f, 1000);
        if (!(next < now) || next < floor) continue;
        Candidate c{root, fmt::format("{}.{}: {} → {}", table, key, now, next)};
        c.doc.as_table()[table].as_table()[key] = Doc(next);
        out.push_back(std::move(c));
    }
    return out;
}

// The end of the fault timeline (the last fault's start plus its duration).
double timeline_end(const Doc& root) {
    double end = 0;
    if (const auto* faults = array_entry(root, "faults"))
        for (const auto& f : *faults) {
            const double at = entry(f, "at_s") ? number_of(*entry(f, "at_s")).value_or(0) : 0;
            const double d = entry(f, "duration_s") ? number_of(*entry(f, "duration_s")).value_or(0) : 0;
            end = std::max(end, at + d);
        }
    return end;
}

std::vector<Candidate> duration_steps(const Doc& root) {
    std::vector<Candidate> out;
    const Doc* w = entry(root, "workload");
    const Doc* d = w != nullptr ? entry(*w, "duration_s") : nullptr;
    const double now = d != nullptr ? number_of(*d).value_or(10) : 10;
    for (const double next : {std::ceil(timeline_end(root)) + 1, rounded(now / 2, 1000), now - 1}) {
        if (!(next < now) || next <= 0) continue;
        Candidate c{root, fmt::format("workload.duration_s: {} → {}", now, next)};
        table_entry(c.doc, "workload", "duration_s") = Doc(next);
        out.push_back(std::move(c));
    }
    return out;
}

// A distribution table replaced by the default (key removed) or by a constant at its median.
std::vector<Candidate> distribution_steps(const Doc& root) {
    std::vector<Candidate> out;
    const std::vector<std::pair<std::string, std::string>> places = {
        {"cluster", "service_time"}, {"cluster", "coordinator_time"}, {"network", "same_rack"}, {"network", "same_dc"},
        {"network", "cross_dc"},     {"workload", "think_time"},   {"workload", "value_bytes"},
        {"workload", "key_distribution"}, {"workload", "schedule"}};
    for (const auto& [table, key] : places) {
        const Doc* t = entry(root, table);
        const Doc* v = t != nullptr ? entry(*t, key) : nullptr;
        if (v == nullptr || !(v->is_table() || v->is_array())) continue;
        const Doc* kind = entry(*v, "kind");
        if (kind != nullptr && kind->is_string() && kind->as_string().str == "constant") continue;
        for (const char* param : {"median", "mean", "value", "min"}) {
            const Doc* p = entry(*v, param);
            if (p == nullptr || !number_of(*p) || key == "key_distribution") continue;
            Candidate c{root, fmt::format("{}.{}: constant {}", table, key, *number_of(*p))};
            Doc constant(Doc::table_type{});
            constant.as_table()["kind"] = Doc("constant");
            constant.as_table()["value"] = *p;
            c.doc.as_table()[table].as_table()[key] = constant;
            out.push_back(std::move(c));
            break;
        }
        Candidate c{root, fmt::format("{}.{}: the default", table, key)};
        c.doc.as_table()[table].as_table().erase(key);
        out.push_back(std::move(c));
    }
    return out;
}

// Faults aimed at other nodes moved to the first node, so that the rest of the topology
// can go; and stop/start pairs stay pairs because each fault is moved on its own.
std::vector<Candidate> retarget_steps(const Doc& root) {
    std::vector<Candidate> out;
    const auto parsed = parse_doc(root, "shrunk.toml");
    const auto* faults = array_entry(root, "faults");
    if (!parsed || faults == nullptr) return out;
    const auto nodes = scenario::all_nodes(parsed.scenario().topology);
    if (nodes.empty()) return out;
    const std::string& first = nodes.front().name;
    for (std::size_t i = 0; i < faults->size(); ++i) {
        const Doc* n = entry((*faults)[i], "node");
        if (n == nullptr || !n->is_string() || n->as_string().str == first || n->as_string().str == "client") continue;
        Candidate c{root, fmt::format("faults[{}] ({}) moved to {}", i, describe_fault((*faults)[i]), first)};
        (*array_entry(c.doc, "faults"))[i].as_table()["node"] = Doc(first);
        out.push_back(std::move(c));
    }
    return out;
}

// Faults moved earlier (to 0, to half their time) and made shorter (half), so that the
// timeline can end sooner.
std::vector<Candidate> earlier_steps(const Doc& root) {
    std::vector<Candidate> out;
    const auto* faults = array_entry(root, "faults");
    for (std::size_t i = 0; faults != nullptr && i < faults->size(); ++i) {
        const Doc* at = entry((*faults)[i], "at_s");
        const double now = at != nullptr ? number_of(*at).value_or(0) : 0;
        for (const double next : {0.0, rounded(now / 2, 1000)}) {
            if (!(next < now)) continue;
            Candidate c{root, fmt::format("faults[{}] ({}) moved to {} s", i, describe_fault((*faults)[i]), next)};
            (*array_entry(c.doc, "faults"))[i].as_table()["at_s"] = Doc(next);
            out.push_back(std::move(c));
        }
        const Doc* d = entry((*faults)[i], "duration_s");
        const double lasts = d != nullptr ? number_of(*d).value_or(0) : 0;
        if (rounded(lasts / 2, 1000) > 0) {
            Candidate c{root, fmt::format("faults[{}] ({}) lasts {} s instead of {} s", i, describe_fault((*faults)[i]),
                                          rounded(lasts / 2, 1000), lasts)};
            (*array_entry(c.doc, "faults"))[i].as_table()["duration_s"] = Doc(rounded(lasts / 2, 1000));
            out.push_back(std::move(c));
        }
    }
    return out;
}

std::string check_key(const Doc& c) {
    const Doc* id = entry(c, "id");
    if (id != nullptr && id->is_string() && !id->as_string().str.empty()) return id->as_string().str;
    return name_of(c);
}

}  // namespace

ShrinkResult shrink(const Doc& failing, const std::string& check, const runner::WorldOptions& world,
                    std::size_t max_trials, const std::function<void(const std::string&)>& on_step) {
    ShrinkResult result{failing, {}, 0, {}};
    const std::vector<Reducer> reducers = {
        [](const Doc& d) { return drop_each(d, "faults", "faults", describe_fault); },
        [](const Doc& d) { return drop_each(d, "clients", "clients", name_of); },
        [&check](const Doc& d) {
            return drop_each(d, "checks", "other checks", check_key, [&check](const Doc& c) { return check_key(c) == check; });
        },
        retarget_steps,
        topology_steps,
        [](const Doc& d) { return number_steps(d, "cluster", "replication_factor", true, {}, 1); },
        earlier_steps,
        duration_steps,
        [](const Doc& d) { return number_steps(d, "workload", "rate_per_s", false, {0.1, 0.5}, 1); },
        [](const Doc& d) { return number_steps(d, "workload", "users", true, {}, 1); },
        distribution_steps,
    };
    bool changed = true;
    while (changed && result.trials < max_trials) {
        changed = false;
        for (const auto& reducer : reducers) {
            bool again = true;
            while (again && result.trials < max_trials) {
                again = false;
                for (auto& c : reducer(result.doc)) {
                    if (result.trials >= max_trials) break;
                    if (!parse_doc(c.doc, "shrunk.toml").ok()) continue;   // refused: not a run
                    ++result.trials;
                    const Outcome o = run_doc(c.doc, world);
                    if (!o.fails(check)) continue;
                    result.doc = std::move(c.doc);
                    result.steps.push_back(c.step);
                    for (const auto& f : o.failures)
                        if (f.check == check) result.detail = f.detail;
                    if (on_step) on_step(c.step);
                    changed = again = true;
                    break;
                }
            }
        }
    }
    if (result.detail.empty()) {
        const Outcome o = run_doc(result.doc, world);
        for (const auto& f : o.failures)
            if (f.check == check) result.detail = f.detail;
    }
    return result;
}

}  // namespace routelab::explore
