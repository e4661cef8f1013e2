#include "sim/live/live_scheduler.hpp"

#include <cassert>

namespace routelab::live {

LiveScheduler::LiveScheduler(boost::asio::io_context& io)
    : io_(io), timer_(io), origin_(std::chrono::steady_clock::now()) {}

LiveScheduler::~LiveScheduler() = default;

sim::Time LiveScheduler::now() const {
    const auto elapsed = std::chrono::steady_clock::now() - origin_;
    return sim::Time::from_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count());
}

sim::EventId LiveScheduler::at(sim::Time when, sim::EventFn fn) {
    const sim::Time current = now();
    if (when < current) when = current;
    const std::uint64_t seq = next_seq_++;
    queue_.emplace(Key{when.ns(), seq}, std::move(fn));
    time_of_.emplace(seq, when.ns());
    if (!armed_ || when.ns() < armed_ns_) arm();
    return sim::EventId{seq};
}

bool LiveScheduler::cancel(sim::EventId id) {
    auto it = time_of_.find(id.value);
    if (!id.valid() || it == time_of_.end()) return false;
    queue_.erase(Key{it->second, id.value});
    time_of_.erase(it);
    // The timer stays armed: if it was armed for this event it fires, finds nothing due
    // and re-arms for the next one.
    return true;
}

void LiveScheduler::arm() {
    if (queue_.empty()) {
        if (armed_) timer_.cancel();
        armed_ = false;
        return;
    }
    const std::int64_t deadline = queue_.begin()->first.time_ns;
    if (armed_ && armed_ns_ == deadline) return;
    // expires_at cancels a pending wait (its handler sees operation_aborted and does nothing).
    timer_.expires_at(origin_ + std::chrono::nanoseconds(deadline));
    armed_ = true;
    armed_ns_ = deadline;
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec == boost::asio::error::operation_aborted) return;
        fire();
    });
}

void LiveScheduler::fire() {
    armed_ = false;
    // Runs what is due as of this instant. Events the running ones schedule for "now" get a
    // later time and wait for the next firing, so I/O handlers interleave with a burst of
    // zero-delay events instead of being starved by it.
    const std::int64_t due_ns = now().ns();
    while (!queue_.empty() && queue_.begin()->first.time_ns <= due_ns) {
        auto node = queue_.extract(queue_.begin());
        time_of_.erase(node.key().seq);
        ++events_run_;
        node.mapped()();
    }
    arm();
}

}  // namespace routelab::live
