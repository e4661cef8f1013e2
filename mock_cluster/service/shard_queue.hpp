#pragma once
// One shard's CPU as a single-server FIFO queue: a request starts when the shard is free
// and occupies it for a service time drawn from the scenario's distribution. Load, hot
// partitions and slowed shards therefore turn into queueing delay and tail latency.
#include <cstdint>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace routelab::cluster {

class ShardQueue {
public:
    ShardQueue(const sim::Distribution* service_time_us, sim::RngStream rng) : service_time_us_(service_time_us), rng_(rng) {}

    // Admits one request arriving at `now`; returns when its service completes.
    sim::Time admit(sim::Time now);
    // Multiplies service times (1 = normal; 4 = a shard four times slower).
    void set_slowdown(std::uint32_t factor) { slowdown_ = factor == 0 ? 1 : factor; }

    std::uint64_t admitted() const { return admitted_; }
    sim::Time busy_until() const { return busy_until_; }

private:
    const sim::Distribution* service_time_us_;
    sim::RngStream rng_;
    sim::Time busy_until_ = sim::Time::zero();
    std::uint32_t slowdown_ = 1;
    std::uint64_t admitted_ = 0;
};

}  // namespace routelab::cluster
