#pragma once
// The results database of a sweep (`routelab sweep`, `routelab merge`): the runs of every
// job of a grid, each copied whole from the job's own run database, plus what the sweep is
// (sweep_meta) and which job each run is (sweep_jobs). A job's run always has
// run_id = job index + 1, so a sweep that was resumed, run on more workers or merged from
// shards holds exactly the same rows as one run straight through.
//
// Crash safety: the database is in WAL mode and every job is copied in one transaction, so
// a sweep killed at any moment (kill -9) leaves a database that opens and holds complete
// runs only.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sim/results/results_error.hpp"

namespace routelab::results {

// What makes two sweep databases parts of the same sweep.
struct SweepMeta {
    std::string scenario_path;
    std::string scenario_hash;   // of the base file, without overrides
    std::string build;
    std::string grid;            // canonical text of the --set axes
    std::uint64_t seeds = 0;     // seeds per grid point
    std::uint64_t first_seed = 1;
    std::uint64_t jobs = 0;      // grid points × seeds
    bool operator==(const SweepMeta&) const = default;
};

struct SweepJobRow {
    std::uint64_t job_index = 0;
    std::uint64_t seed = 0;
    std::string knobs;           // JSON object {key: value text}
};

// Opens or creates the sweep database at `path`. A database made for another sweep (other
// scenario, build, grid or seeds) is refused with a ResultsError saying what differs.
void open_sweep(const std::string& path, const SweepMeta& meta);

// The stored meta; throws if `path` is not a sweep database.
SweepMeta read_sweep_meta(const std::string& path);

// Job indices whose runs are stored.
std::set<std::uint64_t> completed_jobs(const std::string& path);

// One stored job's run, for the sweep's comparison table.
struct SweepRunRow {
    std::uint64_t job_index = 0;
    std::uint64_t seed = 0;
    std::string knobs;
    std::string verdict;
    std::string trace_hash;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::int64_t p50_ns = 0;
    std::int64_t p99_ns = 0;
    std::int64_t p999_ns = 0;
};
std::vector<SweepRunRow> read_sweep_runs(const std::string& path);

// Copies run `run_id` of the run database `run_db` (every table keyed by run_id) into the
// sweep database as job `job.job_index`, in one transaction. Refuses a job already stored.
void import_job_run(const std::string& sweep_db, const std::string& run_db, std::int64_t run_id, const SweepJobRow& job);

// Ends a sweep's writing: checkpoints the WAL into the file and leaves WAL mode, so that
// the database is one self-contained file that can be copied (a resume switches back).
void close_sweep(const std::string& path);

// Copies every job of the sweep database `slice` into `out` (created with the slice's meta
// if missing); refuses slices of another sweep and jobs stored twice. Returns the number
// of jobs copied.
std::uint64_t merge_sweep(const std::string& out, const std::string& slice);

}  // namespace routelab::results
