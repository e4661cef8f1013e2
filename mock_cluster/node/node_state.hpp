#pragma once
// A node's mutable runtime state: whether it is up, its shards' queues, and its data.
#include <cstdint>
#include <vector>

#include "mock_cluster/service/shard_queue.hpp"
#include "mock_cluster/storage/table_store.hpp"
#include "sim/core/time.hpp"

namespace routelab::cluster {

struct NodeState {
    bool up = true;
    std::vector<ShardQueue> shards;
    std::vector<TableStore> tables;    // indexed by table id
    std::uint64_t coordinated = 0;    // requests this node coordinated
    std::uint64_t replica_ops = 0;    // replica reads/writes/Paxos rounds it served, hint replays included
    std::uint64_t hints_stored = 0;   // hints it stored, as a coordinator, for replicas that were down
    std::uint64_t hints_replayed = 0; // hints replayed to it (and applied) once it was back up
    sim::Time down_since;             // when it last went down (meaningful while !up): the hint window counts from here
    // Test seam (Cluster::plant_write_drops): a faulty replica that acknowledges every
    // write but leaves one in `drop_write_every` unapplied. 0: never (always, outside tests).
    std::uint32_t drop_write_every = 0;
    std::uint64_t writes_served = 0;  // counts the writes while drop_write_every > 0
};

}  // namespace routelab::cluster
