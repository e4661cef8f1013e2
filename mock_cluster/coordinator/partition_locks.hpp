#pragma once
// Lightweight transactions on one partition take turns: a Paxos round that meets
// another in progress on the same partition loses its ballot and retries, so in effect
// they run one after another. The mock models that contention as a FIFO line per
// partition (cluster-wide), which is deterministic and makes a hot LWT partition queue
// — and time out — the way it does on a real cluster.
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "sim/core/scheduler.hpp"
#include "sim/core/small_function.hpp"

namespace routelab::cluster {

class PartitionLocks {
public:
    using Granted = sim::SmallFunction<void(), 48>;

    explicit PartitionLocks(sim::Scheduler& scheduler) : scheduler_(scheduler) {}

    // `granted` runs from a scheduler event once every earlier holder released it.
    void acquire(std::uint32_t table, std::string_view partition_key, Granted granted);
    void release(std::uint32_t table, std::string_view partition_key);
    std::size_t waiting(std::uint32_t table, std::string_view partition_key) const;

private:
    using Key = std::pair<std::uint32_t, std::string>;
    sim::Scheduler& scheduler_;
    std::map<Key, std::deque<Granted>> lines_;   // present = held; the deque = who waits
};

}  // namespace routelab::cluster
