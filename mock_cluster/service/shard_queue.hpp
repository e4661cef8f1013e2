#pragma once
// One shard's CPU as a FIFO queue in front of `slots` identical servers (1, the default:
// a ScyllaDB shard is one core). Every piece of work on the shard joins the same queue in
// the order it arrives — a coordinator's own step for a request (parsing, routing, the
// answer: `coordinator_time`) and a replica's read, write or Paxos round (`service_time`)
// — and starts on the first slot free, occupying it for its drawn time. Load, hot
// partitions and slowed shards therefore turn into queueing delay and tail latency as in
// an M/G/c queue (tests/cluster/queueing_test.cpp checks M/M/1, M/M/c and a tandem).
//
// Work is placed when it arrives (its start is the earliest free slot's time), which for
// a FIFO queue is the same as starting it when its turn comes, and needs no queue storage:
// admitting allocates nothing.
#include <cstdint>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace routelab::cluster {

// The two kinds of work a shard serves, as distributions in microseconds. Owned by the
// cluster's configuration; the queues hold pointers to them.
struct WorkTimes {
    const sim::Distribution* replica_us;       // a replica's work on a request (service_time)
    const sim::Distribution* coordinator_us;   // a coordinator's own work on a request (coordinator_time)
};

class ShardQueue {
public:
    // `slots` >= 1. Replica and coordinator times are drawn from separate streams, so a
    // coordinator_time of 0 leaves the replica draws as they would be without it.
    ShardQueue(WorkTimes times, int slots, sim::RngStream replica_rng, sim::RngStream coordinator_rng);

    // Admits work arriving at `now`; each returns when it completes.
    sim::Time admit_coordinator(sim::Time now) { return admit(now, sim::sample_duration_us(*times_.coordinator_us, coordinator_rng_)); }
    sim::Time admit_replica(sim::Time now) { return admit(now, sim::sample_duration_us(*times_.replica_us, replica_rng_)); }
    // Work of a known length (before the slowdown).
    sim::Time admit(sim::Time now, sim::Duration work);

    // Multiplies service times (1 = normal; 4 = a shard four times slower).
    void set_slowdown(std::uint32_t factor) { slowdown_ = factor == 0 ? 1 : factor; }

    std::uint64_t admitted() const { return admitted_; }
    int slots() const { return static_cast<int>(free_at_.size()); }
    // When the next slot frees (now or earlier: one is idle).
    sim::Time next_free() const;

private:
    std::size_t earliest_slot() const;

    WorkTimes times_;
    sim::RngStream replica_rng_;
    sim::RngStream coordinator_rng_;
    std::vector<sim::Time> free_at_;   // per slot: when its current work ends
    std::uint32_t slowdown_ = 1;
    std::uint64_t admitted_ = 0;
};

}  // namespace routelab::cluster
