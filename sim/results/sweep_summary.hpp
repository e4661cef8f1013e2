#pragma once
// A sweep database summarised per grid point (one knob combination, every seed): what the
// sweep report's table and the heat map show. Read from the database alone.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/results/results_error.hpp"

namespace routelab::results {

struct SweepPoint {
    std::vector<std::pair<std::string, std::string>> knobs;   // in the grid's axis order
    std::vector<std::int64_t> run_ids;                        // one per seed, by job index
    std::uint64_t passed = 0;                                 // runs whose verdict is pass
    std::uint64_t requests = 0, errors = 0;                   // summed over seeds
    // Medians over seeds (the upper median for an even count).
    std::int64_t p50_ns = 0, p99_ns = 0, p999_ns = 0;
    double load_imbalance = 0;   // mean over seeds of max / mean requests coordinated per node
    std::vector<std::int64_t> p99_by_seed;   // each seed's p99, in job order (for the median's interval)

    double error_rate() const { return requests == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(requests); }
    // "key=value, key=value"
    std::string label() const;
};

struct SweepSummary {
    std::vector<std::string> axes;     // knob keys, in the grid's order
    std::vector<SweepPoint> points;    // in the order of their first job
};

// Throws ResultsError if `path` is not a sweep database.
SweepSummary summarize_sweep(const std::string& path);

// Whether the database holds a sweep (sweep_jobs with at least one row); false for a run
// database. Throws ResultsError if it cannot be read.
bool is_sweep_database(const std::string& path);

}  // namespace routelab::results
