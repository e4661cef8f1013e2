#include "sim/explore/perturb.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/core/rng.hpp"
#include "sim/scenario/nodes.hpp"

namespace routelab::explore {
namespace {

double uniform(sim::RngStream& rng, double lo, double hi) { return lo + (hi - lo) * rng.unit(); }

double at_of(const Doc& fault) {
    const Doc* at = entry(fault, "at_s");
    return at != nullptr ? number_of(*at).value_or(0) : 0;
}

std::string action_of(const Doc& fault) {
    const Doc* a = entry(fault, "action");
    return a != nullptr && a->is_string() ? a->as_string().str : "?";
}

Variation draw(const Doc& base, const scenario::Scenario& parsed, const ExploreConfig& c, sim::RngStream rng) {
    Variation v{base, parsed.seed, {}};
    Doc& doc = v.doc;
    if (c.vary_seed) {
        v.seed = rng.below(std::uint64_t{1} << 32);
        table_entry(doc, "scenario", "seed") = Doc(static_cast<std::int64_t>(v.seed));
        v.changes.push_back(fmt::format("seed {}", v.seed));
    }
    std::vector<std::string> nodes;
    for (const auto& n : scenario::all_nodes(parsed.topology)) nodes.push_back(n.name);
    const double duration = parsed.workload.duration_s;

    std::size_t kept_originals = 0;   // faults before this index are the file's, after it copies
    auto move = [&](Doc& fault, std::size_t i, bool shift) {
        auto& t = fault.as_table();
        if (shift && c.fault_shift_s > 0) {
            const double at = std::clamp(rounded(at_of(fault) + uniform(rng, -c.fault_shift_s, c.fault_shift_s), 1000), 0.0,
                                         std::max(0.0, rounded(duration - 0.001, 1000)));
            t["at_s"] = Doc(at);
        }
        const bool scale = c.duration_scale_min != 1 || c.duration_scale_max != 1;
        if (const Doc* d = entry(fault, "duration_s"); scale && d != nullptr && number_of(*d).value_or(0) > 0) {
            const double scaled = rounded(*number_of(*d) * uniform(rng, c.duration_scale_min, c.duration_scale_max), 1000);
            t["duration_s"] = Doc(std::max(0.001, scaled));
        }
        if (const Doc* n = entry(fault, "node"); c.retarget_faults && n != nullptr && n->is_string() &&
                                                  std::find(nodes.begin(), nodes.end(), n->as_string().str) != nodes.end()) {
            t["node"] = Doc(nodes[rng.below(nodes.size())]);
        }
        v.changes.push_back(fmt::format("{} {} at {} s{}", i < kept_originals ? "fault" : "added fault", action_of(fault), at_of(fault),
                                        entry(fault, "node") != nullptr && entry(fault, "node")->is_string()
                                            ? " on " + entry(fault, "node")->as_string().str : std::string()));
    };

    if (auto* faults = array_entry(doc, "faults")) {
        const std::vector<Doc> original = *faults;
        std::vector<Doc> kept;
        for (std::size_t i = 0; i < original.size(); ++i) {
            if (rng.unit() < c.drop_fault_chance) {
                v.changes.push_back(fmt::format("dropped the fault {} at {} s", action_of(original[i]), at_of(original[i])));
                continue;
            }
            kept.push_back(original[i]);
        }
        kept_originals = kept.size();
        for (int k = 0; k < c.add_faults && !original.empty(); ++k) {
            if (!rng.chance(1, 2)) continue;
            Doc copy = original[rng.below(original.size())];
            copy.as_table()["at_s"] = Doc(rounded(uniform(rng, 0, duration), 1000));
            kept.push_back(copy);
        }
        for (std::size_t i = 0; i < kept.size(); ++i) move(kept[i], i, true);
        std::stable_sort(kept.begin(), kept.end(), [](const Doc& a, const Doc& b) { return at_of(a) < at_of(b); });
        *faults = kept;
    }
    if (parsed.workload.kind != scenario::WorkloadKind::closed_loop && (c.rate_scale_min != 1 || c.rate_scale_max != 1)) {
        const double rate = rounded(parsed.workload.rate_per_s * uniform(rng, c.rate_scale_min, c.rate_scale_max), 1);
        table_entry(doc, "workload", "rate_per_s") = Doc(std::max(1.0, rate));
        v.changes.push_back(fmt::format("workload.rate_per_s {}", std::max(1.0, rate)));
    }
    return v;
}

}  // namespace

std::optional<Variation> vary(const Doc& base, const scenario::Scenario& parsed, const ExploreConfig& config,
                              std::uint64_t explore_seed, std::size_t index) {
    const sim::Rng root(explore_seed);
    for (int attempt = 0; attempt < 20; ++attempt) {
        Variation v = draw(base, parsed, config, root.stream(fmt::format("explore/run/{}/draw/{}", index, attempt)));
        if (parse_doc(v.doc, "explored").ok()) return v;
    }
    return std::nullopt;
}

}  // namespace routelab::explore
