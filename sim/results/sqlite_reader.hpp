#pragma once
// Reads runs back from a results database (opened read-only; never creates it). Used by
// the plots and tests. Every function throws ResultsError (message starts with db_path)
// if the database or the run does not exist.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/results/results_error.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::results {

// One row of the `runs` table.
struct RunRow {
    std::int64_t run_id = 0;
    std::string scenario_name;
    std::string scenario_path;
    std::string scenario_hash;
    std::string build;
    std::string policy;
    std::uint64_t seed = 0;
    std::string trace_hash;  // 16 hex digits
    std::uint64_t trace_events = 0;
    std::uint64_t events_run = 0;
    double simulated_s = 0;
    double wall_s = 0;
    std::uint64_t requests = 0;
    std::uint64_t completed = 0;
    std::uint64_t errors = 0;
    std::uint64_t timeouts = 0;
    std::uint64_t lost = 0;
    std::string verdict;
    std::int64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
};

// One row of the `client_load` table (its quantiles as stored).
struct ClientLoadRow {
    std::string client, datacenter, rack, address;
    std::uint64_t requests = 0, completed = 0, errors = 0, timeouts = 0, aborted = 0, sessions = 0;
    double first_request_s = -1, last_request_s = -1;
    std::int64_t p50_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;
};

RunRow read_run(const std::string& db_path, std::int64_t run_id);
// The highest run_id in the database (the last run written).
std::int64_t read_latest_run_id(const std::string& db_path);
// Ordered by start_s.
std::vector<Window> read_windows(const std::string& db_path, std::int64_t run_id);
// In the order they were written.
std::vector<NodeLoad> read_node_load(const std::string& db_path, std::int64_t run_id);
// The run's fault timeline as applied (end_s < 0: not reverted during the run).
std::vector<FaultWindow> read_faults(const std::string& db_path, std::int64_t run_id);
// In the order they were written (the scenario's order).
std::vector<ClientLoadRow> read_client_load(const std::string& db_path, std::int64_t run_id);
// (upper edge in ns, count), ordered by upper edge.
std::vector<std::pair<std::int64_t, std::uint64_t>> read_latency_histogram(const std::string& db_path,
                                                                            std::int64_t run_id);
// The run's checks, in the order they ran.
std::vector<CheckRecord> read_checks(const std::string& db_path, std::int64_t run_id);
// Every run_id in the database, increasing.
std::vector<std::int64_t> read_run_ids(const std::string& db_path);
// The scenario file the run read (empty if not stored) and its resolved configuration.
std::string read_scenario_text(const std::string& db_path, std::int64_t run_id);
// The run's --set overrides, one `KEY = VALUE` line each ("" when it had none).
std::string read_scenario_overrides(const std::string& db_path, std::int64_t run_id);
std::vector<ConfigEntry> read_configuration(const std::string& db_path, std::int64_t run_id);

}  // namespace routelab::results
