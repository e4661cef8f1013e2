#pragma once
// Retry policies as pure decision tables (reference driver-policies.md §5): a decision is a
// function of the failed attempt (error kind and fields), the request (CL, idempotence) and
// what this request fiber has retried so far. No clock, no state hidden in the policy: the
// caller keeps one RetryState per request fiber (speculative fibers each have their own)
// and passes it in; `RetrySession` is a convenience that does exactly that.
//
// Bounds (asserted by the property tests):
//  * the "once" limits of the tables (per error kind for Default, one flag for
//    Downgrading) hold, so RetrySameTarget happens at most once per kind;
//  * every policy returns Rethrow once `retries` reaches `retries_max` (default 10), so
//    RetryNextTarget chains are bounded even when the plan is long;
//  * a non-idempotent request is never retried after an error that means the write may
//    have been applied (broken connection, write timeout, server error, overloaded,
//    truncate, write/CAS/CDC failures).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "driver/policy/attempt_error.hpp"

namespace routelab::driver {

enum class RetryAction : std::uint8_t {
    retry_same_target,  // same node and shard
    retry_next_target,  // next target of the (shared) plan
    ignore,             // return an empty success (write errors only)
    rethrow,            // fail the request with this error
};

struct RetryDecision {
    RetryAction action = RetryAction::rethrow;
    std::optional<std::uint16_t> consistency;  // nullopt = keep the request's CL
    bool operator==(const RetryDecision&) const = default;
};

// What this request fiber has retried so far.
struct RetryState {
    int retries = 0;                 // decisions that were retry_same/next so far
    bool unavailable_retried = false;
    bool read_timeout_retried = false;
    bool write_timeout_retried = false;
    bool any_downgrade_retried = false;  // Downgrading's single was_retry flag
};

struct RetryInput {
    AttemptError error;
    std::uint16_t consistency = 1;  // the request's CL
    bool is_idempotent = false;
    RetryState state;
    int retries_max = 10;
};

enum class RetryPolicyKind : std::uint8_t { default_policy, downgrading_consistency, fallthrough };

// Rust DefaultRetryPolicy (modelled on Java 4): see the table in the reference §5.1.
RetryDecision decide_default(const RetryInput& input);
// Rust DowngradingConsistencyRetryPolicy (modelled on Java 3): §5.2.
RetryDecision decide_downgrading(const RetryInput& input);
// Never retries.
RetryDecision decide_fallthrough(const RetryInput& input);
RetryDecision decide(RetryPolicyKind kind, const RetryInput& input);

// Updates `state` after `decision` was taken for `error` (the flags the tables read).
void record_decision(RetryState& state, const AttemptError& error, const RetryDecision& decision);

// The most that can be asked given `alive` acks (Rust max_likely_to_work_cl), or nullopt.
std::optional<std::uint16_t> max_likely_to_work_cl(std::int32_t alive, std::uint16_t previous_cl);

// Did the attempt possibly apply a write? (the idempotence gate's question)
bool may_have_applied(const AttemptError& error);

// A retry policy given as a function instead of a built-in table: user code (and tests
// planting a broken policy) registers one by name (PolicyRegistry::register_retry).
using RetryDecider = std::function<RetryDecision(const RetryInput&)>;

// One request fiber's retry session.
class RetrySession {
public:
    RetrySession(RetryPolicyKind kind, int retries_max, RetryDecider custom = {})
        : kind_(kind), retries_max_(retries_max), custom_(std::move(custom)) {}
    RetryDecision decide(const AttemptError& error, std::uint16_t consistency, bool is_idempotent);
    const RetryState& state() const { return state_; }
    void reset() { state_ = {}; }

private:
    RetryPolicyKind kind_;
    int retries_max_;
    RetryDecider custom_;   // set: decides instead of the kind's table
    RetryState state_;
};

class RetryPolicy {
public:
    RetryPolicy(RetryPolicyKind kind, int retries_max = 10) : kind_(kind), retries_max_(retries_max) {}
    // A registered policy: `custom` decides, `name` names it.
    RetryPolicy(std::string name, RetryDecider custom, int retries_max)
        : kind_(RetryPolicyKind::default_policy), retries_max_(retries_max), custom_(std::move(custom)), custom_name_(std::move(name)) {}
    RetrySession new_session() const { return RetrySession(kind_, retries_max_, custom_); }
    RetryPolicyKind kind() const { return kind_; }
    int retries_max() const { return retries_max_; }
    std::string_view name() const;

private:
    RetryPolicyKind kind_;
    int retries_max_;
    RetryDecider custom_;
    std::string custom_name_;
};

}  // namespace routelab::driver
