#pragma once
// The `trace_checkpoints` table: the run's trace hash at every window of simulated time,
// which `routelab replay` compares to find the window where two runs part.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/results/run_record.hpp"
#include "sim/results/sqlite_db.hpp"

namespace routelab::results {
namespace detail {
void insert_trace_checkpoints(Db& db, std::int64_t run_id, const RunRecord& run);
}  // namespace detail

// In end_ns order; empty for a run stored before checkpoints were kept.
std::vector<sim::TraceCheckpoint> read_trace_checkpoints(const std::string& db_path, std::int64_t run_id);

}  // namespace routelab::results
