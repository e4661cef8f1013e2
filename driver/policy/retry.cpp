#include "driver/policy/retry.hpp"

#include "driver/policy/consistency.hpp"

namespace routelab::driver {

namespace {

constexpr RetryDecision rethrow() { return {RetryAction::rethrow, std::nullopt}; }
constexpr RetryDecision next(std::optional<std::uint16_t> cl = std::nullopt) { return {RetryAction::retry_next_target, cl}; }
constexpr RetryDecision same(std::optional<std::uint16_t> cl = std::nullopt) { return {RetryAction::retry_same_target, cl}; }
constexpr RetryDecision ignore() { return {RetryAction::ignore, std::nullopt}; }

bool is_serial(std::uint16_t cl) { return cl == consistency::serial || cl == consistency::local_serial; }

// A retry beyond the budget becomes a rethrow; other decisions pass.
RetryDecision bounded(const RetryInput& input, RetryDecision d) {
    const bool retry = d.action == RetryAction::retry_same_target || d.action == RetryAction::retry_next_target;
    if (retry && input.state.retries >= input.retries_max) return rethrow();
    return d;
}

RetryDecision from_cl(std::optional<std::uint16_t> cl) { return cl ? same(cl) : rethrow(); }

}  // namespace

bool may_have_applied(const AttemptError& error) {
    switch (error.kind) {
        case AttemptErrorKind::broken_connection:
        case AttemptErrorKind::write_timeout:
        case AttemptErrorKind::server_error:
        case AttemptErrorKind::overloaded:
        case AttemptErrorKind::truncate_error:
        case AttemptErrorKind::write_failure:
        case AttemptErrorKind::cas_write_unknown:
        case AttemptErrorKind::cdc_write_failure:
        case AttemptErrorKind::other:
            return true;
        default:
            return false;
    }
}

std::optional<std::uint16_t> max_likely_to_work_cl(std::int32_t alive, std::uint16_t previous_cl) {
    if (alive >= 3) return consistency::three;
    if (alive == 2) return consistency::two;
    if (alive == 1 || previous_cl == consistency::each_quorum) return consistency::one;
    return std::nullopt;
}

RetryDecision decide_default(const RetryInput& in) {
    if (is_serial(in.consistency)) return rethrow();
    const AttemptError& e = in.error;
    switch (e.kind) {
        case AttemptErrorKind::broken_connection:
        case AttemptErrorKind::overloaded:
        case AttemptErrorKind::server_error:
        case AttemptErrorKind::truncate_error:
            return bounded(in, in.is_idempotent ? next() : rethrow());
        case AttemptErrorKind::unavailable:
            return bounded(in, in.state.unavailable_retried ? rethrow() : next());
        case AttemptErrorKind::read_timeout:
            return bounded(in, !in.state.read_timeout_retried && e.received >= e.block_for && !e.data_present ? same()
                                                                                                             : rethrow());
        case AttemptErrorKind::write_timeout:
            return bounded(in, !in.state.write_timeout_retried && in.is_idempotent && e.write_type == WriteType::batch_log
                                   ? same()
                                   : rethrow());
        case AttemptErrorKind::is_bootstrapping:
        case AttemptErrorKind::no_stream_id:
        case AttemptErrorKind::connection_unavailable:  // never sent: always safe
            return bounded(in, next());
        default:
            return rethrow();
    }
}

RetryDecision decide_downgrading(const RetryInput& in) {
    const AttemptError& e = in.error;
    if (is_serial(in.consistency)) {
        // Paxos phase failed for lack of replicas: the coordinator may be isolated. Once
        // (the shared was_retry flag), so a partitioned cluster does not walk the plan.
        if (e.kind != AttemptErrorKind::unavailable || in.state.any_downgrade_retried) return rethrow();
        return bounded(in, next());
    }
    switch (e.kind) {
        case AttemptErrorKind::broken_connection:
        case AttemptErrorKind::overloaded:
        case AttemptErrorKind::server_error:
        case AttemptErrorKind::truncate_error:
            return bounded(in, in.is_idempotent ? next() : rethrow());
        case AttemptErrorKind::unavailable:
            if (in.state.any_downgrade_retried) return rethrow();
            return bounded(in, from_cl(max_likely_to_work_cl(e.received, in.consistency)));
        case AttemptErrorKind::read_timeout:
            if (in.state.any_downgrade_retried) return rethrow();
            if (e.received < e.block_for) return bounded(in, from_cl(max_likely_to_work_cl(e.received, in.consistency)));
            if (!e.data_present) return bounded(in, same());
            return rethrow();
        case AttemptErrorKind::write_timeout:
            if (in.state.any_downgrade_retried || !in.is_idempotent) return rethrow();
            switch (e.write_type) {
                case WriteType::simple:
                case WriteType::batch:
                    return e.received > 0 ? ignore() : rethrow();
                case WriteType::unlogged_batch:
                    return bounded(in, from_cl(max_likely_to_work_cl(e.received, in.consistency)));
                case WriteType::batch_log:
                    return bounded(in, same());
                default:
                    return rethrow();
            }
        case AttemptErrorKind::is_bootstrapping:
        case AttemptErrorKind::no_stream_id:
        case AttemptErrorKind::connection_unavailable:
            return bounded(in, next());
        default:
            return rethrow();
    }
}

RetryDecision decide_fallthrough(const RetryInput&) { return rethrow(); }

RetryDecision decide(RetryPolicyKind kind, const RetryInput& input) {
    switch (kind) {
        case RetryPolicyKind::default_policy: return decide_default(input);
        case RetryPolicyKind::downgrading_consistency: return decide_downgrading(input);
        case RetryPolicyKind::fallthrough: return decide_fallthrough(input);
    }
    return rethrow();
}

void record_decision(RetryState& state, const AttemptError& error, const RetryDecision& decision) {
    const bool retry =
        decision.action == RetryAction::retry_same_target || decision.action == RetryAction::retry_next_target;
    if (!retry && decision.action != RetryAction::ignore) return;
    if (retry) ++state.retries;
    switch (error.kind) {
        case AttemptErrorKind::unavailable:
            state.unavailable_retried = true;
            state.any_downgrade_retried = true;
            break;
        case AttemptErrorKind::read_timeout:
            state.read_timeout_retried = true;
            state.any_downgrade_retried = true;
            break;
        case AttemptErrorKind::write_timeout:
            state.write_timeout_retried = true;
            state.any_downgrade_retried = true;
            break;
        default:
            break;
    }
}

RetryDecision RetrySession::decide(const AttemptError& error, std::uint16_t consistency, bool is_idempotent) {
    RetryInput input{error, consistency, is_idempotent, state_, retries_max_};
    const RetryDecision d = custom_ ? custom_(input) : driver::decide(kind_, input);
    record_decision(state_, error, d);
    return d;
}

std::string_view RetryPolicy::name() const {
    if (custom_) return custom_name_;
    switch (kind_) {
        case RetryPolicyKind::default_policy: return "default";
        case RetryPolicyKind::downgrading_consistency: return "downgrading_consistency";
        case RetryPolicyKind::fallthrough: return "fallthrough";
    }
    return "unknown";
}

}  // namespace routelab::driver
