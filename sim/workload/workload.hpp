#pragma once
// What a workload hands to the system under test, and the interface it hands it through.
// The workload decides *what* and *when*; the runner's client turns it into driver calls
// and reports back when each request ended (closed loops wait for that).
#include <cstdint>
#include <vector>

#include "sim/core/time.hpp"

namespace routelab::workload {

// The kinds of operation a workload mixes (the runner maps each to a CQL statement).
enum class Operation : std::uint8_t {
    read,         // SELECT of one key
    write,        // INSERT of one key
    paged_read,   // SELECT of one partition of the clustered table, page by page
    row_write,    // INSERT of one clustering row
    lwt_insert,   // INSERT ... IF NOT EXISTS
    lwt_update,   // UPDATE ... IF EXISTS
    batch,        // BATCH of several INSERTs
};
const char* to_string(Operation operation);

struct WorkloadRequest {
    std::uint64_t id = 0;          // 0, 1, 2, ... in issue order
    std::uint32_t mix_index = 0;   // which entry of the operation mix
    Operation operation = Operation::read;
    std::int64_t key = 0;          // the (partition) key
    std::int64_t row = 0;          // row_write, rows batch: the (first) clustering row
    std::uint32_t value_bytes = 0;  // size of the written value(s)
    std::uint32_t user = 0;        // closed loop: the user that issued it
    // batch over keys: the keys of the statements after the first (`key` is the first).
    std::vector<std::int64_t> more_keys;
    sim::Time issued_at;
};

class RequestSink {
public:
    virtual ~RequestSink() = default;
    virtual void issue(const WorkloadRequest& request) = 0;
};

// A request generator: starts, stops, and hears when its requests ended.
class Generator {
public:
    virtual ~Generator() = default;
    // Issues requests from now until `until`; `origin` is time zero of the rate schedule.
    virtual void start(sim::Time origin, sim::Time until) = 0;
    // Issues nothing more (requests in flight still end through completed()).
    virtual void stop() = 0;
    virtual void completed(std::uint32_t user) = 0;   // a request of `user` ended
    virtual std::uint64_t issued() const = 0;
};

}  // namespace routelab::workload
