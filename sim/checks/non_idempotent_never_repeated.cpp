// non_idempotent_never_repeated: a request marked non-idempotent is never sent again
// while an earlier attempt of it may have been applied — one still running (a
// speculative execution beside it), or one that failed in a way that may have applied
// the write (a lost connection, a write timeout, an overloaded or server error: the
// driver's own may_have_applied rule). Repeats after errors that prove nothing ran
// (unavailable, bootstrapping, unprepared) are fine. Value: requests repeated; limit 0.
// Where: the first repeat.
#include <fmt/format.h>

#include "driver/policy/attempt_error.hpp"
#include "driver/policy/retry.hpp"
#include "sim/checks/builtin.hpp"

namespace routelab::checks::builtin {
namespace {

// Whether attempt `a` may have applied the write by `when`.
bool may_have_applied_by(const driver::Attempt& a, sim::Time when) {
    if (a.outcome == driver::AttemptOutcome::pending || a.end > when) return true;   // still running then
    switch (a.outcome) {
        case driver::AttemptOutcome::ok:
        case driver::AttemptOutcome::connection_lost:
        case driver::AttemptOutcome::pending: return true;
        case driver::AttemptOutcome::server_error: return driver::may_have_applied(driver::attempt_error_from_code(a.error_code));
    }
    return true;
}

class NonIdempotentNeverRepeated final : public Checker {
public:
    using Checker::Checker;
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (f.idempotent || !counts(f)) return;
        ++checked_;
        for (std::size_t j = 1; j < f.history.size(); ++j)
            for (std::size_t i = 0; i < j; ++i) {
                if (!may_have_applied_by(f.history[i], f.history[j].start)) continue;
                ++repeated_;
                note_breach(f.history[j].start, f.request, node_name(f.history[j].node),
                            fmt::format("attempt {} ({}) started while attempt {} on {} may have applied the write", j,
                                        f.history[j].speculative ? "speculative" : "retry", i, node_name(f.history[i].node)));
                return;
            }
    }

private:
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = "non-idempotent requests repeated";
        out.value = static_cast<double>(repeated_);
        out.value_text = fmt::format("{} of {}", repeated_, checked_);
        out.limit_text = "0";
        out.passed = repeated_ == 0;
    }

    std::uint64_t checked_ = 0;
    std::uint64_t repeated_ = 0;
};

}  // namespace

void register_non_idempotent_never_repeated(CheckRegistry& registry) {
    registry.add({"non_idempotent_never_repeated", "a non-idempotent request is never sent again while it may have been applied", {}, {},
                  [](const CheckSetup& s) { return std::make_unique<NonIdempotentNeverRepeated>(s); }});
}

}  // namespace routelab::checks::builtin
