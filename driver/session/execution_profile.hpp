#pragma once
// An execution profile: the policies, consistency levels and timeout a request runs with,
// selectable per request (reference driver-policies.md §7.4). Anything a profile leaves
// unset comes from the session's configuration; options set on the request itself win
// over the profile (Rust's priority: session default < profile < statement).
#include <memory>
#include <optional>
#include <string>

#include "driver/policy/load_balancing.hpp"
#include "driver/policy/retry.hpp"
#include "driver/policy/speculative.hpp"
#include "driver/protocol/primitives.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

struct ExecutionProfile {
    std::string name;
    std::unique_ptr<LoadBalancingPolicy> policy;             // null: the session's
    std::optional<RetryPolicy> retry;                        // unset: the session's
    std::unique_ptr<SpeculativeExecutionPolicy> speculative; // null: the session's (or none)
    std::optional<cql::Consistency> consistency;
    std::optional<cql::Consistency> serial_consistency;
    std::optional<sim::Duration> request_timeout;
    // Location preference of its requests (those without their own); empty: none.
    std::string preferred_dc;
    std::string preferred_rack;
};

}  // namespace routelab::driver
