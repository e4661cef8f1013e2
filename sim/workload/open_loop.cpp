#include "sim/workload/open_loop.hpp"

#include <cmath>

namespace routelab::workload {

OpenLoopWorkload::OpenLoopWorkload(sim::Scheduler& scheduler, sim::RngStream arrivals, sim::RngStream keys,
                                   OpenLoopConfig config, RequestSink& sink)
    : scheduler_(scheduler), arrivals_(arrivals), keys_(keys), config_(config), sink_(sink) {}

void OpenLoopWorkload::start() {
    end_ = scheduler_.now() + config_.duration;
    if (config_.rate_per_s <= 0) return;
    scheduler_.after(next_gap(), [this] { arrive(); });
}

sim::Duration OpenLoopWorkload::next_gap() {
    // Exponential inter-arrival gaps, rounded to whole nanoseconds.
    const double gap_s = -std::log(arrivals_.unit_open_zero()) / config_.rate_per_s;
    return sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(gap_s * 1e9)));
}

void OpenLoopWorkload::arrive() {
    if (scheduler_.now() >= end_) return;
    WorkloadRequest request;
    request.id = next_id_++;
    request.operation = keys_.below(1'000'000) < config_.read_per_million ? Operation::read : Operation::write;
    request.key = static_cast<std::int64_t>(keys_.below(static_cast<std::uint64_t>(config_.keys)));
    request.issued_at = scheduler_.now();
    // Schedule the next arrival first: the sink may run arbitrary driver code.
    scheduler_.after(next_gap(), [this] { arrive(); });
    sink_.issue(request);
}

}  // namespace routelab::workload
