// max_availability: the fraction of requests (issued inside the scope) that succeeded
// stays at or below `limit` — the mirror of min_availability, for the variant of a
// comparison that is meant to lose (e.g. "without DC failover, under 1% of the requests
// issued during the outage succeed"). Scope mode only: the ratio over the whole scope.
// Where: the first window whose ratio was above the limit, and its first success.
#include <fmt/format.h>

#include "sim/checks/builtin.hpp"
#include "sim/checks/rate_tally.hpp"

namespace routelab::checks::builtin {
namespace {

class MaxAvailability final : public Checker {
public:
    explicit MaxAvailability(const CheckSetup& s)
        : Checker(s), tally_(detail::make_tally(*s.params, *s.env)), limit_(s.params->number("limit", 0)),
          operation_(detail::operation_of(*s.params)) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || !detail::operation_matches(operation_, f)) return;
        // Tallied as the succeeded fraction: here a success is what breaks the limit.
        tally_.add(seconds(f.ended), f.ok() ? 1.0 : 0.0, [&] {
            return detail::Offender{f.ended, f.request, f.answered ? node_name(*f.answered) : std::string()};
        });
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        const auto o = tally_.conclude([this](double succeeded) { return succeeded > limit_; });
        out.measure = "availability";
        out.value = o.value;
        out.limit = limit_;
        out.value_text = percent(out.value) + fmt::format(" of {} requests", o.requests);
        out.limit_text = "<= " + percent(limit_);
        out.passed = o.passed;
        if (o.first)
            note_breach(o.first->at, o.first->request, o.first->node,
                        fmt::format("the window from {} s was above the limit first; this request was its first success",
                                    plain_number(*o.window_start_s)));
    }

    detail::RateTally tally_;
    double limit_;
    detail::Operation operation_;
};

}  // namespace

void register_max_availability(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "max_availability";
    info.summary = "the fraction of requests that succeeded stays at or below a limit (the losing side of a comparison)";
    for (auto& p : detail::rate_params())
        if (p.name != "over" && p.name != "window_s") info.params.push_back(p);
    info.params.insert(info.params.begin(), number_param("limit", 0, 1, "the highest success fraction expected", true));
    info.create = [](const CheckSetup& s) { return std::make_unique<MaxAvailability>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
