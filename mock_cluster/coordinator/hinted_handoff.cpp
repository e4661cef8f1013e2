// Hinted handoff: a write's coordinator keeps a hint for each replica that is down (unless
// it has been down longer than max_hint_window, as Cassandra's
// StorageProxy.shouldHint), and replays its hints once the replica is back up. A replay is
// an ordinary replica write: it crosses the network and waits in the replica's shard
// queue. Simplifications: hints are replayed all at once (Cassandra throttles them,
// hinted_handoff_throttle), none are written for replicas that are up but do not answer
// (Cassandra hints those on a write timeout too), and a hint that cannot be delivered
// (target down again, or unreachable) goes back to its holder until the target's next
// return.
#include "mock_cluster/coordinator/coordinator.hpp"

#include <memory>

#include "driver/protocol/sharding.hpp"

namespace routelab::cluster {

void Coordinator::store_hints(std::uint32_t slot) {
    const Pending& p = pending_[slot];
    for (auto r : p.replicas->replicas_for(p.token)) {
        const NodeState& node = nodes_[r];
        if (node.up) continue;
        if (scheduler_.now() - node.down_since > timeouts_.max_hint_window) continue;
        hints_.store(p.coordinator, Hint{r, p.table, p.token, p.partition_key, p.payload, p.timestamp_us});
        ++nodes_[p.coordinator].hints_stored;
    }
}

void Coordinator::node_down(std::uint16_t node) { nodes_[node].down_since = scheduler_.now(); }

void Coordinator::node_up(std::uint16_t node) {
    for (const auto& [holder, target] : hints_.pairs()) {
        if (holder != node && target != node) continue;
        if (!nodes_[holder].up || !nodes_[target].up) continue;
        for (auto& hint : hints_.take(holder, target)) replay_hint(holder, std::move(hint));
    }
}

void Coordinator::replay_hint(std::uint16_t holder, Hint hint) {
    const std::uint16_t target = hint.target;
    const std::uint32_t from = topology_.node(holder).ip;
    const std::uint32_t to = topology_.node(target).ip;
    if (!links_.reachable(from, to)) return hints_.store(holder, std::move(hint));
    auto carried = std::make_shared<Hint>(std::move(hint));
    scheduler_.after(links_.sample(from, to, proximity(holder, target), rng_), [this, holder, carried] {
        NodeState& node = nodes_[carried->target];
        if (!node.up) return hints_.store(holder, std::move(*carried));
        const auto shard = static_cast<std::size_t>(
            routelab::cql::shard_of(carried->token, static_cast<unsigned>(node.shards.size()), 12));
        const sim::Time served_at = node.shards[shard].admit_replica(scheduler_.now());
        scheduler_.at(served_at, [this, holder, carried] {
            NodeState& n = nodes_[carried->target];
            if (!n.up) return hints_.store(holder, std::move(*carried));
            ++n.replica_ops;
            ++n.hints_replayed;
            n.tables[carried->table].apply(carried->partition_key, carried->payload, carried->timestamp_us);
        });
    });
}

}  // namespace routelab::cluster
