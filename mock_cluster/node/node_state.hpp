#pragma once
// A node's mutable runtime state: whether it is up, its shards' queues, and its data.
#include <cstdint>
#include <vector>

#include "mock_cluster/service/shard_queue.hpp"
#include "mock_cluster/storage/table_store.hpp"

namespace routelab::cluster {

struct NodeState {
    bool up = true;
    std::vector<ShardQueue> shards;
    std::vector<TableStore> tables;    // indexed by table id
    std::uint64_t coordinated = 0;    // requests this node coordinated
    std::uint64_t replica_ops = 0;    // replica reads/writes it served
};

}  // namespace routelab::cluster
