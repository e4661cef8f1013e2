#pragma once
// The scenario's workloads and client applications as plain data (after parsing, checks
// and defaults). See scenarios/README.md, sections [workload] and [[clients]].
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/distributions.hpp"

namespace routelab::scenario {

enum class WorkloadKind { open_loop, closed_loop };
enum class ArrivalKind { poisson, constant };

// One step of an open-loop rate schedule: from at_s the rate moves linearly to `rate`
// over ramp_s seconds (0: at once), then holds until the next step.
struct RateStepSpec {
    double at_s = 0;
    double rate = 0;
    double ramp_s = 0;
    std::uint32_t line = 0;
};

struct KeyDistributionSpec {
    enum class Kind { uniform, zipf, hot_set, sequential, list };
    Kind kind = Kind::uniform;
    double s = 1.0;                   // zipf exponent, > 0
    double hot_keys = 0.01;           // hot_set: share of the key space that is hot
    double hot_traffic = 0.9;         // hot_set: share of the requests on the hot keys
    std::int64_t first = 0;           // sequential: the first key
    std::vector<std::int64_t> list;   // list: the keys
};

enum class OperationKind { read, write, paged_read, row_write, lwt_insert, lwt_update, batch };
const char* to_string(OperationKind kind);

// One entry of the operation mix; unset fields come from the workload.
struct OperationSpec {
    OperationKind kind = OperationKind::read;
    double weight = 1;
    std::string consistency;           // upper-case; empty: the workload's (or its profile's)
    std::string serial_consistency;    // SERIAL, LOCAL_SERIAL, or empty: the profile's / the server's
    std::optional<bool> idempotent;    // empty: false for LWTs, true otherwise
    std::string profile;               // empty: the workload's
    std::optional<int> value_bytes;    // fixed size; empty: the workload's
    std::optional<sim::Distribution> value_size;   // drawn size in bytes (instead of value_bytes)
    int page_size = 100;               // paged_read: rows per page
    int statements = 5;                // batch: statements per batch
    bool logged = true;                // batch: LOGGED or UNLOGGED
    bool rows = false;                 // batch: rows of one partition (clustered table) instead of separate keys
    std::string keyspace;              // empty: the workload's
    std::string prefer_dc;             // the request's location preference; empty: its profile's, else none
    std::string prefer_rack;
    std::uint32_t line = 0;
};

struct WorkloadSpec {
    WorkloadKind kind = WorkloadKind::open_loop;
    double rate_per_s = 1000;        // open loop: rate before the first schedule step
    ArrivalKind arrivals = ArrivalKind::poisson;
    std::vector<RateStepSpec> schedule;   // in time order
    double duration_s = 10;          // simulated seconds of arrivals
    std::int64_t users = 1;          // closed loop: concurrent users per client
    sim::Distribution think_time_us{sim::dist::Constant{0.0}};   // closed loop
    std::int64_t keys = 100'000;     // key space size (partitions of the clustered table too)
    KeyDistributionSpec key_distribution;
    std::int64_t rows_per_partition = 0;   // clustering rows per partition; > 0 creates the clustered table
    double read_fraction = 0.9;      // without `operations`: reads, the rest writes
    std::string consistency = "ONE";
    int value_bytes = 64;
    std::optional<sim::Distribution> value_size;   // drawn value sizes (bytes) instead of value_bytes
    std::string profile;             // the driver execution profile requests use; empty: default
    // Sessions (users, tenants) the requests belong to: request for key k carries the
    // session key "s<k % sessions>"; 0: no session keys.
    std::int64_t sessions = 0;
    std::vector<OperationSpec> operations;   // empty: read_fraction reads and writes
    std::string keyspace;            // [[cluster.keyspaces]] entry its operations use; empty: the first
};

// Whether the workload reads or writes the clustered table (paged reads, rows); with a
// keyspace name, only its operations on that keyspace count ("" = the default keyspace).
bool uses_clustered_table(const WorkloadSpec& workload);
bool uses_clustered_table(const WorkloadSpec& workload, const std::string& keyspace, const std::string& default_keyspace);
// The open-loop rate as (time, rate) points, linear in between, the last rate holding:
// rate_per_s from 0, then each step's start (at the level reached) and ramp end.
std::vector<std::pair<double, double>> rate_points(const WorkloadSpec& workload);
// Expected requests over [from_s, until_s) of the workload's time (open loop: the
// integrated rate; closed loop: not bounded by the rate, 0).
double expected_requests(const WorkloadSpec& workload, double from_s, double until_s);

// A restart of a client application: its session closes at at_s and a new one connects
// down_s later.
struct RestartSpec {
    double at_s = 0;
    double down_s = 0;
};

}  // namespace routelab::scenario
