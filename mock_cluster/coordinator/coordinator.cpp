#include "mock_cluster/coordinator/coordinator.hpp"

#include "driver/protocol/sharding.hpp"

#include <algorithm>
#include <cassert>

namespace routelab::cluster {

namespace {
constexpr int max_replicas = 32;
}

Coordinator::Coordinator(sim::Scheduler& scheduler, sim::Trace& trace, const Topology& topology,
                         std::vector<NodeState>& nodes, net::LinkModel& links, sim::RngStream rng,
                         CoordinatorTimeouts timeouts)
    : scheduler_(scheduler),
      trace_(trace),
      topology_(topology),
      nodes_(nodes),
      links_(links),
      rng_(rng),
      fault_rng_(rng.fork("faults")),
      forward_rng_(rng.fork("write-forwarding")),
      timeouts_(timeouts),
      timeout_list_(scheduler,
                    [this](std::uint32_t slot, std::uint32_t generation) {
                        return pending_[slot].active && pending_[slot].generation == generation;
                    },
                    [this](std::uint32_t slot, std::uint32_t) {
                        Pending& q = pending_[slot];
                        q.result.status = q.kind == OpKind::read ? CoordinatorResult::Status::read_timeout
                                                                  : CoordinatorResult::Status::write_timeout;
                        q.result.received = q.acks;
                        finish(slot);
                    }) {
    std::vector<std::string> places;
    auto id_of = [&places](const std::string& name) {
        for (std::size_t i = 0; i < places.size(); ++i)
            if (places[i] == name) return static_cast<std::uint32_t>(i);
        places.push_back(name);
        return static_cast<std::uint32_t>(places.size() - 1);
    };
    for (const auto& node : topology.nodes()) {
        dc_of_.push_back(id_of("dc:" + node.datacenter));
        rack_of_.push_back(id_of("rack:" + node.datacenter + "/" + node.rack));
    }
    for (const auto& a : topology.nodes())
        for (const auto& b : topology.nodes()) proximity_.push_back(links.proximity(a.ip, b.ip));
}

std::uint32_t Coordinator::allocate() {
    std::uint32_t slot;
    if (!free_.empty()) {
        slot = free_.back();
        free_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(pending_.size());
        pending_.emplace_back();
    }
    Pending& p = pending_[slot];
    ++p.generation;
    p.active = true;
    p.outstanding = 0;
    p.acks = 0;
    p.rows.clear();
    p.result = CoordinatorResult{};
    ++in_flight_;
    return slot;
}

// A slot lives until the client was answered and every replica message is accounted
// for: replicas that answer late still apply their write from the slot's copy.
void Coordinator::release(std::uint32_t slot) {
    Pending& p = pending_[slot];
    if (p.active || p.outstanding > 0) return;
    p.done.reset();
    free_.push_back(slot);
    --in_flight_;
}

void Coordinator::replica_done(std::uint32_t slot) {
    --pending_[slot].outstanding;
    release(slot);
}

// Orders the replicas to contact: the coordinator itself, then its rack, its DC, the
// rest; ties keep placement order. Returns how many to contact; `alive` counts live
// replicas that can count toward the consistency level.
int Coordinator::order_replicas(std::uint16_t coordinator, const ReplicaOp& op, bool all_dcs, std::uint16_t* out,
                                int& alive, int& local_rf) const {
    const auto replicas = op.replicas->replicas_for(op.token);
    const bool local_only = is_local(op.consistency);
    int count = 0;
    alive = 0;
    local_rf = 0;
    for (auto r : replicas) {
        const bool local = dc_of_[r] == dc_of_[coordinator];
        if (local) ++local_rf;
        if (!nodes_[r].up) continue;
        if (local_only && !local) {
            if (all_dcs && count < max_replicas) out[count++] = r;
            continue;
        }
        ++alive;
        if (count < max_replicas) out[count++] = r;
    }
    auto distance = [&](std::uint16_t r) {
        if (r == coordinator) return 0;
        if (dc_of_[r] != dc_of_[coordinator]) return 3;
        return rack_of_[r] == rack_of_[coordinator] ? 1 : 2;
    };
    // A stable insertion sort: a few replicas (at most max_replicas), and unlike
    // std::stable_sort no temporary buffer allocated per request.
    for (int i = 1; i < count; ++i) {
        const std::uint16_t r = out[i];
        int j = i;
        for (; j > 0 && distance(out[j - 1]) > distance(r); --j) out[j] = out[j - 1];
        out[j] = r;
    }
    return count;
}

bool Coordinator::each_quorum_available(const ReplicaOp& op, Pending& p, int& required, int& alive) const {
    std::array<std::int16_t, Pending::max_dcs> replicas_in{};
    std::array<std::int16_t, Pending::max_dcs> alive_in{};
    p.dcs = 0;
    for (auto r : op.replicas->replicas_for(op.token)) {
        int i = 0;
        while (i < p.dcs && p.dc[static_cast<std::size_t>(i)] != dc_of_[r]) ++i;
        if (i == p.dcs) {
            if (p.dcs == Pending::max_dcs) continue;   // beyond 8 DCs: not counted
            p.dc[static_cast<std::size_t>(p.dcs++)] = dc_of_[r];
        }
        ++replicas_in[static_cast<std::size_t>(i)];
        if (nodes_[r].up) ++alive_in[static_cast<std::size_t>(i)];
    }
    for (int i = 0; i < p.dcs; ++i) {
        const auto k = static_cast<std::size_t>(i);
        p.need[k] = static_cast<std::int16_t>(replicas_in[k] / 2 + 1);
        p.got[k] = 0;
        if (alive_in[k] < p.need[k]) {
            required = p.need[k];
            alive = alive_in[k];
            return false;
        }
    }
    return true;
}

bool Coordinator::met(const Pending& p) const {
    if (p.dcs == 0) return p.acks >= p.result.required;
    for (int i = 0; i < p.dcs; ++i)
        if (p.got[static_cast<std::size_t>(i)] < p.need[static_cast<std::size_t>(i)]) return false;
    return true;
}

void Coordinator::execute(std::uint16_t coordinator_node, const ReplicaOp& op, CoordinatorCallback done) {
    std::uint16_t targets[max_replicas];
    int alive = 0;
    int local_rf = 0;
    const int contacted = order_replicas(coordinator_node, op, op.kind == OpKind::write, targets, alive, local_rf);
    if (op.rf_per_dc == nullptr) local_rf = op.total_rf;  // SimpleStrategy: one logical DC
    const int required = required_replicas(op.consistency, op.total_rf, local_rf);

    const std::uint32_t slot = allocate();
    Pending& p = pending_[slot];
    p.kind = op.kind;
    p.table = op.table;
    p.coordinator = coordinator_node;
    p.token = op.token;
    p.partition_key.assign(op.partition_key);
    p.payload.assign(op.payload);
    p.timestamp_us = op.timestamp_us;
    p.replicas = op.replicas;
    p.local_scope = is_local(op.consistency);
    p.done = std::move(done);
    p.result.consistency = op.consistency;
    p.result.write_type = op.write_type;
    p.result.required = required;
    p.result.alive = alive;
    p.dcs = 0;
    ++nodes_[coordinator_node].coordinated;

    bool available = alive >= required;
    if (op.consistency == Consistency::each_quorum && op.rf_per_dc != nullptr)
        available = each_quorum_available(op, p, p.result.required, p.result.alive);
    if (!available) {
        p.result.status = CoordinatorResult::Status::unavailable;
        const std::uint32_t generation = p.generation;
        scheduler_.after(sim::Duration{}, [this, slot, generation] {
            if (pending_[slot].generation == generation) finish(slot);
        });
        return;
    }
    // Reads ask just enough replicas (the closest); writes go to every live replica of
    // every DC. (EACH_QUORUM needs replicas in every DC: it asks them all.)
    const int fan_out = op.kind == OpKind::read && p.dcs == 0 ? required : contacted;
    const std::uint32_t generation = p.generation;
    for (const auto& fault : faults_) {
        if (fault.node && *fault.node != coordinator_node) continue;
        if (fault.kind && *fault.kind != op.kind) continue;
        if (!fault_rng_.chance(fault.per_million, 1'000'000)) continue;
        trace_.record(scheduler_.now(), sim::TraceKind::fault, slot, static_cast<std::uint64_t>(fault.error));
        if (fault.error != CoordinatorResult::Status::ok) {
            p.result.status = fault.error;
            scheduler_.after(fault.delay, [this, slot, generation] {
                if (pending_[slot].generation == generation && pending_[slot].active) finish(slot);
            });
            return;
        }
        if (fault.delay > sim::Duration{}) {
            struct Delayed {
                std::uint16_t targets[max_replicas];
                int fan_out;
            };
            auto delayed = std::make_shared<Delayed>();
            std::copy(targets, targets + fan_out, delayed->targets);
            delayed->fan_out = fan_out;
            scheduler_.after(fault.delay, [this, slot, generation, delayed] {
                if (pending_[slot].generation == generation && pending_[slot].active) start(slot, delayed->targets, delayed->fan_out);
            });
            return;
        }
        break;
    }
    start(slot, targets, fan_out);
}

void Coordinator::start(std::uint32_t slot, const std::uint16_t* targets, int fan_out) {
    Pending& p = pending_[slot];
    timeout_list_.add(p.kind == OpKind::read ? timeouts_.read : timeouts_.write, slot, p.generation);
    if (p.kind == OpKind::write) return send_writes(slot, targets, fan_out);
    for (int i = 0; i < fan_out; ++i) send_to_replica(slot, targets[i]);
}

// The coordinator's DC gets its copies directly; each remote DC gets one message, to a
// replica picked at random (a seeded stream, as Cassandra's sendMessagesToNonlocalDC),
// which relays to the DC's other live replicas. Down replicas get hints.
void Coordinator::send_writes(std::uint32_t slot, const std::uint16_t* targets, int count) {
    Pending& p = pending_[slot];
    store_hints(slot);
    const std::uint32_t home = dc_of_[p.coordinator];
    bool grouped[max_replicas] = {};
    std::uint8_t next = 0;
    for (int i = 0; i < count; ++i) {
        if (dc_of_[targets[i]] == home) {
            send_to_replica(slot, targets[i]);
            continue;
        }
        if (grouped[i]) continue;
        // The live replicas of this remote DC, in placement order.
        std::uint16_t group[max_replicas];
        int size = 0;
        for (int j = i; j < count; ++j)
            if (!grouped[j] && dc_of_[targets[j]] == dc_of_[targets[i]]) {
                grouped[j] = true;
                group[size++] = targets[j];
            }
        const auto pick = static_cast<int>(forward_rng_.below(static_cast<std::uint64_t>(size)));
        const std::uint8_t begin = next;
        for (int j = 0; j < size; ++j)
            if (j != pick) p.forward_to[next++] = group[j];
        send_forwarded(slot, group[pick], begin, static_cast<std::uint8_t>(next - begin));
    }
}

void Coordinator::send_forwarded(std::uint32_t slot, std::uint16_t forwarder, std::uint8_t begin, std::uint8_t count) {
    Pending& p = pending_[slot];
    p.outstanding += 1 + count;
    const std::uint32_t from = topology_.node(p.coordinator).ip;
    const std::uint32_t to = topology_.node(forwarder).ip;
    if (!links_.reachable(from, to)) {
        // Lost with every copy it carried.
        for (int i = 0; i <= count; ++i) replica_done(slot);
        return;
    }
    scheduler_.after(links_.sample(from, to, proximity(p.coordinator, forwarder), rng_),
                     [this, slot, forwarder, begin, count] { forward_arrived(slot, forwarder, begin, count); });
}

// As Cassandra's MutationVerbHandler: relay first, then apply locally.
void Coordinator::forward_arrived(std::uint32_t slot, std::uint16_t forwarder, std::uint8_t begin, std::uint8_t count) {
    if (!nodes_[forwarder].up) {
        for (int i = 0; i <= count; ++i) replica_done(slot);
        return;
    }
    const std::uint32_t from = topology_.node(forwarder).ip;
    for (int i = 0; i < count; ++i) {
        const std::uint16_t replica = pending_[slot].forward_to[static_cast<std::size_t>(begin + i)];
        const std::uint32_t to = topology_.node(replica).ip;
        if (!links_.reachable(from, to)) {
            replica_done(slot);
            continue;
        }
        scheduler_.after(links_.sample(from, to, proximity(forwarder, replica), rng_),
                         [this, slot, replica] { replica_serve(slot, replica); });
    }
    replica_serve(slot, forwarder);
}

void Coordinator::send_to_replica(std::uint32_t slot, std::uint16_t replica) {
    Pending& p = pending_[slot];
    ++p.outstanding;
    // The coordinator's own replica is not a network hop: its replica work joins the
    // token's shard queue as soon as the coordinator step is done.
    if (replica == p.coordinator) return replica_serve(slot, replica);
    const std::uint32_t from = topology_.node(p.coordinator).ip;
    const std::uint32_t to = topology_.node(replica).ip;
    // Across a partition the message is lost; the coordinator will time out.
    if (!links_.reachable(from, to)) return replica_done(slot);
    scheduler_.after(links_.sample(from, to, proximity(p.coordinator, replica), rng_), [this, slot, replica] { replica_serve(slot, replica); });
}

void Coordinator::replica_serve(std::uint32_t slot, std::uint16_t replica) {
    NodeState& node = nodes_[replica];
    // A dead replica never answers: the coordinator times out unless others suffice.
    if (!node.up) return replica_done(slot);
    Pending& p = pending_[slot];
    // The replica's shard owning the token, by ScyllaDB's biased-token-round-robin (the
    // same function the driver uses to pick the shard's connection).
    const auto shard = static_cast<std::size_t>(routelab::cql::shard_of(p.token, static_cast<unsigned>(node.shards.size()), 12));
    const sim::Time served_at = node.shards[shard].admit_replica(scheduler_.now());
    scheduler_.at(served_at, [this, slot, replica] {
        NodeState& n = nodes_[replica];
        if (!n.up) return replica_done(slot);
        Pending& q = pending_[slot];
        ++n.replica_ops;
        const bool dropped = q.kind == OpKind::write && n.drop_write_every > 0 && ++n.writes_served % n.drop_write_every == 0;
        if (q.kind == OpKind::write && !dropped) n.tables[q.table].apply(q.partition_key, q.payload, q.timestamp_us);
        if (replica == q.coordinator) return replica_answer(slot, replica);
        const std::uint32_t from = topology_.node(replica).ip;
        const std::uint32_t to = topology_.node(q.coordinator).ip;
        if (!links_.reachable(from, to)) return replica_done(slot);
        scheduler_.after(links_.sample(from, to, proximity(replica, q.coordinator), rng_),
                         [this, slot, replica] { replica_answer(slot, replica); });
    });
}

void Coordinator::replica_answer(std::uint32_t slot, std::uint16_t replica) {
    Pending& p = pending_[slot];
    if (!p.active) return replica_done(slot);  // already answered or timed out
    // A read sees the replica's data as it is when its answer lands, merged with what
    // the other replicas answered (last write wins, deletions included).
    if (p.kind == OpKind::read) nodes_[replica].tables[p.table].read(p.partition_key, p.payload, p.rows);
    // A LOCAL_* write waits only for its own DC; remote acks arrive and are not counted.
    if (p.local_scope && dc_of_[replica] != dc_of_[p.coordinator]) return replica_done(slot);
    ++p.acks;
    for (int i = 0; i < p.dcs; ++i)
        if (p.dc[static_cast<std::size_t>(i)] == dc_of_[replica]) ++p.got[static_cast<std::size_t>(i)];
    if (met(p)) finish(slot);
    replica_done(slot);
}

void Coordinator::finish(std::uint32_t slot) {
    Pending& p = pending_[slot];
    p.result.received = p.acks;
    if (p.kind == OpKind::read && p.result.status == CoordinatorResult::Status::ok) p.result.rows = &p.rows;
    trace_.record(scheduler_.now(), sim::TraceKind::server_response, slot, static_cast<std::uint64_t>(p.result.status));
    p.active = false;
    CoordinatorCallback done = std::move(p.done);
    const CoordinatorResult result = p.result;
    // The slot (and `rows`, which result.rows points to) stays alive through the
    // callback because it is released only afterwards.
    ++p.outstanding;
    done(result);
    replica_done(slot);
}

}  // namespace routelab::cluster
