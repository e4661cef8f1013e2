#pragma once
// Internal to routelab_results: writes the `scenario_source` and `configuration` rows.
#include <cstdint>

#include "sim/results/run_record.hpp"
#include "sim/results/sqlite_db.hpp"

namespace routelab::results::detail {

void insert_source(Db& db, std::int64_t run_id, const RunRecord& run);

}  // namespace routelab::results::detail
