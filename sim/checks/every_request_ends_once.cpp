// every_request_ends_once: no request ends twice, and nothing ends that was never issued
// (the driver calls a request's callback exactly once). Value: endings that broke the
// rule; limit 0. Where: the first such ending. Requests that never end are
// no_request_lost's to report.
#include "sim/checks/builtin.hpp"
#include "sim/checks/in_flight.hpp"

namespace routelab::checks::builtin {
namespace {

class EveryRequestEndsOnce final : public Checker {
public:
    using Checker::Checker;
    FactMask wants() const override { return mask_of(FactKind::request_issued) | mask_of(FactKind::request_ended); }
    void on_request_issued(const RequestIssued& f) override {
        if (!of_client(f.client)) return;
        if (!requests_.issued(f.request, f.at) && counts(f)) {
            ++bad_;
            note_breach(f.at, f.request, "", "request issued twice");
        }
    }
    void on_request_ended(const RequestEnded& f) override {
        if (!of_client(f.client)) return;
        const auto end = requests_.ended(f.request);
        if (end == detail::InFlight::End::ok || !counts(f)) return;
        ++bad_;
        note_breach(f.ended, f.request, f.answered ? node_name(*f.answered) : "",
                    end == detail::InFlight::End::already_ended ? "request ended a second time" : "a request that was never issued ended");
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = "requests ended twice or never issued";
        out.value = static_cast<double>(bad_);
        out.value_text = std::to_string(bad_);
        out.limit_text = "0";
        out.passed = bad_ == 0;
    }
    detail::InFlight requests_;
    std::uint64_t bad_ = 0;
};

}  // namespace

void register_every_request_ends_once(CheckRegistry& registry) {
    registry.add({"every_request_ends_once", "no request ends twice or without having been issued", {}, {},
                  [](const CheckSetup& s) { return std::make_unique<EveryRequestEndsOnce>(s); }});
}

}  // namespace routelab::checks::builtin
