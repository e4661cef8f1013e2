// max_retry_overhead: the retries the retry policy makes stay at or below `limit` per
// request on average (0.5: one retry per two requests) — the load a retry policy adds on
// top of the offered load. Over the whole scope or (over = "window") in every window.
// Where: the first window above the limit, and its first request that retried.
//
// Its mirror min_retry_overhead (registered here too) passes when the retries per
// request stay at or above `limit` — the costly side of a comparison ("the default
// policy sends at least 1.2 retries per request into an overloaded cluster"). Scope mode
// only; where: the first window below the limit, and its first request.
// Retries are counted as max_retries_per_request counts them (retries_of in facts.hpp).
#include <fmt/format.h>

#include "sim/checks/builtin.hpp"
#include "sim/checks/rate_tally.hpp"

namespace routelab::checks::builtin {
namespace {

class RetryOverhead final : public Checker {
public:
    RetryOverhead(const CheckSetup& s, bool lower_bound)
        : Checker(s), lower_(lower_bound), tally_(detail::make_tally(*s.params, *s.env)), limit_(s.params->number("limit", 0)),
          operation_(detail::operation_of(*s.params)) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || !detail::operation_matches(operation_, f)) return;
        const int retries = retries_of(f.history);
        retries_ += static_cast<std::uint64_t>(retries);
        // The tally keeps each window's first request with a retry (upper bound) or its
        // first request at all (lower bound: a window with too few retries).
        const double counted = static_cast<double>(retries);
        auto offender = [&] {
            return detail::Offender{f.ended, f.request, f.history.empty() ? std::string() : node_name(f.history.front().node)};
        };
        if (lower_) tally_.add_located(seconds(f.ended), counted, offender);
        else tally_.add(seconds(f.ended), counted, offender);
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        const auto o = tally_.conclude([this](double r) { return lower_ ? r < limit_ : r > limit_; });
        out.measure = "retries per request";
        out.value = o.value;
        out.limit = limit_;
        out.value_text = fmt::format("{} ({} retries, {} requests)", plain_number(std::round(o.value * 1e4) / 1e4), retries_, o.requests);
        out.limit_text = (lower_ ? ">= " : "<= ") + plain_number(limit_);
        out.passed = o.passed;
        if (o.first)
            note_breach(o.first->at, o.first->request, o.first->node,
                        fmt::format("the window from {} s was on the wrong side of the limit first", plain_number(*o.window_start_s)));
    }

    bool lower_;
    detail::RateTally tally_;
    double limit_;
    detail::Operation operation_;
    std::uint64_t retries_ = 0;
};

CheckerInfo retry_overhead_info(bool lower_bound) {
    CheckerInfo info;
    info.name = lower_bound ? "min_retry_overhead" : "max_retry_overhead";
    info.summary = lower_bound ? "the retry policy makes at least a limit of retries per request (the costly side of a comparison)"
                               : "the retry policy makes at most a limit of retries per request";
    for (auto& p : detail::rate_params())
        if (!lower_bound || (p.name != "over" && p.name != "window_s")) info.params.push_back(p);
    info.params.insert(info.params.begin(), number_param("limit", 0, 1e6, "retries per request", true));
    info.create = [lower_bound](const CheckSetup& s) { return std::make_unique<RetryOverhead>(s, lower_bound); };
    return info;
}

}  // namespace

void register_max_retry_overhead(CheckRegistry& registry) {
    registry.add(retry_overhead_info(false));
    registry.add(retry_overhead_info(true));
}

}  // namespace routelab::checks::builtin
