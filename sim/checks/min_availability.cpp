// min_availability: the fraction of requests (issued inside the scope) that succeeded
// stays at or above `limit`, over the whole scope or (over = "window") in every window.
// Where: the first window below the limit, and its first failed request.
#include <fmt/format.h>

#include "sim/checks/builtin.hpp"
#include "sim/checks/rate_tally.hpp"

namespace routelab::checks::builtin {
namespace {

class MinAvailability final : public Checker {
public:
    explicit MinAvailability(const CheckSetup& s)
        : Checker(s), tally_(detail::make_tally(*s.params, *s.env)), limit_(s.params->number("limit", 1)),
          operation_(detail::operation_of(*s.params)) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || !detail::operation_matches(operation_, f)) return;
        tally_.add(seconds(f.ended), f.ok() ? 0.0 : 1.0, [&] {
            return detail::Offender{f.ended, f.request, f.history.empty() ? std::string() : node_name(f.history.back().node)};
        });
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        // Tallied as the failed fraction: availability = 1 - failed.
        const auto o = tally_.conclude([this](double failed) { return 1.0 - failed < limit_; });
        out.measure = "availability";
        out.value = 1.0 - o.value;
        out.limit = limit_;
        out.value_text = percent(out.value) + fmt::format(" of {} requests", o.requests);
        out.limit_text = ">= " + percent(limit_);
        out.passed = o.passed;
        if (o.first)
            note_breach(o.first->at, o.first->request, o.first->node,
                        fmt::format("the window from {} s fell below the limit first", plain_number(*o.window_start_s)));
    }

    detail::RateTally tally_;
    double limit_;
    detail::Operation operation_;
};

}  // namespace

void register_min_availability(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "min_availability";
    info.summary = "the fraction of requests that succeeded stays at or above a limit";
    info.params = detail::rate_params();
    info.params.insert(info.params.begin(), number_param("limit", 0, 1, "the lowest acceptable success fraction", true));
    info.create = [](const CheckSetup& s) { return std::make_unique<MinAvailability>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
