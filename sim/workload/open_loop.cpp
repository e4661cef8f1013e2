#include "sim/workload/open_loop.hpp"

#include <cmath>
#include <utility>

namespace routelab::workload {

OpenLoopWorkload::OpenLoopWorkload(sim::Scheduler& scheduler, sim::RngStream arrivals, sim::RngStream picks,
                                   sim::RngStream shapes, OpenLoopConfig config, RequestSink& sink)
    : scheduler_(scheduler), arrivals_(arrivals), config_(std::move(config)), shaper_(config_.shape, picks, shapes), sink_(sink) {}

void OpenLoopWorkload::start(sim::Time origin, sim::Time until) {
    origin_ = origin;
    end_ = until;
    running_ = true;
    first_arrival_ = true;
    position_s_ = (scheduler_.now() - origin_).seconds();
    schedule_next();
}

void OpenLoopWorkload::stop() {
    running_ = false;
    if (pending_.valid()) scheduler_.cancel(pending_);
    pending_ = {};
}

void OpenLoopWorkload::schedule_next() {
    if (config_.arrivals == Arrivals::poisson) {
        // Exponential areas of integrated rate from now, rounded to whole nanoseconds.
        const double area = -std::log(arrivals_.unit_open_zero());
        const auto gap_s = config_.schedule.gap_for((scheduler_.now() - origin_).seconds(), area);
        if (!gap_s) return;   // the rate stays at 0: no more arrivals
        pending_ = scheduler_.after(sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(*gap_s * 1e9))), [this] { arrive(); });
        return;
    }
    // Evenly spaced: positions kept unrounded so rounding never accumulates.
    const double area = first_arrival_ ? 0.5 : 1.0;
    first_arrival_ = false;
    const auto gap_s = config_.schedule.gap_for(position_s_, area);
    if (!gap_s) return;
    position_s_ += *gap_s;
    pending_ = scheduler_.at(origin_ + sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(position_s_ * 1e9))),
                             [this] { arrive(); });
}

void OpenLoopWorkload::arrive() {
    pending_ = {};
    if (!running_ || scheduler_.now() >= end_) return;
    request_.id = next_id_++;
    shaper_.fill(request_);
    request_.issued_at = scheduler_.now();
    // Schedule the next arrival first: the sink may run arbitrary driver code.
    schedule_next();
    sink_.issue(request_);
}

}  // namespace routelab::workload
