#include "sim/core/timeout_list.hpp"

namespace routelab::sim {

void TimeoutList::add(Duration timeout, std::uint32_t slot, std::uint32_t generation) {
    std::size_t index = 0;
    while (index < lanes_.size() && lanes_[index].timeout != timeout) ++index;
    if (index == lanes_.size()) {
        lanes_.emplace_back();
        lanes_.back().timeout = timeout;
    }
    const Entry e{(scheduler_.now() + timeout).ns(), slot, generation};
    push(lanes_[index], e);
    if (!lanes_[index].armed) arm(index, e.deadline_ns);
}

std::size_t TimeoutList::size() const {
    std::size_t n = 0;
    for (const auto& lane : lanes_) n += lane.size;
    return n;
}

void TimeoutList::push(Lane& lane, Entry e) {
    if (lane.size == lane.ring.size()) {
        std::vector<Entry> bigger(lane.ring.empty() ? 64 : lane.ring.size() * 2);
        for (std::size_t i = 0; i < lane.size; ++i) bigger[i] = lane.ring[(lane.head + i) & (lane.ring.size() - 1)];
        lane.ring = std::move(bigger);
        lane.head = 0;
    }
    lane.ring[(lane.head + lane.size) & (lane.ring.size() - 1)] = e;
    ++lane.size;
}

void TimeoutList::arm(std::size_t lane, std::int64_t at_ns) {
    lanes_[lane].armed = true;
    scheduler_.at(Time::from_ns(at_ns), [this, lane] { fire(lane); });
}

void TimeoutList::fire(std::size_t index) {
    const std::int64_t now = scheduler_.now().ns();
    // Stays marked armed while it runs: timeouts that `expire` adds only append.
    for (;;) {
        Lane& lane = lanes_[index];   // `expire` may add lanes
        if (lane.size == 0) break;
        const Entry e = lane.ring[lane.head];
        const bool live = live_(e.slot, e.generation);
        if (live && e.deadline_ns > now) break;
        lane.head = (lane.head + 1) & (lane.ring.size() - 1);
        --lane.size;
        if (live) expire_(e.slot, e.generation);
    }
    Lane& lane = lanes_[index];
    lane.armed = false;
    if (lane.size > 0) arm(index, lane.ring[lane.head].deadline_ns);
}

}  // namespace routelab::sim
