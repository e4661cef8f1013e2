#pragma once
// Speculative execution policies (reference driver-policies.md §6): how many extra
// executions a request may start and how long to wait between launches. Read once per
// request. Only idempotent requests speculate; for others the plan is "no extra
// execution". No timer here: the session schedules launches `delay` apart and all
// executions share one plan.
#include <cstdint>
#include <memory>
#include <string_view>

#include "sim/core/histogram.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

struct SpeculativePlan {
    int extra_executions_max = 0;   // not counting the initial execution
    sim::Duration delay;            // between launches
    bool operator==(const SpeculativePlan&) const = default;
};

class SpeculativeExecutionPolicy {
public:
    virtual ~SpeculativeExecutionPolicy() = default;
    // Contract: extra_executions_max is 0 when !is_idempotent, and never above the policy's max.
    virtual SpeculativePlan plan(bool is_idempotent) const = 0;
    // Feedback: the latency of one successful attempt (percentile policies use it).
    virtual void on_attempt_success(sim::Duration /*latency*/) {}
    virtual std::string_view name() const = 0;
};

// Never speculates (the default in every driver).
class NoSpeculativeExecution final : public SpeculativeExecutionPolicy {
public:
    SpeculativePlan plan(bool) const override { return {}; }
    std::string_view name() const override { return "none"; }
};

// Rust SimpleSpeculativeExecutionPolicy, Java/cpp ConstantSpeculativeExecutionPolicy.
class ConstantSpeculativeExecution final : public SpeculativeExecutionPolicy {
public:
    // Contract: extra_executions_max >= 0, delay >= 0.
    ConstantSpeculativeExecution(int extra_executions_max, sim::Duration delay);
    SpeculativePlan plan(bool is_idempotent) const override;
    std::string_view name() const override { return "constant"; }

private:
    int extra_max_;
    sim::Duration delay_;
};

// Rust PercentileSpeculativeExecutionPolicy: the delay is the `percentile` (0–100) of the
// latencies of successful attempts since the start (no window, no decay); 100 ms while no
// attempt succeeded. Rust keeps whole milliseconds; this keeps nanoseconds (the histogram's
// relative error is below 0.8%).
class PercentileSpeculativeExecution final : public SpeculativeExecutionPolicy {
public:
    static constexpr sim::Duration empty_delay = sim::Duration::from_ms(100);
    // Contract: extra_executions_max >= 0, 0 <= percentile <= 100.
    PercentileSpeculativeExecution(int extra_executions_max, double percentile);
    SpeculativePlan plan(bool is_idempotent) const override;
    void on_attempt_success(sim::Duration latency) override;
    std::string_view name() const override { return "percentile"; }
    const sim::LatencyHistogram& histogram() const { return histogram_; }

private:
    int extra_max_;
    double percentile_;
    sim::LatencyHistogram histogram_;
};

}  // namespace routelab::driver
