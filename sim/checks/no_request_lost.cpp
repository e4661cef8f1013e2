// no_request_lost: every request issued (inside the scope) has ended by the end of the
// run — with a result or an error, but ended. Value: requests still in flight; limit 0.
// Where: the oldest of them, when it was issued.
#include "sim/checks/builtin.hpp"
#include "sim/checks/in_flight.hpp"

namespace routelab::checks::builtin {
namespace {

class NoRequestLost final : public Checker {
public:
    using Checker::Checker;
    FactMask wants() const override { return mask_of(FactKind::request_issued) | mask_of(FactKind::request_ended); }
    void on_request_issued(const RequestIssued& f) override {
        if (counts(f)) requests_.issued(f.request, f.at);
    }
    void on_request_ended(const RequestEnded& f) override {
        if (counts(f)) requests_.ended(f.request);
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        const auto lost = requests_.in_flight();
        out.measure = "requests never ended";
        out.value = static_cast<double>(lost);
        out.value_text = std::to_string(lost);
        out.limit_text = "0";
        out.passed = lost == 0;
        if (auto oldest = requests_.oldest())
            note_breach(oldest->second, oldest->first, "", "the oldest was issued then and never ended");
    }
    detail::InFlight requests_;
};

}  // namespace

void register_no_request_lost(CheckRegistry& registry) {
    registry.add({"no_request_lost", "every request issued has ended by the end of the run", {}, {},
                  [](const CheckSetup& s) { return std::make_unique<NoRequestLost>(s); }});
}

}  // namespace routelab::checks::builtin
