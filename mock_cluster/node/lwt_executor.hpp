#pragma once
// Lightweight transactions and serial reads, as a sequence of coordinator operations:
//
//   wait for the partition's turn (PartitionLocks) — WriteTimeout (CAS) if that took
//   longer than the write timeout, as Cassandra's cas_contention_timeout
//   → Paxos prepare (a round to every live replica in the serial scope; the serial
//     level's quorum must answer)
//   → read the current row at QUORUM (LOCAL_QUORUM for LOCAL_SERIAL)
//   → evaluate the condition; if it does not hold, answer [applied] = false with the
//     values that decided it
//   → Paxos propose (another round), then commit: the write itself at the request's
//     consistency, with the request's timestamp
//   → answer [applied] = true.
//
// A serial read (SELECT at SERIAL/LOCAL_SERIAL) is prepare + read. So an LWT costs four
// round trips to the replicas and a serial read two, and concurrent LWTs on one
// partition queue behind each other.
#include <memory>

#include "driver/protocol/messages.hpp"
#include "mock_cluster/cql/binding.hpp"
#include "mock_cluster/coordinator/consistency.hpp"
#include "sim/core/small_function.hpp"

namespace routelab::cluster {

class Cluster;
using CompiledPtr = std::shared_ptr<const cql::CompiledStatement>;
using Respond = sim::SmallFunction<void(const routelab::cql::Response&), 48>;

struct SerialRequest {
    std::uint16_t coordinator = 0;
    CompiledPtr statement;
    std::shared_ptr<cql::BoundOperation> bound;
    Consistency serial = Consistency::serial;   // the Paxos rounds' level
    Consistency commit = Consistency::one;      // the commit's level (LWT only)
    std::int64_t timestamp_us = 0;
    bool skip_metadata = false;                 // serial reads
};

// Checks the levels (serial must be SERIAL or LOCAL_SERIAL, the commit level must not
// be); nullopt when they are acceptable.
std::optional<routelab::cql::Error> check_serial_levels(const SerialRequest& request);

// Runs the request; `respond` is called exactly once, from a scheduler event.
void run_serial(Cluster& cluster, SerialRequest request, Respond respond);

}  // namespace routelab::cluster
