// max_error_rate: the fraction of requests (issued inside the scope) that ended with an
// error — any error, or only the listed kinds — stays at or below `limit`, over the whole
// scope or (over = "window") in every window. Where: the first window above the limit,
// and its first failed request.
#include <array>

#include <fmt/format.h>

#include "sim/checks/builtin.hpp"
#include "sim/checks/rate_tally.hpp"

namespace routelab::checks::builtin {
namespace {

class MaxErrorRate final : public Checker {
public:
    explicit MaxErrorRate(const CheckSetup& s)
        : Checker(s), tally_(detail::make_tally(*s.params, *s.env)), limit_(s.params->number("limit", 0)),
          operation_(detail::operation_of(*s.params)) {
        const auto kinds = s.params->list("kinds");
        for (std::size_t k = 1; k < error_kind_count; ++k) counted_[k] = kinds.empty();
        for (const auto& name : kinds)
            if (auto kind = error_kind_from_name(name)) counted_[static_cast<std::size_t>(*kind)] = true;
        for (const auto& name : kinds) kinds_text_ += (kinds_text_.empty() ? "" : ", ") + name;
    }
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || !detail::operation_matches(operation_, f)) return;
        const bool bad = counted_[static_cast<std::size_t>(f.error)];
        failed_ += bad ? 1 : 0;
        tally_.add(seconds(f.ended), bad ? 1.0 : 0.0, [&] {
            return detail::Offender{f.ended, f.request, f.history.empty() ? std::string() : node_name(f.history.back().node)};
        });
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        const auto o = tally_.conclude([this](double r) { return r > limit_; });
        out.measure = kinds_text_.empty() ? "error rate" : "error rate (" + kinds_text_ + ")";
        out.value = o.value;
        out.limit = limit_;
        out.value_text = percent(o.value) + fmt::format(" of {} requests", o.requests);
        out.limit_text = "<= " + percent(limit_);
        out.passed = o.passed;
        if (o.first)
            note_breach(o.first->at, o.first->request, o.first->node,
                        fmt::format("{} failed requests in scope; the window from {} s broke the limit first", failed_,
                                    plain_number(*o.window_start_s)));
    }

    detail::RateTally tally_;
    double limit_;
    detail::Operation operation_;
    std::array<bool, error_kind_count> counted_{};
    std::string kinds_text_;
    std::uint64_t failed_ = 0;
};

}  // namespace

void register_max_error_rate(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "max_error_rate";
    info.summary = "the fraction of requests that failed (any error, or the listed kinds) stays at or below a limit";
    info.params = detail::rate_params();
    info.params.insert(info.params.begin(), number_param("limit", 0, 1, "the highest acceptable error fraction", true));
    ParamSpec kinds;
    kinds.name = "kinds";
    kinds.type = ParamType::choice_list;
    for (auto name : error_kind_names()) kinds.choices.emplace_back(name);
    kinds.help = "error kinds counted (default: every kind)";
    info.params.insert(info.params.begin() + 1, kinds);
    info.create = [](const CheckSetup& s) { return std::make_unique<MaxErrorRate>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
