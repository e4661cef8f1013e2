// max_retries_per_request: no request (issued inside the scope) makes more than `limit`
// retries — attempts after the first of an execution, caused by the retry policy
// (speculative executions and the repeat after a re-prepare are not retries). Value: the
// most retries a request made. Where: the first request above the limit, when it ended,
// and the node of its first attempt.
#include <algorithm>

#include <fmt/format.h>

#include "sim/checks/builtin.hpp"

namespace routelab::checks::builtin {
namespace {

class MaxRetriesPerRequest final : public Checker {
public:
    explicit MaxRetriesPerRequest(const CheckSetup& s) : Checker(s), limit_(static_cast<int>(s.params->number("limit", 0))) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f)) return;
        const int retries = retries_of(f.history);
        most_ = std::max(most_, retries);
        total_ += static_cast<std::uint64_t>(retries);
        if (retries <= limit_) return;
        ++over_;
        // The node blamed is the first attempt's: where the trouble began.
        note_breach(f.ended, f.request, f.history.empty() ? "" : node_name(f.history.front().node),
                    fmt::format("{} retries over {} attempts, ending with {}", retries, f.history.size(), to_string(f.error)));
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = "most retries of one request";
        out.value = most_;
        out.limit = limit_;
        out.value_text = fmt::format("{} ({} requests above the limit, {} retries in all)", most_, over_, total_);
        out.limit_text = "<= " + std::to_string(limit_);
        out.passed = over_ == 0;
    }

    int limit_;
    int most_ = 0;
    std::uint64_t over_ = 0;
    std::uint64_t total_ = 0;
};

}  // namespace

void register_max_retries_per_request(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "max_retries_per_request";
    info.summary = "no request retries more than a limit";
    info.params = {integer_param("limit", 0, 1e6, "the most retries a request may make", true)};
    info.create = [](const CheckSetup& s) { return std::make_unique<MaxRetriesPerRequest>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
