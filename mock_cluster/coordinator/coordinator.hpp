#pragma once
// Coordinates one read or write: picks the replicas, checks enough are alive
// (Unavailable), sends each one the operation after the internode latency, lets the
// replica's shard queue serve it, and answers once the consistency level is met — or
// with a timeout if the replicas do not answer within the server-side timeout.
//
// Writes go to every live replica in every DC, whatever the level (Cassandra's
// StorageProxy.sendToHintedReplicas): the coordinator's own DC directly, each remote DC
// through one of its replicas, which forwards to the others over its local links
// (FORWARD_TO); every replica acks the coordinator itself. The level decides only which
// acks the coordinator waits for. Replicas that are down get a hint (hint_store.hpp).
//
// Liveness is what the cluster model says at the moment of the request (ideal gossip).
#include <cstdint>
#include <array>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mock_cluster/coordinator/consistency.hpp"
#include "mock_cluster/coordinator/hint_store.hpp"
#include "mock_cluster/node/node_state.hpp"
#include "mock_cluster/storage/row_set.hpp"
#include "mock_cluster/topology/token_ring.hpp"
#include "mock_cluster/topology/topology.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/timeout_list.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/link_model.hpp"

namespace routelab::cluster {

// paxos: one round of a lightweight transaction (prepare or propose) — every live
// replica in scope is asked, the serial level's quorum must answer; no data changes.
enum class OpKind : std::uint8_t { read, write, paxos };
// What a write timeout reports as the write type.
enum class WriteType : std::uint8_t { simple, batch, unlogged_batch, cas };

struct ReplicaOp {
    OpKind kind = OpKind::read;
    std::uint32_t table = 0;              // table id
    const ReplicaMap* replicas = nullptr; // the table's keyspace placement
    int total_rf = 1;
    std::map<std::string, int> const* rf_per_dc = nullptr;  // null for SimpleStrategy
    std::int64_t token = 0;
    std::string_view partition_key;       // copied; need not outlive the call
    // Writes: the mutation; reads: the slice (storage/mutation.hpp). Copied.
    std::string_view payload;
    std::int64_t timestamp_us = 0;
    Consistency consistency = Consistency::one;
    WriteType write_type = WriteType::simple;
};

struct CoordinatorResult {
    enum class Status : std::uint8_t {
        ok, unavailable, read_timeout, write_timeout, overloaded, server_error, read_failure, write_failure
    } status = Status::ok;
    Consistency consistency = Consistency::one;
    WriteType write_type = WriteType::simple;
    int required = 0;
    int alive = 0;      // for unavailable
    int received = 0;   // for timeouts
    // For reads: the answering replicas' rows, merged. Valid during the callback.
    const RowSet* rows = nullptr;
};

using CoordinatorCallback = sim::SmallFunction<void(const CoordinatorResult&), 48>;

// An injected fault on matching requests: "on node X (or any), for reads/writes (or
// both), with probability p: answer with this error / add this delay". First match wins.
struct InjectedFault {
    std::optional<std::uint16_t> node;          // coordinator node; empty = any
    std::optional<OpKind> kind;                 // empty = reads and writes
    std::uint64_t per_million = 1'000'000;      // probability, as an integer ratio
    CoordinatorResult::Status error = CoordinatorResult::Status::ok;  // ok = no error, only delay
    sim::Duration delay;                        // added before the coordinator starts
};

struct CoordinatorTimeouts {
    sim::Duration read = sim::Duration::from_ms(5000);
    sim::Duration write = sim::Duration::from_ms(2000);
    // Cassandra's max_hint_window (3 h): no hints are stored for a replica down longer.
    sim::Duration max_hint_window = sim::Duration::from_s(3 * 3600);
};

class Coordinator {
public:
    Coordinator(sim::Scheduler& scheduler, sim::Trace& trace, const Topology& topology,
                std::vector<NodeState>& nodes, net::LinkModel& links, sim::RngStream rng,
                CoordinatorTimeouts timeouts);

    // `done` runs exactly once, always from a scheduler event (never inside this call).
    void execute(std::uint16_t coordinator_node, const ReplicaOp& op, CoordinatorCallback done);

    std::size_t in_flight() const { return in_flight_; }
    const CoordinatorTimeouts& timeouts() const { return timeouts_; }

    void add_fault(InjectedFault fault) { faults_.push_back(fault); }
    void clear_faults() { faults_.clear(); }

    // Liveness changes, from the cluster's control surface (after it flipped NodeState::up).
    // node_down starts the node's hint window; node_up replays the hints other live nodes
    // hold for it, and the hints it holds for live replicas, as ordinary replica writes.
    void node_down(std::uint16_t node);
    void node_up(std::uint16_t node);
    const HintStore& hints() const { return hints_; }

private:
    struct Pending {
        std::uint32_t generation = 0;
        bool active = false;            // the client has not been answered yet
        int outstanding = 0;            // replica messages not yet answered or dropped
        OpKind kind = OpKind::read;
        std::uint32_t table = 0;
        std::uint16_t coordinator = 0;
        std::int64_t token = 0;
        std::string partition_key;
        std::string payload;            // the mutation or slice
        RowSet rows;                    // what a read has gathered so far
        std::int64_t timestamp_us = 0;
        const ReplicaMap* replicas = nullptr;
        bool local_scope = false;       // only acks from the coordinator's DC count (LOCAL_*)
        CoordinatorResult result;
        int acks = 0;
        CoordinatorCallback done;
        // EACH_QUORUM: a quorum of the replicas in every DC of the replica set.
        static constexpr int max_dcs = 8;
        int dcs = 0;                                  // 0: not EACH_QUORUM
        std::array<std::uint32_t, max_dcs> dc{};
        std::array<std::int16_t, max_dcs> need{};
        std::array<std::int16_t, max_dcs> got{};
        // Writes: the remote DCs' replicas a forwarder relays to, DC after DC.
        std::array<std::uint16_t, 32> forward_to{};
    };

    std::uint32_t allocate();
    void release(std::uint32_t slot);
    void finish(std::uint32_t slot);
    void send_to_replica(std::uint32_t slot, std::uint16_t replica);
    void replica_serve(std::uint32_t slot, std::uint16_t replica);
    void replica_answer(std::uint32_t slot, std::uint16_t replica);
    void replica_done(std::uint32_t slot);
    // Writes: the copies for one remote DC, to `forwarder`, which relays to
    // forward_to[begin, begin + count).
    void send_forwarded(std::uint32_t slot, std::uint16_t forwarder, std::uint8_t begin, std::uint8_t count);
    void forward_arrived(std::uint32_t slot, std::uint16_t forwarder, std::uint8_t begin, std::uint8_t count);
    void send_writes(std::uint32_t slot, const std::uint16_t* targets, int count);
    void store_hints(std::uint32_t slot);
    void replay_hint(std::uint16_t holder, Hint hint);
    // `all_dcs`: list live replicas of every DC (writes), not only those in the level's scope.
    int order_replicas(std::uint16_t coordinator, const ReplicaOp& op, bool all_dcs, std::uint16_t* out, int& alive,
                       int& local_rf) const;
    // EACH_QUORUM: fills the per-DC needs; false (with the failing DC's numbers in
    // `required`/`alive`) when some DC has too few live replicas.
    bool each_quorum_available(const ReplicaOp& op, Pending& p, int& required, int& alive) const;
    bool met(const Pending& p) const;

    sim::Scheduler& scheduler_;
    sim::Trace& trace_;
    const Topology& topology_;
    std::vector<NodeState>& nodes_;
    const net::LinkModel& links_;
    sim::RngStream rng_;
    sim::RngStream fault_rng_;   // its own stream: enabling a fault does not shift latencies
    sim::RngStream forward_rng_; // picks each remote DC's forwarding replica (Cassandra: at random)
    HintStore hints_;
    CoordinatorTimeouts timeouts_;
    // Read and write timeouts: a FIFO per duration, not a timer per operation.
    sim::TimeoutList timeout_list_;
    net::Proximity proximity(std::uint16_t a, std::uint16_t b) const { return proximity_[a * topology_.size() + b]; }

    // Node places as small integers and the node-to-node proximity matrix, computed once:
    // the per-replica path compares integers, not names.
    std::vector<std::uint32_t> dc_of_;
    std::vector<std::uint32_t> rack_of_;
    std::vector<net::Proximity> proximity_;
    std::vector<InjectedFault> faults_;
    void start(std::uint32_t slot, const std::uint16_t* targets, int fan_out);
    std::deque<Pending> pending_;   // a deque: a slot stays put while a callback starts another operation
    std::vector<std::uint32_t> free_;
    std::size_t in_flight_ = 0;
};

}  // namespace routelab::cluster
