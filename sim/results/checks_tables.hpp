#pragma once
// Internal to routelab_results: writes a run's checks and per-window breakdowns
// (read_checks, in sqlite_reader.hpp, reads the first back)
// (the `checks` and `window_*` tables of schema.sql).
#include <cstdint>

#include "sim/results/run_record.hpp"
#include "sim/results/sqlite_db.hpp"

namespace routelab::results::detail {

void insert_checks(Db& db, std::int64_t run_id, const RunRecord& run);
void insert_window_breakdowns(Db& db, std::int64_t run_id, const RunRecord& run);

}  // namespace routelab::results::detail
