// max_speculative_overhead: the extra executions speculative execution starts stay at or
// below `limit` per request (0.1: at most one extra execution per ten requests), over
// the whole scope or (over = "window") in every window. Where: the first window above
// the limit, and its first request that speculated (with its first attempt's node).
#include <fmt/format.h>

#include "sim/checks/builtin.hpp"
#include "sim/checks/rate_tally.hpp"

namespace routelab::checks::builtin {
namespace {

class MaxSpeculativeOverhead final : public Checker {
public:
    explicit MaxSpeculativeOverhead(const CheckSetup& s)
        : Checker(s), tally_(detail::make_tally(*s.params, *s.env)), limit_(s.params->number("limit", 0)),
          operation_(detail::operation_of(*s.params)) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || !detail::operation_matches(operation_, f)) return;
        const int extra = speculative_of(f.history);
        executions_ += static_cast<std::uint64_t>(extra);
        // The node blamed is the first attempt's: the one slow enough to speculate around.
        tally_.add(seconds(f.ended), extra, [&] {
            return detail::Offender{f.ended, f.request, f.history.empty() ? std::string() : node_name(f.history.front().node)};
        });
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        const auto o = tally_.conclude([this](double r) { return r > limit_; });
        out.measure = "speculative executions per request";
        out.value = o.value;
        out.limit = limit_;
        out.value_text = fmt::format("{} ({} extra executions, {} requests)", plain_number(std::round(o.value * 1e4) / 1e4), executions_, o.requests);
        out.limit_text = "<= " + plain_number(limit_);
        out.passed = o.passed;
        if (o.first)
            note_breach(o.first->at, o.first->request, o.first->node,
                        fmt::format("the window from {} s passed the limit first; this request speculated there first",
                                    plain_number(*o.window_start_s)));
    }

    detail::RateTally tally_;
    double limit_;
    detail::Operation operation_;
    std::uint64_t executions_ = 0;
};

}  // namespace

void register_max_speculative_overhead(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "max_speculative_overhead";
    info.summary = "speculative execution adds at most a limit of extra executions per request";
    info.params = detail::rate_params();
    info.params.insert(info.params.begin(), number_param("limit", 0, 1e6, "extra executions per request", true));
    info.create = [](const CheckSetup& s) { return std::make_unique<MaxSpeculativeOverhead>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
