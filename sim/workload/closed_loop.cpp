#include "sim/workload/closed_loop.hpp"

#include <algorithm>
#include <utility>

namespace routelab::workload {

ClosedLoopWorkload::ClosedLoopWorkload(sim::Scheduler& scheduler, sim::RngStream think, sim::RngStream picks,
                                       sim::RngStream shapes, ClosedLoopConfig config, RequestSink& sink)
    : scheduler_(scheduler), think_(think), config_(std::move(config)), shaper_(config_.shape, picks, shapes), sink_(sink),
      busy_(config_.users, false) {}

void ClosedLoopWorkload::start(sim::Time, sim::Time until) {
    end_ = until;
    running_ = true;
    ++generation_;
    // Users whose request from before a stop is still in flight wait for it first.
    for (std::uint32_t user = 0; user < config_.users; ++user)
        if (!busy_[user]) think_then_issue(user);
}

void ClosedLoopWorkload::stop() {
    running_ = false;
    ++generation_;
}

void ClosedLoopWorkload::think_then_issue(std::uint32_t user) {
    const sim::Duration think = sim::sample_duration_us(config_.think_time_us, think_);
    const std::uint32_t generation = generation_;
    scheduler_.after(think, [this, user, generation] {
        if (generation == generation_) issue(user);
    });
}

void ClosedLoopWorkload::issue(std::uint32_t user) {
    if (!running_ || scheduler_.now() >= end_) return;
    busy_[user] = true;
    ++in_flight_;
    max_in_flight_ = std::max(max_in_flight_, in_flight_);
    request_.id = next_id_++;
    request_.user = user;
    shaper_.fill(request_);
    request_.issued_at = scheduler_.now();
    sink_.issue(request_);
}

void ClosedLoopWorkload::completed(std::uint32_t user) {
    if (user >= busy_.size() || !busy_[user]) return;
    busy_[user] = false;
    --in_flight_;
    if (running_) think_then_issue(user);
}

}  // namespace routelab::workload
