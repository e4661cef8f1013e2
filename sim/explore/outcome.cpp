#include "sim/explore/outcome.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "sim/runner/run.hpp"
#include "sim/scenario/nodes.hpp"

namespace routelab::explore {

bool Outcome::fails(const std::string& check) const {
    return std::any_of(failures.begin(), failures.end(), [&](const Failure& f) { return f.check == check; });
}

std::string Size::text() const {
    return fmt::format("{} DC(s), {} rack(s), {} node(s), {} fault(s), {} client(s), {} s at {}/s", datacenters, racks, nodes,
                       faults, clients, duration_s, rate_per_s);
}

Size size_of(const scenario::Scenario& s) {
    Size z;
    std::set<std::string> dcs, racks;
    for (const auto& n : scenario::all_nodes(s.topology)) {
        dcs.insert(n.datacenter);
        racks.insert(n.datacenter + "/" + n.rack);
        ++z.nodes;
    }
    z.datacenters = dcs.size();
    z.racks = racks.size();
    z.faults = s.faults.size();
    z.clients = std::max<std::size_t>(1, s.clients.size());
    z.duration_s = s.workload.duration_s;
    z.rate_per_s = s.workload.rate_per_s;
    return z;
}

Outcome run_doc(const Doc& doc, const runner::WorldOptions& world) {
    Outcome o;
    const auto parsed = parse_doc(doc, "explored.toml");
    if (!parsed) {
        o.error = parsed.error().to_string();
        return o;
    }
    o.valid = true;
    runner::RunOptions options;
    options.seed = parsed.scenario().seed;
    options.world = world;
    const results::RunRecord run = runner::run_scenario(parsed.scenario(), options);
    o.verdict = run.verdict;
    for (const auto& c : run.checks) {
        if (c.passed) continue;
        const std::string name = c.label.empty() ? c.name : c.label;
        if (o.fails(name)) continue;
        std::string detail = c.value_text + " against " + c.limit_text;
        if (!c.detail.empty()) detail += "; " + c.detail;
        o.failures.push_back({name, detail});
    }
    if (o.failures.empty() && run.verdict != "pass") o.failures.push_back({"verdict: " + run.verdict, run.verdict});
    return o;
}

}  // namespace routelab::explore
