#pragma once
// Stores a finished run in the results database (schema: sim/results/schema.sql,
// documented in README.md, "Results database").
#include <cstdint>
#include <string>

#include "sim/results/results_error.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::results {

// Opens (creating if missing) the SQLite database at db_path, creates the tables if
// missing and inserts the run with its windows, node load and latency histogram, all in
// one transaction: either everything is stored or nothing is. Returns the new run_id.
// The parent directory must exist. Throws ResultsError (message starts with db_path).
std::int64_t write_run(const std::string& db_path, const RunRecord& run);

// The 16 lower-case hex digits stored for a trace hash.
std::string hex16(std::uint64_t v);

}  // namespace routelab::results
