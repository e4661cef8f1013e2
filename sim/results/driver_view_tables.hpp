#pragma once
// The tables of the driver's view and of the per-node / per-client windows: what the
// figures of the driver's marks, the load share, errors by kind and key movement read
// (window_node_latency, window_client_load, window_affinity, node_transitions,
// driver_node_marks; window_errors and window_node_load are read back here too).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/results/run_record.hpp"

namespace routelab::results {
namespace detail {
class Db;
void insert_driver_view(Db& db, std::int64_t run_id, const RunRecord& run);
}  // namespace detail

// Each in (start_s or time, then the order written) order; throw ResultsError.
std::vector<WindowErrorCount> read_window_errors(const std::string& db_path, std::int64_t run_id);
std::vector<WindowNodeLoad> read_window_node_load(const std::string& db_path, std::int64_t run_id);
std::vector<WindowNodeLatency> read_window_node_latency(const std::string& db_path, std::int64_t run_id);
std::vector<WindowClientLoad> read_window_client_load(const std::string& db_path, std::int64_t run_id);
std::vector<WindowAffinity> read_window_affinity(const std::string& db_path, std::int64_t run_id);
std::vector<NodeTransition> read_node_transitions(const std::string& db_path, std::int64_t run_id);
std::vector<DriverNodeMark> read_driver_marks(const std::string& db_path, std::int64_t run_id);

}  // namespace routelab::results
