#include "driver/policy/speculative.hpp"

#include "driver/metadata/check.hpp"

namespace routelab::driver {

ConstantSpeculativeExecution::ConstantSpeculativeExecution(int extra_executions_max, sim::Duration delay)
    : extra_max_(extra_executions_max), delay_(delay) {
    check(extra_max_ >= 0 && delay_ >= sim::Duration{}, "ConstantSpeculativeExecution: negative bound");
}

SpeculativePlan ConstantSpeculativeExecution::plan(bool is_idempotent) const {
    if (!is_idempotent) return {};
    return {extra_max_, delay_};
}

PercentileSpeculativeExecution::PercentileSpeculativeExecution(int extra_executions_max, double percentile)
    : extra_max_(extra_executions_max), percentile_(percentile) {
    check(extra_max_ >= 0 && percentile_ >= 0.0 && percentile_ <= 100.0, "PercentileSpeculativeExecution: bad bound");
}

SpeculativePlan PercentileSpeculativeExecution::plan(bool is_idempotent) const {
    if (!is_idempotent) return {};
    if (histogram_.count() == 0) return {extra_max_, empty_delay};
    return {extra_max_, sim::Duration::from_ns(histogram_.quantile(percentile_ / 100.0))};
}

void PercentileSpeculativeExecution::on_attempt_success(sim::Duration latency) {
    if (latency.ns() > 0) histogram_.record(latency.ns());
}

}  // namespace routelab::driver
