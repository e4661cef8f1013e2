// max_latency: the `percentile`-th percentile of the latency of requests issued inside
// the scope (successful ones; all with include_errors) stays at or below `limit_ms`,
// over the whole scope or (over = "window") in every window. Where: the first window
// whose percentile is above the limit, and its first request slower than the limit.
//
// Its mirror min_latency (registered here too: it is the same measurement) passes when the
// percentile stays at or above `limit_ms` — the losing side of a comparison ("without
// speculative execution, p99 is at least 20 ms"). Scope mode only; where: the first
// window whose percentile was below the limit, and its first request faster than it.
#include <fmt/format.h>

#include "sim/checks/builtin.hpp"
#include "sim/checks/rate_tally.hpp"
#include "sim/core/histogram.hpp"

namespace routelab::checks::builtin {
namespace {

class MaxLatency final : public Checker {
public:
    MaxLatency(const CheckSetup& s, bool lower_bound)
        : Checker(s), lower_(lower_bound), quantile_(s.params->number("percentile", 99) / 100.0),
          limit_ns_(static_cast<std::int64_t>(s.params->number("limit_ms", 0) * 1e6)),
          include_errors_(s.params->flag("include_errors", false)), over_windows_(s.params->text("over", "scope") == "window"),
          min_requests_(detail::min_requests_of(*s.params)),
          window_ns_(static_cast<std::int64_t>(s.params->number("window_s", s.env->window_s) * 1e9)),
          operation_(detail::operation_of(*s.params)), percentile_text_(plain_number(s.params->number("percentile", 99))) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || !detail::operation_matches(operation_, f) || (!f.ok() && !include_errors_)) return;
        const std::int64_t index = std::max<std::int64_t>((f.ended - origin()).ns(), 0) / window_ns_;
        if (index != window_index_) {
            close_window();
            window_index_ = index;
        }
        const std::int64_t latency = f.latency().ns();
        overall_.record(latency);
        window_.record(latency);
        if (breaks(latency) && !window_slow_)
            window_slow_ = detail::Offender{f.ended, f.request, f.answered ? node_name(*f.answered)
                                                                 : f.history.empty() ? std::string()
                                                                                     : node_name(f.history.back().node)};
    }

private:
    struct Located {
        detail::Offender offender;
        double window_s = 0;
        std::int64_t percentile_ns = 0;
    };
    // Whether a latency (or a percentile) is on the wrong side of the limit.
    bool breaks(std::int64_t ns) const { return lower_ ? ns < limit_ns_ : ns > limit_ns_; }
    void close_window() {
        if (window_.count() == 0) return;
        const std::int64_t p = window_.quantile(quantile_);
        const bool enough = window_.count() >= min_requests_;
        if (enough) {
            worst_ns_ = std::max(worst_ns_, p);
            judged_ = true;
        }
        if (breaks(p) && window_slow_) {
            // Windows with enough requests locate the breach before thin ones.
            const Located here{*window_slow_, static_cast<double>(window_index_) * static_cast<double>(window_ns_) / 1e9, p};
            if (enough && !first_enough_) first_enough_ = here;
            if (!first_any_) first_any_ = here;
        }
        window_.clear();
        window_slow_.reset();
    }
    void conclude(sim::Time, results::CheckRecord& out) override {
        close_window();
        const std::int64_t value = over_windows_ ? worst_ns_ : overall_.quantile(quantile_);
        const bool judged = over_windows_ ? judged_ : overall_.count() >= min_requests_;
        out.measure = "p" + percentile_text_ + " latency" + (over_windows_ ? " (worst window)" : "");
        out.value = static_cast<double>(value) / 1e6;
        out.limit = static_cast<double>(limit_ns_) / 1e6;
        out.value_text = milliseconds(out.value) + fmt::format(" over {} requests", overall_.count());
        out.limit_text = (lower_ ? ">= " : "<= ") + milliseconds(out.limit);
        out.passed = !judged || !breaks(value);
        const auto& first = first_enough_ ? first_enough_ : first_any_;
        if (!out.passed && first)
            note_breach(first->offender.at, first->offender.request, first->offender.node,
                        fmt::format("the window from {} s had p{} {}; this request was the first there {} than the limit",
                                    plain_number(first->window_s), percentile_text_,
                                    milliseconds(static_cast<double>(first->percentile_ns) / 1e6), lower_ ? "faster" : "slower"));
    }

    bool lower_;
    double quantile_;
    std::int64_t limit_ns_;
    bool include_errors_;
    bool over_windows_;
    std::uint64_t min_requests_;
    std::int64_t window_ns_;
    detail::Operation operation_;
    std::string percentile_text_;
    sim::LatencyHistogram overall_;
    sim::LatencyHistogram window_;
    std::int64_t window_index_ = 0;
    std::optional<detail::Offender> window_slow_;
    std::int64_t worst_ns_ = 0;
    bool judged_ = false;
    std::optional<Located> first_enough_;
    std::optional<Located> first_any_;
};

}  // namespace

namespace {

CheckerInfo latency_info(bool lower_bound) {
    CheckerInfo info;
    info.name = lower_bound ? "min_latency" : "max_latency";
    info.summary = lower_bound ? "a latency percentile stays at or above a limit (the losing side of a comparison)"
                               : "a latency percentile stays at or below a limit";
    for (auto& p : detail::rate_params())
        if (!lower_bound || (p.name != "over" && p.name != "window_s")) info.params.push_back(p);
    ParamSpec percentile = number_param("percentile", 0, 100, "which percentile (default 99)");
    percentile.min_exclusive = true;
    ParamSpec limit = number_param("limit_ms", 0, 1e9,
                                   lower_bound ? "the lowest latency expected, milliseconds" : "the highest acceptable latency, milliseconds", true);
    limit.min_exclusive = true;
    info.params.insert(info.params.begin(), {limit, percentile, boolean_param("include_errors", "count failed requests' latency too (default false)")});
    info.create = [lower_bound](const CheckSetup& s) { return std::make_unique<MaxLatency>(s, lower_bound); };
    return info;
}

}  // namespace

void register_max_latency(CheckRegistry& registry) {
    registry.add(latency_info(false));
    registry.add(latency_info(true));
}

}  // namespace routelab::checks::builtin
