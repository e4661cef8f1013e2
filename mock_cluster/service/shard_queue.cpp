#include "mock_cluster/service/shard_queue.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace routelab::cluster {

ShardQueue::ShardQueue(WorkTimes times, int slots, sim::RngStream replica_rng, sim::RngStream coordinator_rng)
    : times_(times),
      replica_rng_(replica_rng),
      coordinator_rng_(coordinator_rng),
      free_at_(static_cast<std::size_t>(std::max(slots, 1)), sim::Time::zero()) {
    if (slots < 1) throw std::invalid_argument("a shard needs at least one service slot, got " + std::to_string(slots));
}

// The slot that frees first; ties go to the lowest index, so placement is deterministic.
std::size_t ShardQueue::earliest_slot() const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < free_at_.size(); ++i)
        if (free_at_[i] < free_at_[best]) best = i;
    return best;
}

sim::Time ShardQueue::next_free() const { return free_at_[earliest_slot()]; }

sim::Time ShardQueue::admit(sim::Time now, sim::Duration work) {
    const std::size_t slot = earliest_slot();
    const sim::Time start = std::max(now, free_at_[slot]);
    free_at_[slot] = start + work * static_cast<std::int64_t>(slowdown_);
    ++admitted_;
    return free_at_[slot];
}

}  // namespace routelab::cluster
