// Retry decision tables (reference §5.1–5.3) row by row, and speculative execution plans
// (§6): example tests.
#include <catch2/catch.hpp>

#include "driver/policy/consistency.hpp"
#include "driver/policy/retry.hpp"
#include "driver/policy/speculative.hpp"

using namespace routelab;
using namespace routelab::driver;

namespace {

AttemptError err(AttemptErrorKind kind) { return AttemptError{kind}; }
AttemptError read_timeout(int received, int block_for, bool data_present) {
    AttemptError e{AttemptErrorKind::read_timeout};
    e.received = received;
    e.block_for = block_for;
    e.data_present = data_present;
    return e;
}
AttemptError write_timeout(WriteType type, int received = 0) {
    AttemptError e{AttemptErrorKind::write_timeout};
    e.write_type = type;
    e.received = received;
    e.block_for = 2;
    return e;
}
AttemptError unavailable(int alive) {
    AttemptError e{AttemptErrorKind::unavailable};
    e.received = alive;
    e.block_for = 3;
    return e;
}
RetryInput in(AttemptError e, bool idempotent, std::uint16_t cl = consistency::quorum, RetryState s = {}) {
    return RetryInput{e, cl, idempotent, s, 10};
}
const RetryDecision rethrow{RetryAction::rethrow, std::nullopt};
const RetryDecision next{RetryAction::retry_next_target, std::nullopt};
const RetryDecision same{RetryAction::retry_same_target, std::nullopt};
RetryDecision same_cl(std::uint16_t cl) { return {RetryAction::retry_same_target, cl}; }

}  // namespace

TEST_CASE("default retry policy table") {
    SECTION("serial CL: never retried") {
        CHECK(decide_default(in(unavailable(1), true, consistency::serial)) == rethrow);
        CHECK(decide_default(in(err(AttemptErrorKind::is_bootstrapping), true, consistency::local_serial)) == rethrow);
    }
    SECTION("broken connection, overloaded, server error, truncate: next target if idempotent") {
        for (auto k : {AttemptErrorKind::broken_connection, AttemptErrorKind::overloaded, AttemptErrorKind::server_error,
                       AttemptErrorKind::truncate_error}) {
            CHECK(decide_default(in(err(k), true)) == next);
            CHECK(decide_default(in(err(k), false)) == rethrow);
        }
    }
    SECTION("unavailable: next target once, idempotence irrelevant") {
        CHECK(decide_default(in(unavailable(1), false)) == next);
        RetryState s;
        s.unavailable_retried = true;
        CHECK(decide_default(in(unavailable(1), true, consistency::quorum, s)) == rethrow);
    }
    SECTION("read timeout: same target once when enough replied but no data") {
        CHECK(decide_default(in(read_timeout(2, 2, false), false)) == same);
        CHECK(decide_default(in(read_timeout(1, 2, false), true)) == rethrow);
        CHECK(decide_default(in(read_timeout(2, 2, true), true)) == rethrow);
        RetryState s;
        s.read_timeout_retried = true;
        CHECK(decide_default(in(read_timeout(2, 2, false), true, consistency::quorum, s)) == rethrow);
        // Per-kind flags: a read-timeout retry does not use up the unavailable one.
        CHECK(decide_default(in(unavailable(1), true, consistency::quorum, s)) == next);
    }
    SECTION("write timeout: only idempotent BATCH_LOG, once") {
        CHECK(decide_default(in(write_timeout(WriteType::batch_log), true)) == same);
        CHECK(decide_default(in(write_timeout(WriteType::batch_log), false)) == rethrow);
        CHECK(decide_default(in(write_timeout(WriteType::simple), true)) == rethrow);
    }
    SECTION("bootstrapping, no stream id: next target always") {
        CHECK(decide_default(in(err(AttemptErrorKind::is_bootstrapping), false)) == next);
        CHECK(decide_default(in(err(AttemptErrorKind::no_stream_id), false)) == next);
    }
    SECTION("everything else: rethrow") {
        for (auto k : {AttemptErrorKind::read_failure, AttemptErrorKind::write_failure, AttemptErrorKind::unprepared,
                       AttemptErrorKind::syntax_error, AttemptErrorKind::invalid, AttemptErrorKind::rate_limit_reached,
                       AttemptErrorKind::other})
            CHECK(decide_default(in(err(k), true)) == rethrow);
    }
    SECTION("the retry budget bounds next-target chains") {
        RetryState s;
        s.retries = 10;
        CHECK(decide_default(in(err(AttemptErrorKind::is_bootstrapping), true, consistency::one, s)) == rethrow);
    }
}

TEST_CASE("downgrading-consistency retry policy table") {
    SECTION("serial CL: unavailable → next target; anything else rethrow") {
        CHECK(decide_downgrading(in(unavailable(0), true, consistency::serial)) == next);
        CHECK(decide_downgrading(in(read_timeout(2, 2, false), true, consistency::serial)) == rethrow);
    }
    SECTION("unavailable: the CL that is likely to work") {
        CHECK(decide_downgrading(in(unavailable(3), false)) == same_cl(consistency::three));
        CHECK(decide_downgrading(in(unavailable(2), false)) == same_cl(consistency::two));
        CHECK(decide_downgrading(in(unavailable(1), false)) == same_cl(consistency::one));
        CHECK(decide_downgrading(in(unavailable(0), false)) == rethrow);
        CHECK(decide_downgrading(in(unavailable(0), false, consistency::each_quorum)) == same_cl(consistency::one));
    }
    SECTION("read timeout") {
        CHECK(decide_downgrading(in(read_timeout(1, 2, false), false)) == same_cl(consistency::one));
        CHECK(decide_downgrading(in(read_timeout(2, 2, false), false)) == same);
        CHECK(decide_downgrading(in(read_timeout(2, 2, true), false)) == rethrow);
    }
    SECTION("write timeout") {
        CHECK(decide_downgrading(in(write_timeout(WriteType::simple, 1), false)) == rethrow);
        CHECK(decide_downgrading(in(write_timeout(WriteType::simple, 1), true)) ==
              RetryDecision{RetryAction::ignore, std::nullopt});
        CHECK(decide_downgrading(in(write_timeout(WriteType::batch, 0), true)) == rethrow);
        CHECK(decide_downgrading(in(write_timeout(WriteType::unlogged_batch, 2), true)) == same_cl(consistency::two));
        CHECK(decide_downgrading(in(write_timeout(WriteType::batch_log), true)) == same);
        CHECK(decide_downgrading(in(write_timeout(WriteType::counter, 1), true)) == rethrow);
        CHECK(decide_downgrading(in(write_timeout(WriteType::cas, 1), true)) == rethrow);
    }
    SECTION("one flag for unavailable and timeouts together") {
        RetryState s;
        s.any_downgrade_retried = true;
        CHECK(decide_downgrading(in(unavailable(3), true, consistency::quorum, s)) == rethrow);
        CHECK(decide_downgrading(in(read_timeout(2, 2, false), true, consistency::quorum, s)) == rethrow);
    }
}

TEST_CASE("fallthrough never retries; retry sessions record their flags") {
    CHECK(decide_fallthrough(in(err(AttemptErrorKind::is_bootstrapping), true)) == rethrow);
    RetrySession session(RetryPolicyKind::default_policy, 10);
    CHECK(session.decide(unavailable(1), consistency::quorum, true) == next);
    CHECK(session.decide(unavailable(1), consistency::quorum, true) == rethrow);
    CHECK(session.state().retries == 1);
}

TEST_CASE("speculative execution plans") {
    using namespace sim::literals;
    ConstantSpeculativeExecution constant(2, 50_ms);
    CHECK(constant.plan(true) == SpeculativePlan{2, 50_ms});
    CHECK(constant.plan(false) == SpeculativePlan{});

    PercentileSpeculativeExecution percentile(1, 99.0);
    CHECK(percentile.plan(true) == SpeculativePlan{1, PercentileSpeculativeExecution::empty_delay});
    for (int i = 1; i <= 100; ++i) percentile.on_attempt_success(sim::Duration::from_ms(i));
    const auto plan = percentile.plan(true);
    CHECK(plan.extra_executions_max == 1);
    CHECK(plan.delay >= 98_ms);
    CHECK(plan.delay <= 101_ms);
    CHECK(percentile.plan(false).extra_executions_max == 0);
    CHECK(NoSpeculativeExecution().plan(true).extra_executions_max == 0);
}
