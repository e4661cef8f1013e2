#pragma once
// Reads a run or sweep database as "cases" for `routelab compare`: every run with the
// scenario it ran and, in a sweep, its knob values, plus its checks. Read-only.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/results/results_error.hpp"

namespace routelab::results {

struct CaseCheck {
    std::string label;    // the check's label (its name unless the scenario gave one)
    std::string verdict;  // "pass" or "fail"
    std::string value_text;
    std::string limit_text;
    std::string detail;
};

struct CaseRun {
    std::string scenario_name;
    std::string knobs;    // sweep_jobs.knobs; "" outside a sweep
    std::uint64_t seed = 0;
    std::string verdict;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    std::int64_t p50_ns = 0, p99_ns = 0, p999_ns = 0;
    std::vector<CaseCheck> checks;
};

// Every run of the database in run_id order; a path ending in .json is read as the
// compact baseline of case_json.hpp. Throws ResultsError.
std::vector<CaseRun> read_case_runs(const std::string& db_path);

}  // namespace routelab::results
