#include "mock_cluster/service/shard_queue.hpp"

#include <algorithm>

namespace routelab::cluster {

sim::Time ShardQueue::admit(sim::Time now) {
    const sim::Time start = std::max(now, busy_until_);
    busy_until_ = start + sim::sample_duration_us(*service_time_us_, rng_) * static_cast<std::int64_t>(slowdown_);
    ++admitted_;
    return busy_until_;
}

}  // namespace routelab::cluster
