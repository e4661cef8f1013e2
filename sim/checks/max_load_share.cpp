// max_load_share: no single node (by = "node") or datacenter (by = "dc") takes more than
// `limit` of the load — attempts sent (count = "attempts") or successful requests
// answered (count = "answers") — over the whole scope or (over = "window") in every
// window with at least min_requests. Where: the first window in which the busiest one
// passed the limit, and its first request there.
//
// Its mirror min_load_share (registered here too) passes when the busiest one takes at
// least `limit` — the losing side of a comparison ("token aware without shuffling sends
// over half of a hot partition's load to one replica"). Scope mode only; where: the
// first window whose busiest one stayed under the limit, and its first request there.
#include <algorithm>

#include <fmt/format.h>

#include "sim/checks/builtin.hpp"
#include "sim/checks/rate_tally.hpp"

namespace routelab::checks::builtin {
namespace {

class MaxLoadShare final : public Checker {
public:
    MaxLoadShare(const CheckSetup& s, bool lower_bound)
        : Checker(s), lower_(lower_bound), limit_(s.params->number("limit", 1)), by_dc_(s.params->text("by", "node") == "dc"),
          answers_(s.params->text("count", "attempts") == "answers"), over_windows_(s.params->text("over", "scope") == "window"),
          min_requests_(detail::min_requests_of(*s.params)),
          window_s_(s.params->number("window_s", s.env->window_s)), operation_(detail::operation_of(*s.params)) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || !detail::operation_matches(operation_, f)) return;
        if (answers_) {
            if (f.answered) add(f, *f.answered);
        } else {
            for (const auto& a : f.history) add(f, a.node);
        }
    }

private:
    struct Window {
        std::vector<std::uint64_t> load;                    // by group
        std::vector<std::optional<detail::Offender>> first; // by group: its first request here
        std::uint64_t total = 0;
    };
    std::size_t groups() const { return by_dc_ ? env().datacenters.size() : world().node_count(); }
    std::string group_name(std::size_t g) const { return by_dc_ ? env().datacenters[g] : world().node_name(g); }
    void add(const RequestEnded& f, driver::NodeIndex driver_node) {
        const auto node = world().node_of(driver_node);
        if (!node) return;
        std::size_t group = *node;
        if (by_dc_) {
            const auto& dcs = env().datacenters;
            group = static_cast<std::size_t>(std::find(dcs.begin(), dcs.end(), world().node_datacenter(*node)) - dcs.begin());
        }
        if (group >= groups()) return;
        const auto index = static_cast<std::size_t>(std::max(0.0, seconds(f.ended)) / window_s_);
        if (index >= windows_.size()) windows_.resize(index + 1);
        Window& w = windows_[index];
        if (w.load.size() < groups()) {
            w.load.resize(groups());
            w.first.resize(groups());
        }
        ++w.load[group];
        ++w.total;
        if (!w.first[group]) w.first[group] = detail::Offender{f.ended, f.request, world().node_name(*node)};
    }
    // Whether the busiest one's share is on the wrong side of the limit.
    bool breaks(double share) const { return lower_ ? share < limit_ : share > limit_; }
    // The busiest group of a set of counts, and its share.
    static std::pair<std::size_t, double> busiest(const std::vector<std::uint64_t>& load, std::uint64_t total) {
        std::size_t best = 0;
        for (std::size_t g = 1; g < load.size(); ++g)
            if (load[g] > load[best]) best = g;
        return {best, total == 0 || load.empty() ? 0.0 : static_cast<double>(load[best]) / static_cast<double>(total)};
    }
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = std::string("busiest ") + (by_dc_ ? "datacenter" : "node") + "'s share of " + (answers_ ? "answers" : "attempts");
        out.limit = limit_;
        out.limit_text = (lower_ ? ">= " : "<= ") + percent(limit_);
        std::optional<std::size_t> offender_group;
        double value = 0;
        std::string who;
        if (!over_windows_) {
            std::vector<std::uint64_t> load(groups(), 0);
            std::uint64_t total = 0;
            for (const auto& w : windows_) {
                for (std::size_t g = 0; g < w.load.size(); ++g) load[g] += w.load[g];
                total += w.total;
            }
            const auto [g, share] = busiest(load, total);
            value = share;
            if (total > 0) who = group_name(g);
            out.passed = total < min_requests_ || !breaks(share);
            if (!out.passed) offender_group = g;
        } else {
            out.passed = true;
            for (const auto& w : windows_) {
                if (w.total < min_requests_ || w.total == 0) continue;
                const auto [g, share] = busiest(w.load, w.total);
                if (share > value || who.empty()) {
                    value = share;
                    who = group_name(g);
                }
                if (share > limit_) out.passed = false;
            }
        }
        out.value = value;
        out.value_text = percent(value) + (who.empty() ? "" : " (" + who + ")");
        if (out.passed) return;
        // The first window where a group (the scope's busiest, in scope mode) passed the limit.
        for (std::size_t i = 0; i < windows_.size(); ++i) {
            const auto& w = windows_[i];
            if (w.total == 0 || (over_windows_ && w.total < min_requests_)) continue;
            const std::size_t g = offender_group ? *offender_group : busiest(w.load, w.total).first;
            if (g >= w.load.size() || !breaks(static_cast<double>(w.load[g]) / static_cast<double>(w.total)) || !w.first[g]) continue;
            note_breach(w.first[g]->at, w.first[g]->request, w.first[g]->node,
                        fmt::format("{} took {} of the window from {} s", group_name(g),
                                    percent(static_cast<double>(w.load[g]) / static_cast<double>(w.total)), plain_number(static_cast<double>(i) * window_s_)));
            break;
        }
    }

    bool lower_;
    double limit_;
    bool by_dc_;
    bool answers_;
    bool over_windows_;
    std::uint64_t min_requests_;
    double window_s_;
    detail::Operation operation_;
    std::vector<Window> windows_;
};

}  // namespace

namespace {

CheckerInfo load_share_info(bool lower_bound) {
    CheckerInfo info;
    info.name = lower_bound ? "min_load_share" : "max_load_share";
    info.summary = lower_bound ? "the busiest node (or datacenter) takes at least a share of the load (the losing side of a comparison)"
                               : "no node (or datacenter) takes more than a share of the load";
    for (auto& p : detail::rate_params())
        if (!lower_bound || (p.name != "over" && p.name != "window_s")) info.params.push_back(p);
    ParamSpec limit = number_param("limit", 0, 1, lower_bound ? "the lowest share the busiest one is expected to take" : "the highest acceptable share", true);
    limit.min_exclusive = true;
    info.params.insert(info.params.begin(), {limit, choice_param("by", {"node", "dc"}, "per node (default) or per datacenter"),
                                             choice_param("count", {"attempts", "answers"}, "attempts sent (default) or successful answers")});
    info.create = [lower_bound](const CheckSetup& s) { return std::make_unique<MaxLoadShare>(s, lower_bound); };
    return info;
}

}  // namespace

void register_max_load_share(CheckRegistry& registry) {
    registry.add(load_share_info(false));
    registry.add(load_share_info(true));
}

}  // namespace routelab::checks::builtin
